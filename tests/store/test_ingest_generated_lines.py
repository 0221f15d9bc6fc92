"""Issue 18, done when: a generated line-level file (cancellations with a prefix and negative
quantities, guest lines, duplicates, adjustments) loads in one command from CSV, gzip and a
two-sheet Excel workbook, and the value table equals the generator's truth for every customer."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.helpers.cli import run
from valuecrm import analyze
from valuecrm.store import connect
from valuecrm.store.snapshots import read_snapshot
from valuecrm.synthetic import generate


def scores(goodness: pd.Series) -> list[int]:
    """RFM quintile scores as documented: 1 + floor(5 (rank - 1) / N), ties take the low rank."""
    rank = goodness.rank(method="min")
    return (1 + np.floor(5 * (rank - 1) / len(goodness))).astype(int).tolist()


@pytest.mark.parametrize("name", ["sales.csv", "sales.csv.gz", "sales.xlsx"])
def test_a_generated_line_file_loads_in_one_command_and_equals_the_truth(
        name, db_path, tmp_path, monkeypatch, capsys):
    made = generate(150, out=tmp_path / "tables", lines=tmp_path / name, seed=11)
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders",
                 str(made.lines_path), "--create-customers", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    made_counts = made.lines_counts
    assert report["rows_read"] == made_counts["lines"] and report["rows_rejected"] == 0
    lines = report["lines"]
    assert (lines["returns"], lines["duplicate_lines"], lines["guest_lines"],
            lines["adjustment_lines"], lines["stock_corrections"]) == (
        made_counts["cancellations"], made_counts["duplicate_lines"], made_counts["guest_lines"],
        made_counts["adjustment_lines"], made_counts["stock_corrections"])
    truth = pd.read_parquet(made.lines_truth_path).set_index("customer_id")
    with connect(db_path) as db:
        snapshot = analyze(db)
        table = read_snapshot(db).to_pandas().set_index("customer_id")
    assert sorted(table.index) == sorted(truth.index)
    table = table.loc[truth.index]
    assert table["n_purchases"].astype(int).tolist() == truth["purchase_days"].tolist()
    assert np.allclose(table["total_spend"], truth["gross_spend"], rtol=0, atol=1e-9)
    assert np.allclose(table["revenue"], truth["net_spend"], rtol=0, atol=1e-9)
    as_of = pd.Timestamp(snapshot.as_of)
    days_since = (as_of - truth["last_purchase_at"].dt.normalize()).dt.days
    assert table["days_since_last"].astype(int).tolist() == days_since.tolist()
    assert table["r_score"].astype(int).tolist() == scores(-days_since)
    assert table["f_score"].astype(int).tolist() == scores(truth["purchase_days"])
    assert table["m_score"].astype(int).tolist() == scores(
        np.round(truth["gross_spend"] * 100))
