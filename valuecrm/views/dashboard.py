"""The figures only the dashboard's charts (and the report's value section) show, each in one
function over a DuckDB cursor: the CLV histogram and spread, the value-matrix sample and cuts,
the P(alive) matrix and its rows, and the database's snapshots with what a kept answer rests on.

Aggregates over one snapshot, never whole tables: at most a few thousand rows (the value-matrix
scatter is a sample of ``SCATTER_POINTS`` customers). The dashboard keeps them per snapshot
(:func:`valuecrm.interfaces.web.queries.per_snapshot`).
"""

from __future__ import annotations

from typing import Any

import duckdb

from valuecrm.store.snapshots import SNAPSHOTS_TABLE, VALUE_TABLE, Snapshot
from valuecrm.views.answer_cache import Shared, kept
from valuecrm.views.customer360 import rows

SCATTER_POINTS = 5000
HISTOGRAM_BINS = 30
Cursor = duckdb.DuckDBPyConnection

__all__ = ["HISTOGRAM_BINS", "SCATTER_POINTS", "clv_histogram", "clv_spread", "frequency_cap",
           "palive_matrix", "quadrant_cuts", "scatter_sample", "snapshots"]


def snapshots(cur: Cursor) -> list[Snapshot]:
    """Every snapshot, oldest first (empty when ``valuecrm analyze`` never ran); kept with the
    answers (:func:`~valuecrm.views.answer_cache.kept`: every page reads it, and while the
    server's lookup copy is attached that costs one catalog query). A new list of the kept
    snapshots themselves, shared: callers read them and never change them (copying their
    metadata took a sixth of a customer page)."""
    return list(kept(cur, f"{__name__}.snapshots",
                     lambda: Shared(tuple(_read_snapshots(cur)))).value)


def _read_snapshots(cur: Cursor) -> list[Snapshot]:
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if SNAPSHOTS_TABLE not in tables or VALUE_TABLE not in tables:
        return []
    found = rows(cur, f"SELECT * FROM {SNAPSHOTS_TABLE} ORDER BY as_of")
    return [Snapshot.from_row(row) for row in found]


def _where(snapshot_id: int) -> str:
    return f"FROM {VALUE_TABLE} WHERE snapshot_id = {int(snapshot_id)}"


def _valued(snapshot_id: int) -> str:
    """The customers of the snapshot with a CLV (a finite one)."""
    return f"{_where(snapshot_id)} AND clv IS NOT NULL AND isfinite(clv)"


def clv_histogram(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """CLV in ``HISTOGRAM_BINS`` equal bins up to its 99th percentile (the rest in the last)."""
    top = cur.execute(f"SELECT quantile_cont(clv, 0.99), min(clv) {_valued(snapshot_id)}"
                      ).fetchone()
    if top[0] is None:
        return []
    low, high = min(float(top[1]), 0.0), float(top[0])
    width = (high - low) / HISTOGRAM_BINS or 1.0
    found = rows(cur, f"SELECT least(floor((clv - {low}) / {width}), {HISTOGRAM_BINS - 1}) "
                      f"AS bin, count(*) AS customers {_valued(snapshot_id)} "
                      "GROUP BY 1 ORDER BY 1")
    return [{"from": low + r["bin"] * width, "to": low + (r["bin"] + 1) * width,
             "customers": r["customers"]} for r in found]


def clv_spread(cur: Cursor, snapshot_id: int) -> dict[str, Any] | None:
    """How CLV is spread over the snapshot's customers, counted in the engine: ``customers``
    with a CLV, their ``median`` and ``top_share``, the share of the CLV sum held by the top
    fifth of them (the largest ``customers // 5`` CLVs, at least one; Kahan sums, so the
    share does not depend on the order rows are read). None without a CLV."""
    n, median, total = cur.execute(
        f"SELECT count(*), median(clv), fsum(clv) {_valued(snapshot_id)}").fetchone()
    if not n:
        return None
    (top,) = cur.execute(f"SELECT fsum(clv) FROM (SELECT clv {_valued(snapshot_id)} "
                         f"ORDER BY clv DESC LIMIT {max(1, int(n) // 5)})").fetchone()
    return {"customers": int(n), "median": float(median),
            "top_share": float(top) / max(float(total), 1e-12)}


def scatter_sample(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Current value, growth potential and quadrant of at most ``SCATTER_POINTS`` customers,
    the same sample on every request (ordered by a hash of the customer id)."""
    return rows(cur, f"SELECT round(current_value, 2) AS current_value, round(growth_potential, "
                     f"2) AS growth_potential, quadrant {_where(snapshot_id)} "
                     f"ORDER BY hash(customer_id) LIMIT {SCATTER_POINTS}")


def quadrant_cuts(cur: Cursor, snapshot_id: int) -> dict[str, Any]:
    """Where the value matrix is cut: the medians of current value and growth potential."""
    return rows(cur, f"SELECT median(current_value) AS value, median(growth_potential) AS growth "
                     f"{_where(snapshot_id)}")[0]


def palive_matrix(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Mean P(alive) per repeat purchases (capped at 20) and weeks since the last purchase
    (in 13-week bins)."""
    return rows(cur, f"SELECT least(frequency, 20) AS frequency, "
                     f"floor(days_since_last / 91) * 13 AS weeks, avg(p_alive) AS p_alive, "
                     f"count(*) AS customers {_where(snapshot_id)} AND p_alive IS NOT NULL "
                     "GROUP BY 1, 2 ORDER BY 1, 2")


def frequency_cap(cur: Cursor, snapshot_id: int) -> int:
    """The 99th percentile of repeat frequency (at least 1, at most 30): the rows of the
    frequency-recency matrix."""
    found = cur.execute(f"SELECT quantile_disc(frequency, 0.99) {_where(snapshot_id)}"
                        ).fetchone()[0]
    return int(min(max(found or 1, 1), 30))
