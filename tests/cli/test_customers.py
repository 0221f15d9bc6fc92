"""``valuecrm customers list|show|export`` on the analysed CDNOW sample, through ``main()``."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.data import CDNOW_AS_OF as AS_OF
from tests.helpers.data import CDNOW_EARLIER as EARLIER


def query(path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_list_is_the_latest_snapshot_by_clv(monkeypatch, capsys, sample_db):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "list", "--limit",
                 "5", "--json")
    assert result.code == 0, result.err
    page = json.loads(result.out)
    assert (page["snapshot_id"], page["as_of"], page["total"]) == (1, AS_OF, 2357)
    expected = query(sample_db, "SELECT customer_id, clv FROM customer_value WHERE "
                                "snapshot_id = 1 ORDER BY clv DESC, customer_id LIMIT 5")
    assert [(i["customer_id"], i["clv"]) for i in page["items"]] == expected
    assert {"p_alive", "clv_lower", "clv_upper", "rfm_segment", "tier"} <= set(page["items"][0])


def test_list_filters_sorts_and_pages(monkeypatch, capsys, sample_db):
    db = str(sample_db)

    def listed(*args: str) -> dict:
        result = run(monkeypatch, capsys, "--db", db, "customers", "list", "--json", *args)
        assert result.code == 0, result.err
        return json.loads(result.out)

    at_risk = listed("--status", "at risk", "--limit", "1000")
    count = query(sample_db, "SELECT count(*) FROM customer_value WHERE snapshot_id = 1 AND "
                             "status = 'at risk'")[0][0]
    assert at_risk["total"] == len(at_risk["items"]) == count > 0
    assert listed("--status", "有流失风险", "--limit", "1000") == at_risk  # the Chinese name
    vip = listed("--tier", "VIP", "--segment", "Champions", "--limit", "1000")
    assert vip["total"] > 0
    assert {(i["tier"], i["rfm_segment"]) for i in vip["items"]} == {("VIP", "Champions")}
    hhh = listed("--segment", "HHH", "--limit", "1")
    assert hhh["total"] == query(sample_db, "SELECT count(*) FROM customer_value WHERE "
                                            "snapshot_id = 1 AND rfm_class = '重要价值'")[0][0]
    recent = listed("--sort", "days_since_last", "--limit", "10")["items"]
    days = [i["days_since_last"] for i in recent]
    assert days == sorted(days)
    first, second = (listed("--sort", "revenue", "--limit", "3", "--offset", str(o))["items"]
                     for o in (0, 3))
    both = listed("--sort", "revenue", "--limit", "6")["items"]
    assert [i["customer_id"] for i in first + second] == [i["customer_id"] for i in both]
    found = listed("--search", "0042")
    assert [i["customer_id"] for i in found["items"]] == ["0042"]
    earlier = listed("--snapshot", EARLIER, "--limit", "1")
    assert (earlier["snapshot_id"], earlier["as_of"]) == (2, EARLIER)


def test_list_prints_a_table(monkeypatch, capsys, sample_db):
    top = query(sample_db, "SELECT customer_id FROM customer_value WHERE snapshot_id = 1 "
                           "ORDER BY clv DESC LIMIT 1")[0][0]
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "list", "--limit", "3")
    assert result.code == 0, result.err
    assert f"Snapshot 1 as of {AS_OF}: customers 1-3 of 2,357" in result.out
    assert top in result.out and "P(alive)" in result.out and "CLV" in result.out


@pytest.mark.parametrize(("args", "message"), [
    (("--status", "sleepy"), "'status' parameter of valuecrm customers"),
    (("--sort", "height"), "'sort' parameter of valuecrm customers"),
    (("--segment", "Royals"), "'segment' parameter of valuecrm customers"),
    (("--snapshot", "99"), "There is no snapshot '99'"),
    (("--snapshot", "June"), "'snapshot' parameter of get_snapshot"),
])
def test_list_refuses_bad_options(monkeypatch, capsys, sample_db, args, message):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "list", *args)
    assert result.code == 2 and message in result.err, result.err


def test_show_is_the_360_view(monkeypatch, capsys, sample_db):
    cid, clv, orders = query(sample_db, "SELECT v.customer_id, v.clv, v.n_orders FROM "
                                        "customer_value v WHERE snapshot_id = 1 "
                                        "ORDER BY clv DESC LIMIT 1")[0]
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "show", cid,
                 "--json", "--limit", "4")
    assert result.code == 0, result.err
    view = json.loads(result.out)
    assert view["profile"]["customer_id"] == cid
    assert view["value"]["clv"] == pytest.approx(clv) and view["value"]["as_of"] == AS_OF
    assert view["orders"]["total"] == orders and len(view["orders"]["items"]) == 4
    assert view["loyalty_points"] == {"total": 0, "items": [], "balance": 0}
    for name in ("p_alive", "expected_purchases", "clv"):
        value = view["value"]
        assert value[f"{name}_lower"] <= value[name] <= value[f"{name}_upper"], name
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "show", cid,
                 "--limit", "4")
    assert result.code == 0, result.err
    assert f"Customer {cid}" in result.out and "90% interval" in result.out
    assert re.search(r"P\(alive\)\s+[0-9.]+ \(90% interval [0-9.]+ to [0-9.]+\)", result.out)
    assert re.search(r"expected purchases\s+[0-9.]+ \(90% interval", result.out)
    for heading in ("P(alive)", "expected purchases", "RFM segment", "status",
                    "lifecycle stage", "value-matrix quadrant", "pyramid tier",
                    f"Recent orders: newest 4 of {orders}", "Complaints: none",
                    "Loyalty points: none, balance 0 points"):
        assert heading in result.out


def test_show_unknown_customer_is_bad_input(monkeypatch, capsys, sample_db):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "show", "nobody")
    assert result.code == 2
    assert "There is no customer 'nobody'" in result.err
    assert "valuecrm customers list --search" in result.err
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "show", "nobody",
                 "--json")
    assert result.code == 2 and json.loads(result.out)["error"] == "not_found"


def test_export_csv_and_parquet(monkeypatch, capsys, sample_db, tmp_path):
    out = tmp_path / "value.csv"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "export", "--out",
                 str(out))
    assert result.code == 0, result.err
    assert "Wrote 2,357 rows of snapshot 1" in result.out
    raw = out.read_bytes()  # trust 11: UTF-8 with a BOM, booleans true / false
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    flags = [i for i, name in enumerate(header) if name in ("loyalty_member", "is_mvc")]
    values = {line.split(",")[i] for line in raw.decode("utf-8-sig").splitlines()[1:]
              for i in flags}
    assert flags and values <= {"true", "false", ""} and values & {"true", "false"}
    frame = pd.read_csv(out, dtype={"customer_id": str}).sort_values("customer_id")
    expected = pd.DataFrame(query(sample_db, "SELECT customer_id, clv FROM customer_value "
                                             "WHERE snapshot_id = 1 ORDER BY customer_id"),
                            columns=["customer_id", "clv"])
    assert frame["customer_id"].tolist() == expected["customer_id"].tolist()
    assert frame["clv"].to_numpy() == pytest.approx(expected["clv"].to_numpy())
    assert "rfm_segment" in frame and "clv_upper" in frame
    parquet = tmp_path / "lost.PARQUET"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "export", "--out",
                 str(parquet), "--status", "lost", "--snapshot", "2", "--json")
    assert result.code == 0, result.err
    written = json.loads(result.out)
    lost = pd.read_parquet(parquet)
    assert written["rows"] == len(lost) > 0 and written["format"] == "parquet"
    assert set(lost["status"]) == {"lost"} and set(lost["snapshot_id"]) == {2}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("name", ["value.xlsx", "value", "no-such-folder/value.csv"])
def test_export_refuses_other_files(monkeypatch, capsys, sample_db, tmp_path, name):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "export", "--out",
                 str(tmp_path / name))
    assert result.code == 2, result.err
    assert ".csv or .parquet" in result.err or "does not exist" in result.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [
    ("customers", "list"), ("customers", "export", "--out", "x.csv"), ("report",)])
def test_before_any_analysis_says_to_analyze(monkeypatch, capsys, empty_db, tmp_path, command):
    monkeypatch.chdir(tmp_path)
    result = run(monkeypatch, capsys, "--db", str(empty_db), *command)
    assert result.code == 2
    assert "There is no snapshot of the customer value table yet" in result.err
    assert "valuecrm analyze" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.duckdb"]


def test_a_missing_database_is_not_created(monkeypatch, capsys, tmp_path):
    missing = tmp_path / "missing.duckdb"
    result = run(monkeypatch, capsys, "--db", str(missing), "customers", "list")
    assert result.code == 4 and "There is no database" in result.err
    assert not missing.exists()


def test_one_customer(monkeypatch, capsys, one_customer_db, tmp_path):
    db = str(one_customer_db)
    result = run(monkeypatch, capsys, "--db", db, "customers", "list", "--json")
    assert result.code == 0, result.err
    page = json.loads(result.out)
    assert page["total"] == 1 and page["items"][0]["customer_id"] == "solo"
    assert page["items"][0]["clv"] is None  # one customer: no purchase model
    result = run(monkeypatch, capsys, "--db", db, "customers", "show", "solo")
    assert result.code == 0, result.err
    assert "not predicted" in result.out and "Recent orders: newest 3 of 3" in result.out
    result = run(monkeypatch, capsys, "--db", db, "customers", "export", "--out",
                 str(tmp_path / "one.csv"))
    assert result.code == 0 and "Wrote 1 rows" in result.out


@pytest.mark.parametrize("command", ["list", "show", "export"])
def test_help_has_an_example(monkeypatch, capsys, command):
    result = run(monkeypatch, capsys, "customers", command, "--help")
    assert result.code == 0
    assert "Example: valuecrm customers " + command in " ".join(result.out.split())


def test_show_before_any_analysis(monkeypatch, capsys, empty_db):
    result = run(monkeypatch, capsys, "--db", str(empty_db), "customers", "show", "c1")
    assert result.code == 2 and "There is no customer 'c1'" in result.err
    with duckdb.connect(str(empty_db)) as con:
        con.execute("INSERT INTO customers (customer_id, name) VALUES ('c1', 'Li Wei')")
    result = run(monkeypatch, capsys, "--db", str(empty_db), "customers", "show", "c1")
    assert result.code == 0, result.err
    assert "Customer c1 · Li Wei" in result.out
    assert "not analysed yet (run 'valuecrm analyze')" in result.out
    assert "Recent orders: none." in result.out
