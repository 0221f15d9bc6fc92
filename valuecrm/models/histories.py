"""Customer histories: the (frequency, recency, T) summary, read once for many predictions.

``expected_purchases(t, data)`` reads and checks the (frequency, recency, T) columns and groups
rows (the distinct (x, T) pairs of BG/NBD, the (x, y) pairs of Pareto/NBD) at every call. A CLV
sums it over 12 monthly horizons, and its interval repeats that for every shifted parameter
value: :class:`Histories` does the reading, the checks and each grouping once, and the models'
``expected_purchases_curve(ts, histories)`` computes P(alive) once per parameter value and
the horizon-dependent part per horizon.

:func:`distinct_histories` is the one grouping of customers with identical histories: they
expect the same purchases, so the purchase models run once per distinct history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from valuecrm.models.checks import check_finite_nonnegative, check_summary
from valuecrm.models.distinct_rows import unique_codes
from valuecrm.models.input_columns import Columns, column_arrays

SUMMARY_COLUMNS = ("frequency", "recency", "T")
T = TypeVar("T")


class Histories(Mapping[str, np.ndarray]):
    """Checked ``frequency, recency, T`` arrays of one set of customers (row order kept), a
    mapping of column names to arrays that any model reads, and the groupings of them that
    models compute on first use (``shared``)."""

    def __init__(self, columns: Columns):
        self.columns = columns
        self._shared: dict[str, Any] = {}

    @classmethod
    def of(cls, data: Any, owner: str) -> Histories:
        """The summary columns of ``data`` (DataFrame, pyarrow or Ibis table, mapping), checked:
        finite, >= 0 and recency <= T (a DataError otherwise)."""
        if isinstance(data, Histories):
            return data
        columns = column_arrays(data, list(SUMMARY_COLUMNS), owner)
        check_finite_nonnegative(columns)
        check_summary(columns, owner, fitting=False)
        return cls(columns)

    @property
    def x(self) -> np.ndarray:
        return self.columns["frequency"]

    @property
    def t_x(self) -> np.ndarray:
        return self.columns["recency"]

    @property
    def big_t(self) -> np.ndarray:
        return self.columns["T"]

    @property
    def n_rows(self) -> int:
        return int(self.x.size)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def shared(self, name: str, build: Callable[[], T]) -> T:
        """``build()`` the first time ``name`` is asked for, the same object afterwards."""
        if name not in self._shared:
            self._shared[name] = build()
        return self._shared[name]

    def to_frame(self) -> pd.DataFrame:
        """The summary columns as a DataFrame (for models that read only DataFrames)."""
        return pd.DataFrame(self.columns)


def distinct_histories(data: Any, owner: str) -> tuple[np.ndarray, Histories]:
    """Per customer of ``data``, the index of its history among the distinct (frequency,
    recency, T) rows, and those rows (checked, in order of first appearance).

    ``rows.columns[c][codes]`` gives back column ``c`` of ``data``. ``owner`` names the caller
    in the errors (missing columns, negative or missing values, recency > T).
    """
    columns = Histories.of(data, owner).columns
    codes, values = unique_codes(*(columns[name] for name in SUMMARY_COLUMNS))
    return codes, Histories(dict(zip(SUMMARY_COLUMNS, values, strict=True)))
