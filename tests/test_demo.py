"""The demo, as the README's first command runs it: real CDNOW data, a summary, a report
(``demo_run``: tests/conftest.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from valuecrm.demo import prepare_database
from valuecrm.errors import DatabaseError
from valuecrm.store import connect


def test_demo_loads_every_cdnow_customer_and_reports(demo_run):
    folder, out = demo_run
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["headline"]["customers"] == 23570
    assert summary["headline"]["orders"] == 69659
    assert summary["headline"]["best_model"] in {"BetaGeo", "ParetoNBD", "ModifiedBetaGeo"}
    assert 0 < summary["headline"]["customer_equity_12m"] < 2_500_315
    html = (folder / "report.html").read_text(encoding="utf-8")
    for title in ("Customer base", "Which purchase model to trust", "Customer lifetime value",
                  "RFM segments", "Action lists: retention and win-back",
                  "Customer value table: status, lifecycle, value matrix, pyramid",
                  "Method:", "Source:"):
        assert title in html
    # opens offline: Plotly's script is inlined, nothing is fetched
    assert "<script src=" not in html and "<link " not in html
    assert "Plotly.newPlot" in html and len(html) > 3_000_000
    with connect(folder / "demo.duckdb", read_only=True) as database:
        assert database.counts()["customers"] == 23570


def test_demo_prints_a_readable_summary_when_run_again(demo_run, tmp_path):
    folder, _ = demo_run
    shutil.copy(folder / "demo.duckdb", tmp_path / "demo.duckdb")  # the session's stays as made
    out = subprocess.run(
        [sys.executable, "-m", "valuecrm", "--db", str(tmp_path / "demo.duckdb"), "demo",
         "--report", str(tmp_path / "again.html")],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "customers: 23,570" in out.stdout
    assert "Report written to" in out.stdout


def test_demo_never_overwrites_a_database_it_did_not_write(tmp_path):
    path = tmp_path / "mine.duckdb"
    with connect(path) as database:
        database.raw.execute("INSERT INTO customers (customer_id) VALUES ('precious')")
    with pytest.raises(DatabaseError, match="will not overwrite"):
        prepare_database(path)
    with connect(path) as database:
        assert database.counts()["customers"] == 1


@pytest.mark.slow
def test_demo_on_the_complete_journey(tmp_path):
    """'valuecrm demo --dataset completejourney' from the bundled files only: demographics as
    attributes, the profile by age of REFERENCE.md, the campaigns' missing control group said,
    the report's 'Who they are' section."""
    out = subprocess.run(
        [sys.executable, "-m", "valuecrm", "--db", str(tmp_path / "cj.duckdb"), "demo",
         "--dataset", "completejourney", "--report", str(tmp_path / "cj.html"), "--json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=900,
    )
    assert out.returncode == 0, out.stderr
    headline = json.loads(out.stdout)["headline"]
    assert (headline["customers"], headline["orders"]) == (2469, 155848)
    assert headline["loaded"]["coupon_redemptions"] == 2102
    ages = {g["age"]: (g["customers"], round(g["mean_spend"], 4))
            for g in headline["profile_by_age"]}
    assert ages["45-54"] == (288, 3374.3826) and ages["65+"] == (72, 2452.7894)
    assert any("no control group" in line for line in headline["lines"])
    assert "not randomised" in headline["notes"][0]
    html = (tmp_path / "cj.html").read_text(encoding="utf-8")
    assert "The Complete Journey" in html and "Who they are" in html


def test_demo_refuses_an_unknown_dataset(tmp_path, monkeypatch, capsys):
    from tests.helpers.cli import run

    result = run(monkeypatch, capsys, "--db", str(tmp_path / "x.duckdb"), "demo", "--dataset",
                 "mnist")
    assert result.code == 2
    assert "--dataset must be one of cdnow, completejourney" in result.err
