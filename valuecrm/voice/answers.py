"""Reading survey answers: the item columns as numbers, checked against their declared scale.

Rules (stated once, used by every model of this package):

- **Columns**: every item a model names must be a column of the data; otherwise a
  :class:`~valuecrm.errors.SchemaError` names it and lists the columns there are.
- **Numbers**: answers must be numeric (or empty); text such as ``"7 - agree"`` is refused
  with the column, the row and the value.
- **Scale**: each item has a scale ``(low, high)``, e.g. ``(1, 10)``. Declared by the caller
  (one pair for all items, or a mapping item -> pair); when not declared, one scale for all
  undeclared items, the smallest of the usual scales 1-5, 1-7, 1-10 and 0-10 that holds all
  their answers (a 0 anywhere makes it 0-10; an item answered only 1-5 in a 1-10 survey stays
  1-10). An answer outside the declared scale is a :class:`~valuecrm.errors.DataError`
  naming the column, the row and the value.
- **Missing answers** (empty cells, NaN): ``missing="drop"`` leaves out every respondent with a
  missing answer on any item used (listwise deletion; the count is kept); ``missing="mean"``
  replaces a missing answer by the item's mean over the respondents who gave one (the default of
  seminr, ``mean_replacement``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, ParameterError, SchemaError

USUAL_SCALES: tuple[tuple[float, float], ...] = ((1, 5), (1, 7), (1, 10), (0, 10))
MISSING_RULES = ("drop", "mean")

Scale = tuple[float, float]


@dataclass(frozen=True)
class Answers:
    """The checked answers: ``values`` (n, p) float64 in ``items`` order, one row per kept
    respondent (``index`` from the data), each item's ``scales`` and how many respondents the
    missing-answer rule dropped."""

    values: np.ndarray
    items: tuple[str, ...]
    index: pd.Index
    scales: dict[str, Scale]
    n_dropped: int


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    try:
        return pd.DataFrame(data)
    except (TypeError, ValueError) as error:
        raise ParameterError(
            f"Survey answers must be a table (a pandas DataFrame, or a mapping of column -> "
            f"values). Got {type(data).__name__} instead."
        ) from error


def _numeric(frame: pd.DataFrame, item: str) -> np.ndarray:
    column = frame[item]
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(values) & column.notna().to_numpy()
    if bad.any():
        row = frame.index[int(np.flatnonzero(bad)[0])]
        raise DataError(
            f"Column {item!r}, row {row!r}: the answer {column.loc[row]!r} is not a number.",
            hint="Recode the answers as numbers on the item's scale (e.g. 1-10), empty when "
                 "not answered.", column=item, row=str(row), value=str(column.loc[row]))
    inf = np.isinf(values)
    if inf.any():
        row = frame.index[int(np.flatnonzero(inf)[0])]
        raise DataError(f"Column {item!r}, row {row!r}: the answer {values[inf][0]} is not finite.",
                        column=item, row=str(row))
    return values


def _matrix(frame: pd.DataFrame, items: Sequence[str]) -> np.ndarray:
    """The item columns as one float64 matrix (n, p); numeric columns are taken at once."""
    if not items:
        return np.empty((len(frame), 0))
    columns = frame[list(items)]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
           for t in columns.dtypes):
        plain = all(isinstance(t, np.dtype) for t in columns.dtypes)  # no pandas NA
        values = (columns.to_numpy(dtype=float) if plain
                  else columns.to_numpy(dtype=float, na_value=np.nan))
        if np.isinf(values).any():
            return np.column_stack([_numeric(frame, item) for item in items])
        return values
    return np.column_stack([_numeric(frame, item) for item in items])


def infer_scale(low: float, high: float) -> Scale:
    """The smallest usual scale (1-5, 1-7, 1-10, 0-10) holding answers from ``low`` to ``high``;
    else (low, high)."""
    if np.isnan(low):
        return USUAL_SCALES[0]
    low, high = float(low), float(high)
    for scale in USUAL_SCALES:
        if scale[0] <= low and high <= scale[1]:
            return scale
    return (low, high)


def _scale_of(item: str, scale: Scale | Mapping[str, Scale] | None,
              observed: tuple[float, float]) -> Scale:
    declared = scale.get(item) if isinstance(scale, Mapping) else scale
    if declared is None:
        return infer_scale(*observed)
    try:
        low, high = (float(x) for x in declared)
    except (TypeError, ValueError) as error:
        raise ParameterError.of("scale", "the survey", "a pair (low, high) of numbers",
                                declared) from error
    if not low < high:
        raise ParameterError.of("scale", "the survey", "a pair (low, high) with low < high",
                                declared)
    return (low, high)


def read_answers(data: Any, items: Sequence[str], *, scale: Scale | Mapping[str, Scale] | None
                 = None, missing: str = "drop", owner: str = "the model") -> Answers:
    """The item columns of ``data`` as a checked float matrix (rules in the module docstring)."""
    if missing not in MISSING_RULES:
        raise ParameterError.of("missing", owner, "one of " + ", ".join(map(repr, MISSING_RULES)),
                                missing)
    frame = _as_frame(data)
    absent = [item for item in items if item not in frame.columns]
    if absent:
        shown = ", ".join(map(str, list(frame.columns)[:30]))
        raise SchemaError(
            f"{owner} names the column {absent[0]!r}, which the survey data do not have"
            + (f" (nor {', '.join(map(repr, absent[1:]))})" if len(absent) > 1 else "")
            + f". Columns there: {shown}.",
            hint="Correct the item name in the model, or pick the file with that column.",
            column=absent[0])
    values = _matrix(frame, items)
    gaps = np.isnan(values)
    empty = [item for item, none in zip(items, gaps.all(axis=0), strict=True) if none]
    if empty:
        raise DataError(f"Column {empty[0]!r} has no answers at all.",
                        hint="Leave the item out, or pick the file that holds its answers.",
                        column=empty[0])
    lows, highs = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    undeclared = [j for j, item in enumerate(items)
                  if (scale.get(item) if isinstance(scale, Mapping) else scale) is None]
    shared = (float(np.nanmin(lows[undeclared])), float(np.nanmax(highs[undeclared]))) \
        if undeclared else (np.nan, np.nan)
    scales = {}
    for j, item in enumerate(items):
        low, high = scales[item] = _scale_of(item, scale, shared)
        if lows[j] < low or highs[j] > high:
            outside = (values[:, j] < low) | (values[:, j] > high)
            first = int(np.flatnonzero(outside)[0])
            raise DataError(
                f"Column {item!r}, row {frame.index[first]!r}: the answer {values[first, j]:g} is "
                f"outside the item's scale {low:g}-{high:g} ({int(outside.sum())} such answers).",
                hint="Correct the answers, or declare the scale the survey used (scale=(low, "
                     "high)).", column=item, row=str(frame.index[first]), value=values[first, j])
    index = frame.index
    n_dropped = 0
    if gaps.any():
        if missing == "drop":
            keep = ~gaps.any(axis=1)
            n_dropped = int((~keep).sum())
            values, index = values[keep], index[keep]
        else:
            means = np.nanmean(values, axis=0)
            values = np.where(gaps, means[None, :], values)
    return Answers(values, tuple(items), index, scales, n_dropped)


def check_not_constant(answers: Answers, sd: np.ndarray, what: Mapping[str, str]) -> None:
    """Refuse an item whose answers are all the same (``sd`` 0: it correlates with nothing);
    ``what`` maps an item to the construct it measures, for the message."""
    for j in np.flatnonzero(~(sd > 0)):
        item = answers.items[j]
        construct = what.get(item)
        value = answers.values[0, j] if len(answers.values) else float("nan")
        only = construct is not None and sum(1 for c in what.values() if c == construct) == 1
        where = (f"the only item of the construct {construct!r}" if only
                 else f"an item of {construct!r}" if construct else "an item")
        raise DataError(
            f"Column {item!r} ({where}) has the same answer, {value:g}, from every respondent: "
            "it measures nothing the model can use.",
            hint="Leave the item out of the model, or check that the column holds the answers.",
            column=item, value=float(value))
