"""The per-customer summary of an analysis, kept in the engine (issue 16, point 7).

The purchase and spend models need only the distinct (frequency, recency, T) histories and
(frequency, monetary value) pairs with their customer counts (``weights``): the models group
identical rows into them anyway (:func:`valuecrm.models.input_columns.grouped_columns`). They are
grouped here by the engine, in the order in which each first appears in customer order (or in
the order of the seeded sample, drawn as ``DataFrame.sample`` draws it: the first rows of a
``RandomState(seed)`` permutation of the positions), so the fits see the very rows, weights and
order they saw when the whole summary came to pandas, and give the same estimates to the last
digit. Only the distinct rows come to Python, and the customers are scored a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

__all__ = ["EngineSummary", "sample_positions"]


def sample_positions(n: int, size: int, seed: int) -> np.ndarray:
    """The positions ``DataFrame.sample(size, random_state=seed)`` takes from ``n`` rows, in
    its order (numpy's ``RandomState.choice`` without replacement)."""
    return np.random.RandomState(seed).permutation(n)[:size]


class EngineSummary:
    """The summary columns of every customer as an engine table with ``pos`` (the customer's
    place in customer-id order, from 0), and its totals."""

    def __init__(self, rows: ir.Table, keep: Callable[[str, Any], Any],
                 frame: Callable[[str, pd.DataFrame], Any]) -> None:
        self.rows = rows
        self._keep = keep
        self._frame = frame
        self._samples = 0
        totals = rows.aggregate(customers=rows.count(), t_max=rows["T"].max(),
                                repeat_buyers=rows.count(where=rows.n_purchases > 1),
                                purchases=rows.n_purchases.sum()).to_pandas().iloc[0]
        self.customers = int(totals["customers"])
        self.t_max = float(totals["t_max"]) if self.customers else 0.0
        self.repeat_buyers = int(totals["repeat_buyers"] or 0)
        self.purchases = int(totals["purchases"] or 0)

    @classmethod
    def of(cls, table: ir.Table, columns: list[str], keep: Callable[[str, Any], Any],
           frame: Callable[[str, pd.DataFrame], Any]) -> EngineSummary:
        """``columns`` of ``table`` (one row per customer) kept by ``keep(name, table)`` with
        ``pos``; ``frame(name, dataframe)`` stores the sample positions."""
        chosen = table.select(*columns)
        chosen = chosen.mutate(pos=ibis.row_number().over(order_by=chosen.customer_id))
        return cls(keep("per_customer", chosen.order_by("pos")), keep, frame)

    def __len__(self) -> int:
        return self.customers

    def grouped(self, columns: list[str], where: Callable[[ir.Table], Any] | None = None,
                sample: int | None = None, seed: int = 0) -> pd.DataFrame:
        """The distinct values of ``columns`` among the customers ``where`` keeps (or a seeded
        sample of ``sample`` of them, as ``DataFrame.sample`` draws it from the customer-ordered
        rows), with ``weights`` (customers per row), in the order each first appears."""
        rows = self.rows if where is None else self.rows.filter(where(self.rows))
        n = int(rows.count().to_pyarrow().as_py())
        if sample is not None and n > sample:
            ranked = rows.mutate(_rank=ibis.row_number().over(order_by=rows.pos))
            self._samples += 1
            picks = self._frame(f"sample_positions_{self._samples}", pd.DataFrame({
                "_pick": sample_positions(n, sample, seed).astype("int64"),
                "_order": np.arange(sample, dtype="int64")}))
            rows = ranked.join(picks, ranked._rank == picks._pick)
            first = rows._order
        else:
            first = rows.pos
        grouped = rows.group_by(columns).agg(weights=rows.count(), _first=first.min())
        frame = grouped.order_by("_first").select(*columns, "weights").to_pandas()
        frame["weights"] = frame["weights"].astype(float)
        return frame

    def eligible_sample(self, min_t: float, size: int | None, seed: int
                        ) -> tuple[int, ir.Table | None]:
        """The customers with ``T`` at least ``min_t``, and a seeded sample of ``size`` of
        them (drawn as ``Series.sample`` draws it from their ids in order) as an engine table
        of ``customer_id``; None when all are taken."""
        rows = self.rows.filter(self.rows["T"] >= min_t)
        n = int(rows.count().to_pyarrow().as_py())
        if size is None or n <= size:
            return n, None
        ranked = rows.mutate(_rank=ibis.row_number().over(order_by=rows.pos))
        picks = self._frame("eligible_positions", pd.DataFrame(
            {"_pick": sample_positions(n, size, seed).astype("int64")}))
        chosen = ranked.join(picks, ranked._rank == picks._pick).select("customer_id")
        return n, self._keep("sample", chosen)

    def chunks(self, columns: list[str], size: int) -> Iterator[pd.DataFrame]:
        """``columns`` of every customer, ``size`` customers at a time, in customer order."""
        for first in range(0, max(self.customers, 1), size):
            part = self.rows.filter((self.rows.pos >= first) & (self.rows.pos < first + size))
            yield part.order_by("pos").select(*columns).to_pandas()
