"""Tests of difference between groups, with their effect sizes, computed in the engine.

- :func:`kruskal_wallis`: Kruskal & Wallis (1952), "Use of ranks in one-criterion variance
  analysis", JASA 47(260): H from the groups' rank sums (mid-ranks for ties, with the tie
  correction), chi-square with k - 1 degrees of freedom; effect size epsilon squared
  ``H / (n - 1)`` (Tomczak & Tomczak 2014, Trends in Sport Sciences 21(1)). The ranks are a
  window function of the engine, so only one row per group reaches Python.
- :func:`chi_square`: Pearson's chi-square test of independence of a contingency table, effect
  size Cramér's V ``sqrt(chi2 / (n (min(r, c) - 1)))`` (Cramér 1946).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class GroupTest:
    """One test of difference: what was compared, how, and how large the difference is."""

    measure: str
    method: str
    statistic: float | None
    df: int | None
    p_value: float | None
    effect_size: float | None
    effect_size_name: str
    n: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


KW_METHOD = "Kruskal-Wallis H test (mid-ranks, tie-corrected)"
CHI_METHOD = "Pearson chi-square test of independence"


def kruskal_wallis(table: ir.Table, group: str, measure: str) -> GroupTest:
    """The Kruskal-Wallis test of ``measure`` between the groups ``group`` of ``table`` (rows
    with a missing value are left out)."""
    rows = table.filter(table[measure].notnull() & table[group].notnull())
    value = rows[measure]
    ties = ibis.window(group_by=value)
    ranked = rows.mutate(_rank=(ibis.rank().over(order_by=value) + 1).cast("float64")
                         + (value.count().over(ties) - 1).cast("float64") / 2)
    groups = ranked.group_by(ranked[group]).aggregate(
        n=ranked.count(), rank_sum=ranked._rank.sum()).to_pandas()
    counts = rows.group_by(value).aggregate(t=rows.count())
    tie_sum = counts.aggregate(s=((counts.t ** 3) - counts.t).sum()).to_pandas()["s"].iloc[0]
    n = int(groups["n"].sum()) if len(groups) else 0
    k = len(groups)
    if k < 2 or n < 3:
        return GroupTest(measure, KW_METHOD, None, None, None, None, "epsilon squared", n)
    h = 12.0 / (n * (n + 1)) * float((groups["rank_sum"] ** 2 / groups["n"]).sum()) - 3 * (n + 1)
    correction = 1.0 - float(tie_sum or 0) / (n ** 3 - n)
    if correction <= 0:  # every value tied: no difference to test
        return GroupTest(measure, KW_METHOD, None, k - 1, None, None, "epsilon squared", n)
    h /= correction
    p = float(stats.chi2.sf(h, k - 1))
    return GroupTest(measure, KW_METHOD, h, k - 1, p, h / (n - 1), "epsilon squared", n)


def chi_square(counts: pd.DataFrame, measure: str) -> GroupTest:
    """Pearson's chi-square test of the contingency table ``counts`` (groups x classes; rows
    and columns that are all zero are dropped)."""
    table = counts.loc[counts.sum(axis=1) > 0, counts.sum(axis=0) > 0].to_numpy(dtype=float)
    n = int(table.sum())
    if table.ndim != 2 or min(table.shape) < 2:
        return GroupTest(measure, CHI_METHOD, None, None, None, None, "Cramér's V", n)
    chi2, p, df, _ = stats.chi2_contingency(table, correction=False)
    v = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
    return GroupTest(measure, CHI_METHOD, float(chi2), int(df), float(p), v, "Cramér's V", n)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini & Hochberg (1995) adjusted p-values (false discovery rate)."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    order = np.argsort(p)
    scaled = p[order] * p.size / np.arange(1, p.size + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(adjusted, 1.0)
    return out
