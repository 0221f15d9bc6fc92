"""The cumulative tracking chart refits the purchase model on a sample of the calibration
customers when there are more than ``FIT_SAMPLE``: the sample is chosen by the customer ids
(smallest md5), so the chart is the same on every run whatever order the engine returns rows in
(it sampled an unordered grouping before)."""

from __future__ import annotations

import shutil
from pathlib import Path

import valuecrm.analysis.tracking as tracking
from valuecrm.analysis import get_snapshot
from valuecrm.store import connect


def _chart(path: Path) -> dict:
    with connect(path) as database:
        return tracking.cumulative_tracking(database.raw, get_snapshot(database, None))


def test_the_sample_follows_the_ids_not_the_row_order(sample_db: Path, tmp_path: Path,
                                                       monkeypatch):
    monkeypatch.setattr(tracking, "FIT_SAMPLE", 300)
    path = tmp_path / "crm.duckdb"
    shutil.copy(sample_db, path)
    first = _chart(path)
    assert first["customers"] > 300  # sampled
    with connect(path) as database:  # the same orders stored in the opposite order
        database.raw.execute("CREATE TABLE flipped AS SELECT * FROM orders "
                             "ORDER BY order_id DESC")
        database.raw.execute("DELETE FROM orders")
        database.raw.execute("INSERT INTO orders SELECT * FROM flipped")
        database.raw.execute("DROP TABLE flipped")
    assert _chart(path) == first
    monkeypatch.setattr(tracking, "FIT_SAMPLE", 10**9)
    whole = _chart(path)
    assert whole["actual"] == first["actual"] and whole["customers"] == first["customers"]
    assert whole["expected"] != first["expected"]  # the sample is a sample
