"""Simple survey scores: the Net Promoter Score, CSAT (top-2-box) and mean scores.

- **NPS** (Reichheld 2003, "The one number you need to grow", Harvard Business Review 81(12)):
  answers 0-10 to "How likely are you to recommend...?"; promoters 9-10, passives 7-8,
  detractors 0-6; NPS = 100 (share of promoters - share of detractors), in -100..100.
  Its interval: promoters and detractors are two shares of one multinomial sample, so
  ``Var(p_P - p_D) = (p_P (1 - p_P) + p_D (1 - p_D) + 2 p_P p_D) / n = (p_P + p_D -
  (p_P - p_D)^2) / n`` (their covariance is ``-p_P p_D / n``); the interval is the normal
  (Wald) one, ``NPS +- z 100 sqrt(Var)``, clipped to [-100, 100].
- **CSAT**: the share of answers in the top two boxes of the scale (4-5 on 1-5), with a
  Wilson score interval (Wilson 1927).
- **Mean score**: the mean answer with a t interval, also rescaled to 0-100 on the scale.
- **By group and between waves**: :func:`nps_by` scores each segment or period as its own
  sample; :func:`nps_difference` compares two independent samples (variances add).

Missing answers (NaN, None) are left out and counted; an answer outside the scale, or not an
integer where boxes are counted, is an error that names it and its position.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from valuecrm.errors import DataError, ParameterError, SchemaError


def _answers(scores: Any, scale: tuple[float, float], what: str, *, integers: bool
             ) -> tuple[np.ndarray, int]:
    try:
        series = scores if isinstance(scores, pd.Series) else pd.Series(scores)
    except (TypeError, ValueError) as error:
        raise ParameterError(f"{what} must be one column of answers (a list, array or pandas "
                             f"Series). Got {type(scores).__name__} instead.") from error
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    text = np.isnan(values) & series.notna().to_numpy()
    label = f" ({series.name!r})" if series.name is not None else ""
    if text.any():
        at = int(np.flatnonzero(text)[0])
        raise DataError(f"{what}{label}: the answer {series.iloc[at]!r} at row "
                        f"{series.index[at]!r} is not a number.", row=str(series.index[at]))
    missing = np.isnan(values)
    answered = values[~missing]
    low, high = scale
    bad = (answered < low) | (answered > high)
    if integers:
        bad |= answered != np.round(answered)
    if bad.any():
        at = int(np.flatnonzero(~missing)[np.flatnonzero(bad)[0]])
        raise DataError(
            f"{what}{label}: the answer {values[at]:g} at row {series.index[at]!r} is not on the "
            f"scale {low:g}-{high:g}" + (" (whole numbers)" if integers else "") + ".",
            hint="Correct the answer, or declare the scale the question used.",
            row=str(series.index[at]), value=float(values[at]))
    if answered.size == 0:
        raise DataError(f"{what}{label}: there are no answers to score.")
    return answered, int(missing.sum())


def _z(level: float, owner: str) -> float:
    if not (isinstance(level, float) and 0 < level < 1):
        raise ParameterError.of("level", owner, "a float in (0, 1)", level)
    return float(stats.norm.ppf(0.5 + level / 2))


@dataclass(frozen=True)
class NPSResult:
    """The Net Promoter Score of a set of 0-10 answers, with its interval."""

    n: int
    n_missing: int
    promoters: int
    passives: int
    detractors: int
    promoter_share: float
    passive_share: float
    detractor_share: float
    nps: float
    se: float
    lower: float
    upper: float
    level: float
    method: str = ("NPS = 100 (promoters 9-10 - detractors 0-6) / n (Reichheld 2003); Wald "
                   "interval with Var(pP - pD) = (pP + pD - (pP - pD)^2) / n, one multinomial "
                   "sample.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def nps(scores: Any, *, level: float = 0.95) -> NPSResult:
    """The Net Promoter Score of 0-10 answers, with counts, shares and its interval."""
    z = _z(level, "nps")
    answered, n_missing = _answers(scores, (0, 10), "NPS answers", integers=True)
    n = answered.size
    promoters, detractors = int((answered >= 9).sum()), int((answered <= 6).sum())
    passives = n - promoters - detractors
    p_p, p_d = promoters / n, detractors / n
    se = 100 * float(np.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n))
    value = 100 * (promoters - detractors) / n
    return NPSResult(n, n_missing, promoters, passives, detractors, p_p, passives / n, p_d, value,
                     se, max(value - z * se, -100.0), min(value + z * se, 100.0), level)


def csat(scores: Any, *, scale: tuple[int, int] = (1, 5), top: int = 2, level: float = 0.95
         ) -> dict[str, Any]:
    """CSAT: the share of answers in the ``top`` boxes of ``scale``, with a Wilson interval."""
    z = _z(level, "csat")
    if not (isinstance(top, int) and 1 <= top < scale[1] - scale[0] + 1):
        raise ParameterError.of("top", "csat", "an int from 1 to the number of boxes - 1", top)
    answered, n_missing = _answers(scores, scale, "CSAT answers", integers=True)
    n = answered.size
    share = float((answered > scale[1] - top).mean())
    centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
    return {"n": n, "n_missing": n_missing, "csat": 100 * share,
            "lower": 100 * float(centre - half), "upper": 100 * float(centre + half),
            "level": level, "method": f"share of answers in the top {top} boxes of "
            f"{scale[0]}-{scale[1]}, in %; Wilson score interval"}


def mean_score(scores: Any, *, scale: tuple[float, float] = (1, 5), level: float = 0.95
               ) -> dict[str, Any]:
    """The mean answer with its t interval, and the same on 0-100 ((mean - low) / span)."""
    _z(level, "mean_score")
    answered, n_missing = _answers(scores, scale, "Answers", integers=False)
    n = answered.size
    mean = float(answered.mean())
    se = float(answered.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se if n > 1 else float("nan")
    span = scale[1] - scale[0]
    return {"n": n, "n_missing": n_missing, "mean": mean, "se": se, "lower": mean - half,
            "upper": mean + half, "mean_0_100": (mean - scale[0]) / span * 100,
            "level": level, "method": "mean answer, t interval; 0-100 = (mean - low) / "
            "(high - low) x 100"}


def nps_by(data: pd.DataFrame, column: str, by: str | list[str], *, level: float = 0.95
           ) -> pd.DataFrame:
    """The NPS of each group (a segment, or a period such as the survey month), one row per
    group with its counts, shares and interval (each group its own multinomial sample)."""
    keys = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [column, *keys] if c not in data.columns]
    if missing:
        raise SchemaError(f"The survey data have no column {missing[0]!r}. Columns there: "
                          f"{', '.join(map(str, list(data.columns)[:30]))}.", column=missing[0])
    rows = []
    for key, group in data.groupby(keys, sort=True, dropna=False):
        labels = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, labels, strict=True)),
                     **nps(group[column], level=level).to_dict()})
    out = pd.DataFrame(rows).drop(columns="method")
    out.attrs["method"] = NPSResult.method
    return out


def nps_difference(first: Any, second: Any, *, level: float = 0.95) -> dict[str, Any]:
    """The change in NPS between two independent samples (two survey waves, two segments):
    ``second - first``, with the normal interval whose variance is the sum of the two NPS
    variances."""
    z = _z(level, "nps_difference")
    a, b = nps(first, level=level), nps(second, level=level)
    diff = b.nps - a.nps
    se = float(np.hypot(a.se, b.se))
    return {"first": a.nps, "second": b.nps, "difference": diff, "se": se,
            "lower": diff - z * se, "upper": diff + z * se, "level": level,
            "method": "difference of two NPS from independent samples; Var = Var1 + Var2 "
                      "(each the multinomial variance of pP - pD); normal interval"}
