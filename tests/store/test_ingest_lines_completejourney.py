"""The Complete Journey's transaction lines load as a line-level file: one order per basket,
and the value table's spend equals the sum of ``sales_value`` per household."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tests.helpers.cli import run
from valuecrm import analyze
from valuecrm.store import connect
from valuecrm.store.snapshots import read_snapshot

SLICE = Path(__file__).parents[1] / "data" / "completejourney_lines.csv"
MAP = ["--map", "basket_id=order_id", "--map", "household_id=customer_id",
       "--map", "transaction_timestamp=ordered_at", "--map", "sales_value=line_amount"]


def test_completejourney_lines_load_in_one_command(db_path, monkeypatch, capsys):
    raw = pd.read_csv(SLICE, dtype={"household_id": str, "basket_id": str,
                                    "product_id": str}, parse_dates=["transaction_timestamp"])
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders", str(SLICE),
                 *MAP, "--create-customers")
    assert result.code == 0, result.err
    with connect(db_path) as db:
        counts = db.counts()
        assert counts["orders"] == raw["basket_id"].nunique() == 94
        assert counts["order_lines"] == len(raw) == 794
        assert counts["products"] == raw["product_id"].nunique()
        assert counts["customers"] == raw["household_id"].nunique() == 11
        assert counts["guest_orders"] == 0
        analyze(db)
        table = read_snapshot(db).to_pandas().set_index("customer_id").sort_index()
    spend = raw.groupby("household_id")["sales_value"].sum().sort_index()
    days = raw.groupby("household_id")["transaction_timestamp"].apply(
        lambda t: t.dt.normalize().nunique()).sort_index()
    assert list(table.index) == list(spend.index)
    assert np.allclose(table["total_spend"], spend, rtol=0, atol=1e-6)
    assert np.allclose(table["revenue"], spend, rtol=0, atol=1e-6)  # no returns in the slice
    assert table["n_purchases"].tolist() == days.tolist()
