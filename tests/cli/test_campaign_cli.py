"""``valuecrm campaign``, end to end through the real CLI: plan -> assign -> export ->
(generated responses) -> measure -> decide, with --json; bad input exits 2 and writes nothing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.helpers.campaigns import campaign_database
from tests.helpers.cli import run
from valuecrm.store import connect
from valuecrm.synthetic.campaign_responses import plant_campaign_responses

PLAN = ("campaign", "plan", "--name", "Tier upgrade", "--kind", "up_sell", "--channel", "sms",
        "--target", "tier:VIP", "--offer", "Upgrade at 15% off", "--cost", "0.2",
        "--hypothesis", "VIPs buy more with an upgrade offer", "--expected-effect", "0.1",
        "--start", "2025-01-01", "--window-days", "30", "--id", "K7")


@pytest.fixture
def db(tmp_path):
    return str(campaign_database(tmp_path / "crm.duckdb"))


def test_a_campaign_end_to_end_through_the_cli(db, tmp_path, monkeypatch, capsys):
    def cli(*args):
        done = run(monkeypatch, capsys, "--db", db, *args)
        assert done.code == 0, done.err
        return done

    assert json.loads(cli(*PLAN, "--json").out)["status"] == "planned"
    assigned = json.loads(cli("campaign", "assign", "K7", "--control-share", "0.5", "--seed",
                              "9", "--stratify-by", "segment", "--json").out)
    treated = assigned["treatment"]
    assert treated + assigned["control"] == 201 and abs(treated - assigned["control"]) <= 3
    out = tmp_path / "treatment.csv"
    cli("campaign", "export", "K7", "--out", str(out))
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert len(listed) == treated and "phone" in listed.columns and "email" not in listed.columns
    with connect(db) as database:
        truth = plant_campaign_responses(database, "K7", lift=0.25, base_rate=0.2, seed=1)
    record = json.loads(cli("campaign", "measure", "K7", "--as-of", "2025-02-15",
                            "--json").out)
    effect = record["check"]["effect"]
    assert effect["ci_low"] < truth["planted_lift"] < effect["ci_high"]
    revenue = next(r for r in record["check"]["results"] if r["outcome"] == "revenue")
    assert revenue["ci_low"] < truth["planted_revenue_effect"] < revenue["ci_high"]
    cli("campaign", "decide", "K7", "--decision", "continue", "--note", "Works for VIPs")
    ranked = json.loads(cli("campaign", "next", "K7", "--top", "10", "--out",
                            str(tmp_path / "next.csv"), "--json").out)
    assert ranked["rows"] == 10 and "two-model uplift" in ranked["method"]
    assert len(pd.read_csv(tmp_path / "next.csv", encoding="utf-8-sig")) == 10
    shown = cli("campaign", "show", "K7").out
    assert "Check: purchase" in shown and "Act:   continue: Works for VIPs" in shown
    overview = json.loads(cli("campaign", "list", "--json").out)["campaigns"]
    assert [(c["campaign_id"], c["status"]) for c in overview] == [("K7", "decided")]


def test_bad_input_exits_2_and_writes_nothing(db, monkeypatch, capsys):
    assert run(monkeypatch, capsys, "--db", db, *PLAN).code == 0
    for share in ("0", "1"):
        done = run(monkeypatch, capsys, "--db", db, "campaign", "assign", "K7",
                   "--control-share", share, "--seed", "1")
        assert done.code == 2 and "--control-share must be" in done.err
    done = run(monkeypatch, capsys, "--db", db, "campaign", "measure", "K7")
    assert done.code == 2 and "not been launched" in done.err
    with connect(db) as database:
        assert database.counts()["campaign_members"] == 0
        assert database.counts()["campaign_results"] == 0


def test_sample_size_command(monkeypatch, capsys):
    done = run(monkeypatch, capsys, "campaign", "size", "--customers", "20000", "--sd", "25",
               "--json")
    assert done.code == 0 and json.loads(done.out)["effect"] == pytest.approx(
        2.8016 * 25 * 2 / 20000 ** 0.5, rel=1e-4)
