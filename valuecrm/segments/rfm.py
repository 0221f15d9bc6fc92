"""RFM scores (RFM 模型), named segments and the 8 RFM classes, as Ibis expressions.

Recency R is the time since the last purchase (smaller is better), frequency F the number of
purchases, monetary M the total spend: the "RFM view" of :func:`valuecrm.rfm_summary`. Each is
scored 1..``bins`` so that the best fifth gets 5 (Hughes, 1994, *Strategic Database Marketing*;
the textbook 5-5-5 RFM cells), the (R, F) cell gives a named segment, and R, F, M each high or low
against its mean give the 8 classes (重要价值 HHH ... 一般挽留 LLL).

Everything here is backend-neutral Ibis: the result is an expression that runs where the input
lives (DuckDB, Spark, ...).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.features.money import MONEY_DECIMALS, check_money_decimals, money, money_mean
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
from valuecrm.segments.rfm_rules import segment_grid

DIMENSIONS = ("r", "f", "m")
METHODS = ("quantile", "fixed")
CLASS_CUTS = ("mean", "median")
MAX_BINS = 9


def _as_table(data: Any, owner: str) -> ir.Table:
    if isinstance(data, ir.Table):
        return data
    if isinstance(data, pd.DataFrame):
        return ibis.memtable(data)
    raise ParameterError.of("summary", owner, "an Ibis table or a pandas DataFrame",
                            type(data).__name__)


def _require_columns(table: ir.Table, columns: Mapping[str, str], owner: str,
                     numeric: tuple[str, ...] = ()) -> None:
    missing = [f"{col!r} ({role})" for role, col in columns.items() if col not in table.columns]
    if missing:
        raise SchemaError(
            f"{owner} needs the column(s) {', '.join(missing)}, which the table does not have "
            f"(it has: {', '.join(table.columns) or 'no columns'}).",
            hint="Rename them, or name yours with the *_col arguments.",
            missing=[columns[r] for r, c in columns.items() if c not in table.columns])
    for role in numeric:
        dtype = table[columns[role]].type()
        if not dtype.is_numeric():
            raise SchemaError(
                f"The {role} column {columns[role]!r} of {owner} must be numeric. "
                f"It is {dtype}.", hint="Express it as a number (e.g. days since last purchase).")


def _check_bins(bins: Any) -> int:
    if isinstance(bins, bool) or not isinstance(bins, int) or not 2 <= bins <= MAX_BINS:
        raise ParameterError.of("bins", "rfm_scores", f"an integer in 2..{MAX_BINS}", bins)
    return bins


def _check_breakpoints(breakpoints: Any, bins: int) -> dict[str, list[float]]:
    expected = (f"a mapping with keys 'r', 'f', 'm', each {bins - 1} strictly ascending numbers "
                f"(bins - 1 cut points)")
    if not isinstance(breakpoints, Mapping) or set(breakpoints) != set(DIMENSIONS):
        raise ParameterError.of("breakpoints", "rfm_scores", expected, breakpoints)
    checked: dict[str, list[float]] = {}
    for dim in DIMENSIONS:
        cuts = breakpoints[dim]
        ok = (isinstance(cuts, list | tuple) and len(cuts) == bins - 1
              and all(isinstance(c, int | float) and not isinstance(c, bool)
                      and math.isfinite(c) for c in cuts)
              and all(a < b for a, b in itertools.pairwise(cuts)))
        if not ok:
            raise ParameterError.of(f"breakpoints[{dim!r}]", "rfm_scores", expected, cuts)
        checked[dim] = [float(c) for c in cuts]
    return checked


def _check_weights(weights: Any) -> dict[str, float] | None:
    if weights is None:
        return None
    expected = "a mapping {'r': .., 'f': .., 'm': ..} of non-negative numbers, not all zero"
    if not isinstance(weights, Mapping) or set(weights) != set(DIMENSIONS):
        raise ParameterError.of("weights", "rfm_scores", expected, weights)
    values = list(weights.values())
    if not all(isinstance(w, int | float) and not isinstance(w, bool) and math.isfinite(w)
               and w >= 0 for w in values) or not any(values):
        raise ParameterError.of("weights", "rfm_scores", expected, weights)
    return {dim: float(weights[dim]) for dim in DIMENSIONS}


def _quantile_score(value: ir.NumericColumn, *, higher_is_better: bool,
                    bins: int) -> ir.IntegerColumn:
    """1 + floor(bins * (rank_min - 1) / N), ranks from worst (1) to best (N), nulls left out."""
    worst_first = value if higher_is_better else ibis.desc(value)
    rank0 = ibis.rank().over(group_by=value.isnull(), order_by=worst_first)
    n = value.count().over()
    score = ((rank0 * bins) // n + 1).cast("int64")
    return ibis.ifelse(value.isnull(), ibis.null("int64"), score)


def _fixed_score(value: ir.NumericColumn, cuts: list[float], *, higher_is_better: bool,
                 bins: int) -> ir.IntegerColumn:
    """Score by cut points; a value equal to a cut point gets the better (higher) score."""
    if higher_is_better:
        above = sum((value >= c).cast("int64") for c in cuts)
        return (above + 1).cast("int64")
    worse = sum((value > c).cast("int64") for c in cuts)
    return (bins - worse).cast("int64")


def _high_low(value: ir.NumericColumn, cut: ir.NumericValue, *,
              higher_is_better: bool) -> ir.StringColumn:
    """'H' when strictly better than the cut, 'L' otherwise (a value equal to it is low)."""
    better = value > cut if higher_is_better else value < cut
    return ibis.cases((value.isnull(), ibis.null("string")), (better, "H"), else_="L")


def rfm_scores(
    summary: ir.Table | pd.DataFrame,
    *,
    bins: int = 5,
    method: str = "quantile",
    rules: Any = None,
    breakpoints: Mapping[str, list[float]] | None = None,
    weights: Mapping[str, float] | None = None,
    class_cut: str = "mean",
    id_col: str = "customer_id",
    recency_col: str = "time_since_last",
    frequency_col: str = "n_purchases",
    monetary_col: str = "total_spend",
    money_decimals: int = MONEY_DECIMALS,
) -> ir.Table:
    """RFM scores, cell, total, named segment and class of every customer (RFM 模型).

    ``summary`` has one row per customer: ``id_col``, recency (time since the last purchase,
    smaller is better), frequency (number of purchases) and monetary value (total spend), e.g.
    the output of :func:`valuecrm.rfm_summary`.

    Scores, 1..``bins`` (2 to 9), larger is better:

    - ``method="quantile"``: score = 1 + floor(bins * (rank - 1) / N), where rank runs from the
      worst customer (1) to the best (N) and tied customers share the smallest rank of their
      group, hence the lower score. The best 20% get 5 with 5 bins; for R the best is the
      smallest time since the last purchase. One customer alone, or customers who are all
      equal, get 1. A null input gets a null score and is left out of N.
    - ``method="fixed"``: ``breakpoints={"r": [...], "f": [...], "m": [...]}``, bins - 1
      ascending cut points per dimension in the input's units. A value equal to a cut point
      gets the better score: F/M score = 1 + number of cut points <= value; R score = bins -
      number of cut points < value (``{"r": [30, 90, 180, 365]}`` gives 5 to purchases at most
      30 days ago and 1 to those more than 365 days ago).

    ``rfm_cell`` is the three scores as text ("545"); ``rfm_total`` their sum, or
    ``weights["r"] * r + weights["f"] * f + weights["m"] * m``. ``rfm_segment`` comes from the
    (R, F) cell through ``rules`` (see :mod:`valuecrm.segments.rfm_rules`; default: the 11 usual
    segments of :data:`SEGMENTS`, defined on 5 bins; with other ``bins`` each score is mapped to
    the 1..5 score whose band holds the middle of its own, unless you pass your own rules).

    ``rfm_class`` (Chinese name), ``rfm_class_en`` and ``rfm_class_code`` (e.g. "HLH", order R F
    M): each of R, F, M is high (H) when strictly better than its mean (``class_cut="median"``:
    median) over the customers, low (L) otherwise; a value equal to the cut is low, so
    customers who are all equal are all LLL. High R means a time since the last purchase below
    the cut.

    Money is compared exactly (see :mod:`valuecrm.features.money`): the monetary value is
    rounded to ``money_decimals`` digits (2, cents, by default; 0 for yen) before it is ranked,
    cut or compared with its mean (itself taken over whole minor units), so customers who spent
    the same get the same M score in every run and on every engine.

    Returns an Ibis table (unordered): ``id_col``, the three input columns, ``r_score``,
    ``f_score``, ``m_score``, ``rfm_cell``, ``rfm_total``, ``rfm_segment``, ``rfm_class``,
    ``rfm_class_en``, ``rfm_class_code``.
    """
    owner = "rfm_scores"
    table = _as_table(summary, owner)
    columns = {"customer id": id_col, "recency": recency_col, "frequency": frequency_col,
               "monetary": monetary_col}
    if len(set(columns.values())) != len(columns):
        raise ParameterError.of("id_col, recency_col, frequency_col, monetary_col", owner,
                                "four different column names", list(columns.values()))
    _require_columns(table, columns, owner, numeric=("recency", "frequency", "monetary"))
    bins = _check_bins(bins)
    if method not in METHODS:
        raise ParameterError.of("method", owner, "'quantile' or 'fixed'", method)
    if class_cut not in CLASS_CUTS:
        raise ParameterError.of("class_cut", owner, "'mean' or 'median'", class_cut)
    if method == "fixed":
        if breakpoints is None:
            raise ParameterError.of("breakpoints", owner, "given when method='fixed'", None)
        cuts = _check_breakpoints(breakpoints, bins)
    elif breakpoints is not None:
        raise ParameterError.of("method", owner, "'fixed' when breakpoints are given", method)
    weight = _check_weights(weights)
    decimals = check_money_decimals(money_decimals, owner)
    grid = segment_grid(rules, bins)

    base = table.select(id_col, recency_col, frequency_col, monetary_col)
    values = {"r": base[recency_col], "f": base[frequency_col],
              "m": money(base[monetary_col], decimals)}
    higher = {"r": False, "f": True, "m": True}
    if method == "quantile":
        scores = {d: _quantile_score(values[d], higher_is_better=higher[d], bins=bins)
                  for d in DIMENSIONS}
    else:
        scores = {d: _fixed_score(values[d], cuts[d], higher_is_better=higher[d], bins=bins)
                  for d in DIMENSIONS}
    cut = {d: values[d].mean().over() if class_cut == "mean" else values[d].median().over()
           for d in DIMENSIONS}
    if class_cut == "mean":
        cut["m"] = money_mean(base[monetary_col], decimals).over()
    letters = {f"_{d}_hl": _high_low(values[d], cut[d], higher_is_better=higher[d])
               for d in DIMENSIONS}
    scored = base.mutate(**{f"{d}_score": scores[d] for d in DIMENSIONS}, **letters)

    r, f, m = scored.r_score, scored.f_score, scored.m_score
    if weight is None:
        total = (r + f + m).cast("int64")
    else:
        total = (r * weight["r"] + f * weight["f"] + m * weight["m"]).cast("float64")
    code = scored._r_hl + scored._f_hl + scored._m_hl
    result = scored.mutate(
        rfm_cell=r.cast("string") + f.cast("string") + m.cast("string"),
        rfm_total=total,
        rfm_segment=_segment_of(r, f, grid),
        rfm_class=code.cases(*((c.code, c.name_zh) for c in RFM_CLASSES)),
        rfm_class_en=code.cases(*((c.code, c.name_en) for c in RFM_CLASSES)),
        rfm_class_code=code,
    )
    return result.drop(*letters)


def _segment_of(r: ir.IntegerColumn, f: ir.IntegerColumn,
                grid: dict[tuple[int, int], str]) -> ir.StringColumn:
    """CASE over the cells: for each segment and R score, the F scores that make it."""
    f_by_name_r: dict[tuple[str, int], list[int]] = {}
    for (r_score, f_score), name in grid.items():
        f_by_name_r.setdefault((name, r_score), []).append(f_score)
    branches = [((r == r_score) & f.isin(sorted(fs)), name)
                for (name, r_score), fs in f_by_name_r.items()]
    return ibis.cases(*branches, else_=ibis.null("string"))


def _label_order() -> dict[str, int]:
    order: dict[str, int] = {}
    for i, s in enumerate(SEGMENTS):
        order.setdefault(s.name_en, i)
    for i, c in enumerate(RFM_CLASSES):
        for label in (c.name_zh, c.name_en, c.code):
            order.setdefault(label, i)
    return order


def segment_summary(
    scores: ir.Table | pd.DataFrame,
    *,
    by: str = "rfm_segment",
    recency_col: str = "time_since_last",
    frequency_col: str = "n_purchases",
    monetary_col: str = "total_spend",
) -> ir.Table:
    """Customers, share and mean R, F, M of each segment of :func:`rfm_scores` output.

    ``by`` is the grouping column (``rfm_segment``; or ``rfm_class``, ``rfm_class_en``,
    ``rfm_cell``...). Columns: ``by``, ``customers``, ``share`` (of all customers), ``mean_<R>``,
    ``mean_<F>``, ``mean_<M>`` (means of the input columns, named after them), ``mean_r_score``,
    ``mean_f_score``, ``mean_m_score``, ``spend`` (sum of M) and ``spend_share`` (of total spend;
    null when the total is 0). Rows follow the order of :data:`SEGMENTS` (or of the classes),
    unknown names after them alphabetically.
    """
    owner = "segment_summary"
    table = _as_table(scores, owner)
    columns = {"group": by, "recency": recency_col, "frequency": frequency_col,
               "monetary": monetary_col, "R score": "r_score", "F score": "f_score",
               "M score": "m_score"}
    _require_columns(table, columns, owner, numeric=("recency", "frequency", "monetary"))
    if by in (recency_col, frequency_col, monetary_col):
        raise ParameterError.of("by", owner, "a label column such as 'rfm_segment'", by)
    r, f, m = table[recency_col], table[frequency_col], table[monetary_col]
    grouped = table.group_by(by).aggregate(
        customers=table.count(),
        **{f"mean_{recency_col}": r.mean(), f"mean_{frequency_col}": f.mean(),
           f"mean_{monetary_col}": m.mean()},
        mean_r_score=table.r_score.mean(),
        mean_f_score=table.f_score.mean(),
        mean_m_score=table.m_score.mean(),
        spend=m.sum(),
    )
    order = _label_order()
    label = grouped[by].cast("string")
    with_shares = grouped.mutate(
        share=grouped.customers / grouped.customers.sum().over(),
        spend_share=grouped.spend / grouped.spend.sum().over().nullif(0),
        _order=label.cases(*order.items(), else_=len(order)),
    )
    columns_out = [by, "customers", "share", f"mean_{recency_col}", f"mean_{frequency_col}",
                   f"mean_{monetary_col}", "mean_r_score", "mean_f_score", "mean_m_score",
                   "spend", "spend_share"]
    return with_shares.order_by(["_order", by]).select(*columns_out)
