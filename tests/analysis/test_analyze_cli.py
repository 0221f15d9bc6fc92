"""``valuecrm analyze`` and ``valuecrm segments`` through the CLI entry point."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.data import small_database


@pytest.fixture
def small(db_path):
    days = pd.date_range("2023-01-01", "2024-06-30", periods=200)
    rows = [(f"c{i % 40}", str(day.date()), 5.0 + i % 13) for i, day in enumerate(days)]
    small_database(db_path, rows).close()
    return str(db_path)


def test_analyze_then_segments(monkeypatch, capsys, small):
    code, out, err = run(monkeypatch, capsys, "--db", small, "analyze", "--json")
    assert code == 0, err
    snapshot = json.loads(out)
    assert snapshot["snapshot_id"] == 1 and snapshot["counts"]["customers"] == 40
    code, out, err = run(monkeypatch, capsys, "--db", small, "analyze", "--as-of", "2024-01-31")
    assert code == 0, err
    assert "Snapshot 2 as of 2024-01-31" in out and "Status:" in out
    code, out, err = run(monkeypatch, capsys, "--db", small, "segments", "--by", "tier",
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["snapshot_id"] == 1 and result["by"] == "tier"  # the latest as-of date
    assert sum(g["customers"] for g in result["items"]) == 40
    code, out, err = run(monkeypatch, capsys, "--db", small, "segments", "--snapshot",
                         "2024-01-31", "--by", "status")
    assert code == 0, err
    assert "Snapshot 2 as of 2024-01-31, by status" in out and "customers" in out


def test_clear_errors_and_exit_codes(monkeypatch, capsys, small, tmp_path):
    code, _, err = run(monkeypatch, capsys, "--db", small, "segments")
    assert code == 2 and "There is no snapshot" in err and "valuecrm analyze" in err
    run(monkeypatch, capsys, "--db", small, "analyze")
    code, _, err = run(monkeypatch, capsys, "--db", small, "segments", "--by", "color")
    assert code == 2 and "--by must be one of" in err  # the option typed, not group_summary
    code, _, err = run(monkeypatch, capsys, "--db", small, "segments", "--snapshot", "9")
    assert code == 2 and "no snapshot '9'" in err
    empty = str(tmp_path / "empty.duckdb")
    assert run(monkeypatch, capsys, "--db", empty, "init")[0] == 0  # analyze creates none
    code, out, _ = run(monkeypatch, capsys, "--db", empty, "analyze", "--json")
    assert code == 2 and json.loads(out)["error"] == "unusable_data"
