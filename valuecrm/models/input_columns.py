"""Model inputs as columns: from a DataFrame, pyarrow Table, Ibis table or a mapping of arrays.

For fitting, identical rows are grouped into ``weights`` (for an Ibis table by a ``group_by``
in the engine, so only the small compressed result is executed); for scoring, the columns are
read row for row. Both are checked: present, finite and non-negative.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.models.checks import check_finite_nonnegative
from valuecrm.models.distinct_rows import unique_codes

Columns = dict[str, np.ndarray]


def is_ibis_table(data: Any) -> bool:
    return type(data).__module__.startswith("ibis.") and hasattr(data, "group_by")


def _missing_columns(available: Any, names: list[str], owner: str) -> None:
    missing = [name for name in names if name not in set(available)]
    if missing:
        raise SchemaError(
            f"{owner} needs the columns {', '.join(names)}; "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing.",
            hint="Rename your columns or build the summary with valuecrm's RFM summary first.",
        )


def grouped_frame(data: Any, names: list[str], owner: str, compress: bool) -> pd.DataFrame:
    """``names`` plus ``weights``, identical rows grouped (in the engine for Ibis)."""
    if is_ibis_table(data):
        _missing_columns(data.columns, names, owner)
        has_weights = "weights" in data.columns
        if not compress:
            table = data.select(*names, weights=data.weights if has_weights else 1)
            return table.to_pandas()
        weights = data.weights.sum() if has_weights else data.count()
        # in order of the values: an engine groups in no set order, and the fit's sums would
        # differ in the last digits from run to run
        return data.group_by(names).agg(weights=weights).order_by(names).to_pandas()
    frame = _as_frame(data, owner)
    _missing_columns(frame.columns, names, owner)
    has_weights = "weights" in frame.columns
    frame = frame[[*names, "weights"]] if has_weights else frame[names].assign(weights=1.0)
    if not compress:
        return frame
    return frame.groupby(names, sort=False, dropna=False, as_index=False)["weights"].sum()


def grouped_columns(data: Any, names: list[str], owner: str, compress: bool) -> Columns:
    """``names`` plus ``weights`` as float arrays, identical rows grouped and checked.

    An Ibis table is grouped by the engine (``grouped_frame``); in-memory data by hashing each
    row once (``unique_codes``) and summing the weights per code with ``np.bincount``, several
    times faster than a pandas ``groupby`` on a million rows. Rows keep the order of their
    first appearance.
    """
    if is_ibis_table(data):
        frame = grouped_frame(data, names, owner, compress)
        columns = {n: frame[n].to_numpy(dtype=float, na_value=np.nan) for n in [*names, "weights"]}
        check_finite_nonnegative(columns)
        return columns
    columns = column_arrays(data, [*names, "weights"] if _has_weights(data) else names, owner)
    if "weights" not in columns:
        columns["weights"] = np.ones(columns[names[0]].size)
    check_finite_nonnegative(columns)
    if not compress:
        return columns
    codes, values = unique_codes(*(columns[n] for n in names))
    weights = np.bincount(codes, weights=columns["weights"], minlength=values[0].size)
    return {**dict(zip(names, values, strict=True)), "weights": weights}


def _has_weights(data: Any) -> bool:
    if hasattr(data, "column_names") and hasattr(data, "column"):  # pyarrow Table
        return "weights" in data.column_names
    if isinstance(data, pd.DataFrame):
        return "weights" in data.columns
    return isinstance(data, Mapping) and "weights" in data


def _as_frame(data: Any, owner: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas") and hasattr(data, "column_names"):  # pyarrow Table
        return data.to_pandas()
    if isinstance(data, Mapping):
        return pd.DataFrame({k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in data.items()})
    raise ParameterError.of(
        "data", owner, "a pandas DataFrame, a pyarrow Table, an Ibis table or a dict of arrays",
        type(data).__name__,
    )


def column_arrays(data: Any, names: list[str], owner: str) -> Columns:
    if is_ibis_table(data):
        _missing_columns(data.columns, names, owner)
        data = data.select(*names).to_pyarrow()
    if hasattr(data, "column_names") and hasattr(data, "column"):  # pyarrow Table
        _missing_columns(data.column_names, names, owner)
        return {n: data.column(n).to_numpy().astype(float, copy=False) for n in names}
    if isinstance(data, Mapping) and not isinstance(data, pd.DataFrame):
        _missing_columns(data.keys(), names, owner)
        arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(data[n], float)) for n in names))
        return dict(zip(names, (np.array(a) for a in arrays), strict=True))
    frame = _as_frame(data, owner)
    _missing_columns(frame.columns, names, owner)
    return {n: frame[n].to_numpy(dtype=float, na_value=np.nan) for n in names}
