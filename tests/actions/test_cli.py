"""``valuecrm actions``, ``kpis``, ``migration`` and ``cohorts`` through the CLI entry point."""

from __future__ import annotations

import json

import pandas as pd

from tests.helpers.cli import run
from tests.helpers.data import GENERATED_EARLIER as EARLIER
from tests.helpers.data import GENERATED_LATER as LATER


def test_action_lists(monkeypatch, capsys, two_snapshots, tmp_path):
    db = str(two_snapshots.path)
    code, out, err = run(monkeypatch, capsys, "--db", db, "actions", "retention", "--top", "7",
                         "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["rows"] == 7 and len(payload["customers"]) == 7
    assert payload["customers"][0]["value_at_risk"] >= payload["customers"][-1]["value_at_risk"]
    target = tmp_path / "winback.parquet"
    code, out, err = run(monkeypatch, capsys, "--db", db, "actions", "winback", "--snapshot",
                         EARLIER, "--out", str(target), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["chance_method"].startswith("decay")
    assert len(pd.read_parquet(target)) == payload["rows"] > 0
    code, out, err = run(monkeypatch, capsys, "--db", db, "actions", "winback", "--top", "3")
    assert code == 0, err
    assert "By reason (code: customers, the rule that gave it):" in out
    assert "Chance of winning back" in out
    # trust 13: each reason comes with its code and rule, in the JSON and in the summary
    first = payload["customers"][0]
    assert first["reason_code"] and first["reason_rule"]
    code, out, err = run(monkeypatch, capsys, "--db", db, "actions", "winback", "--snapshot",
                         EARLIER)
    assert code == 0, err
    assert f"  {first['reason_code']}: " in out and first["reason_rule"] in out


def test_out_writes_the_file_and_prints_one_line(monkeypatch, capsys, two_snapshots, tmp_path):
    """Trust 11: with --out the rows go to the file (UTF-8 with a BOM), not to the terminal."""
    target = tmp_path / "retention.csv"
    code, out, err = run(monkeypatch, capsys, "--db", str(two_snapshots.path), "actions",
                         "retention", "--out", str(target))
    assert code == 0, err
    rows = target.read_bytes()
    assert rows.startswith(b"\xef\xbb\xbfcustomer_id,")
    n = len(rows.decode("utf-8-sig").splitlines()) - 1
    assert n > 0
    assert out.strip().splitlines() == [
        f"Wrote {n:,} customers of the retention list, snapshot of {LATER} to {target}."]
    code, out, err = run(monkeypatch, capsys, "--db", str(two_snapshots.path), "actions",
                         "winback", "--out", str(tmp_path / "winback.xlsx"))
    assert code == 2 and "--out" in err and "export_list" not in err


def test_kpis_migration_cohorts(monkeypatch, capsys, two_snapshots):
    db = str(two_snapshots.path)
    code, out, err = run(monkeypatch, capsys, "--db", db, "kpis", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["figures"]["customers"] == 800
    assert all(payload["methods"][name] for name in payload["figures"])
    code, out, err = run(monkeypatch, capsys, "--db", db, "migration", "--from", EARLIER,
                         "--to", LATER, "--by", "status", "--json")
    assert code == 0, err
    moves = json.loads(out)["transitions"]
    assert sum(m["customers"] for m in moves) == 800
    code, out, err = run(monkeypatch, capsys, "--db", db, "cohorts", "--period", "Q", "--json")
    assert code == 0, err
    assert json.loads(out)["cohorts"][0]["share"] == 1.0
    for args in (["kpis"], ["migration", "--from", "1", "--to", "2"], ["cohorts"]):
        code, out, err = run(monkeypatch, capsys, "--db", db, *args)
        assert code == 0, err
        assert out.strip()


def test_without_a_snapshot(monkeypatch, capsys, db_path):
    from valuecrm.store import connect

    connect(db_path).close()
    for args in (["actions", "retention"], ["actions", "winback"], ["kpis"],
                 ["migration", "--from", "1", "--to", "2"]):
        code, _out, err = run(monkeypatch, capsys, "--db", str(db_path), *args)
        assert code != 0
        assert "valuecrm analyze" in err, args
    code, _out, err = run(monkeypatch, capsys, "--db", str(db_path), "cohorts")
    assert code != 0 and "no orders" in err


def test_kpis_print_rates_as_percentages_and_money_with_cents(monkeypatch, capsys, two_snapshots):
    code, out, err = run(monkeypatch, capsys, "--db", str(two_snapshots.path), "kpis")
    assert code == 0, err
    figures = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]
               if line and line.split()[0].islower() and len(line.split()) > 1}
    payload = json.loads(run(monkeypatch, capsys, "--db", str(two_snapshots.path), "kpis",
                             "--json").out)["figures"]
    assert figures["repeat_purchase_rate"] == f"{payload['repeat_purchase_rate']:.1%}"
    assert figures["retention_rate"] == f"{payload['retention_rate']:.1%}"
    assert figures["customer_equity"] == f"{payload['customer_equity']:,.2f}"
    assert figures["customers"] == f"{payload['customers']:,}"
    assert "%" in out.split("Retention and churn")[1]
