"""Intervals and tests for shares: the Wilson interval of one proportion (Wilson 1927, JASA
22(158)), the Newcombe interval of a difference of two (Newcombe 1998, Statistics in Medicine
17(8), method 10) and the two-proportion z test, as plain dicts."""

from __future__ import annotations

import math

from scipy import stats


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2.0))


def wilson(k: int, n: int, level: float = 0.95) -> dict[str, float | int | None]:
    """``k`` of ``n`` as a share with its Wilson score interval (None when ``n`` is 0)."""
    if n <= 0:
        return {"k": int(k), "n": 0, "share": None, "lower": None, "upper": None}
    z, p = _z(level), k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"k": int(k), "n": int(n), "share": p, "lower": max(centre - half, 0.0),
            "upper": min(centre + half, 1.0)}


def difference(a: dict, b: dict, level: float = 0.95) -> dict[str, float | None]:
    """Share ``a`` minus share ``b`` (two :func:`wilson` dicts): Newcombe's interval and the
    two-sided p value of the pooled two-proportion z test."""
    if not a["n"] or not b["n"]:
        return {"difference": None, "lower": None, "upper": None, "z": None, "p_value": None}
    d = a["share"] - b["share"]
    lower = d - math.sqrt((a["share"] - a["lower"]) ** 2 + (b["upper"] - b["share"]) ** 2)
    upper = d + math.sqrt((a["upper"] - a["share"]) ** 2 + (b["share"] - b["lower"]) ** 2)
    pooled = (a["k"] + b["k"]) / (a["n"] + b["n"])
    se = math.sqrt(pooled * (1 - pooled) * (1 / a["n"] + 1 / b["n"]))
    z = d / se if se > 0 else 0.0
    return {"difference": d, "lower": lower, "upper": upper, "z": z,
            "p_value": float(2 * stats.norm.sf(abs(z)))}


def ratio(a: dict, b: dict, level: float = 0.95) -> dict[str, float | None]:
    """Share ``a`` over share ``b`` with the log-scale (Katz) interval."""
    if not a["k"] or not b["k"]:
        return {"ratio": None, "lower": None, "upper": None}
    r = a["share"] / b["share"]
    se = math.sqrt(1 / a["k"] - 1 / a["n"] + 1 / b["k"] - 1 / b["n"])
    z = _z(level)
    return {"ratio": r, "lower": r * math.exp(-z * se), "upper": r * math.exp(z * se)}
