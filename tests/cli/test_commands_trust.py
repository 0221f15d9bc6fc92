"""Trust 14 on the CDNOW sample: analyze's options, 'snapshots', migration's date order,
errors in the CLI's own option names, cohort percentages, the action table, and margin that is
revenue when no cost is known."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.helpers.cli import run


@pytest.fixture
def wide(monkeypatch):
    """A wide terminal, so that no table header wraps in the captured output."""
    monkeypatch.setenv("COLUMNS", "400")


def test_analyze_takes_horizon_discount_margin_and_model(monkeypatch, capsys, sample_db,
                                                         tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, db)
    result = run(monkeypatch, capsys, "--db", str(db), "analyze", "--as-of", "1998-03-31",
                 "--horizon", "24", "--discount-rate", "0.05", "--margin-rate", "0.3",
                 "--model", "paretonbd", "--json")
    assert result.code == 0, result.err
    snapshot = json.loads(result.out)
    config = snapshot["config"]
    assert (config["horizon_months"], config["discount_rate"], config["margin_rate"],
            config["candidates"]) == (24, 0.05, 0.3, ["ParetoNBD"])
    assert snapshot["model"] == "ParetoNBD" and snapshot["parameters"]["margin_ratio"] == 0.3


@pytest.mark.parametrize(("args", "option"), [
    (["--horizon", "0"], "--horizon"), (["--discount-rate", "1.5"], "--discount-rate"),
    (["--margin-rate", "0"], "--margin-rate"), (["--margin-rate", "2"], "--margin-rate"),
    (["--model", "Lifetimes"], "--model")])
def test_analyze_refuses_bad_options_by_their_name(monkeypatch, capsys, sample_db, args, option):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "analyze", *args)
    assert result.code == 2, result.err
    assert result.err.count(option) >= 1 and "AnalysisConfig" not in result.err, result.err


def test_snapshots_lists_them(monkeypatch, capsys, sample_db, wide):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "snapshots", "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)["snapshots"]
    assert [(r["snapshot_id"], r["as_of"], r["model"]) for r in rows] == [
        (2, "1997-12-31", "BetaGeo"), (1, "1998-06-30", "BetaGeo")]
    assert [r["customers"] for r in rows] == [2357, 2357]  # all joined in the first quarter
    assert all(r["created_at"] for r in rows)
    text = run(monkeypatch, capsys, "--db", str(sample_db), "snapshots")
    assert text.code == 0 and "1998-06-30" in text.out and "2,357" in text.out
    assert "created (UTC)" in text.out


def test_migration_refuses_dates_in_reverse_order(monkeypatch, capsys, sample_db):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "migration", "--from",
                 "1998-06-30", "--to", "1997-12-31")
    assert result.code == 2
    assert "--from" in result.err and "--to" in result.err and "earlier" in result.err


@pytest.mark.parametrize(("args", "option", "internal"), [
    (["segments", "--by", "colour"], "--by", "group_summary"),
    (["migration", "--from", "2", "--to", "1", "--by", "colour"], "--by", "segment_migration"),
    (["cohorts", "--period", "W"], "--period", "cohort_retention"),
    (["segments", "--snapshot", "yesterday"], "--snapshot", "get_snapshot"),
    (["actions", "retention", "--snapshot", "yesterday"], "--snapshot", "get_snapshot"),
    (["actions", "winback", "--out", "list.xlsx"], "--out", "export_list")])
def test_errors_name_the_options_typed(monkeypatch, capsys, sample_db, args, option, internal):
    result = run(monkeypatch, capsys, "--db", str(sample_db), *args)
    assert result.code == 2, (result.out, result.err)
    assert option in result.err and internal not in result.err, result.err
    assert "parameter of" not in result.err


def test_cohort_shares_are_percentages(monkeypatch, capsys, sample_db, wide):
    result = run(monkeypatch, capsys, "--db", str(sample_db), "cohorts", "--period", "Q")
    assert result.code == 0, result.err
    assert "100.0%" in result.out  # every cohort buys in its first quarter


def test_action_table_keeps_the_action_with_readable_headers_and_money(monkeypatch, capsys,
                                                                       sample_db, wide):
    out = run(monkeypatch, capsys, "--db", str(sample_db), "actions", "retention", "--top", "3",
              "--json")
    rows = json.loads(out.out)["customers"]
    result = run(monkeypatch, capsys, "--db", str(sample_db), "actions", "retention", "--top",
                 "3")
    assert result.code == 0, result.err
    header = next(line for line in result.out.splitlines() if "┃ customer" in line)
    for name in ("likely reason", "CLV", "P(alive)", "value at risk", "action"):
        assert name in header, header
    assert "value_at_risk" not in result.out and "p_alive" not in result.out
    for row in rows:
        assert f"{row['clv']:,.2f}" in result.out and f"{row['value_at_risk']:,.2f}" in result.out
        assert row["action"][:20] in result.out


def test_margin_without_costs_is_called_revenue(monkeypatch, capsys, sample_db, wide):
    """CDNOW has no cost: its 'margin' is revenue, and the CLI says so."""
    result = run(monkeypatch, capsys, "--db", str(sample_db), "segments", "--by", "status")
    assert result.code == 0, result.err
    assert "margin = revenue (no cost data)" in result.out
    assert "current value (revenue)" in result.out
    result = run(monkeypatch, capsys, "--db", str(sample_db), "actions", "winback", "--top", "3")
    assert result.code == 0, result.err
    assert "annual revenue (no cost data)" in result.out and "annual margin" not in result.out
    listed = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "list", "--limit",
                 "1", "--json")
    customer = json.loads(listed.out)["items"][0]["customer_id"]
    result = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "show", customer)
    assert result.code == 0, result.err
    assert "revenue (no cost data), current value (revenue)" in result.out
    assert "margin, current value" not in result.out
