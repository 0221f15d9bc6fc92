"""How many customers a campaign test needs, and the smallest effect a given size can detect.

Two-sided test at level ``alpha`` with power ``power``, treatment and control of sizes
``n_t = n (1 - c)`` and ``n_c = n c`` for a control share ``c`` (the normal approximation,
Cohen 1988, ch. 6 and 2):

- two proportions (a response rate ``p0`` in the control, ``p1 = p0 + d`` treated)::

      n = (z_{1-alpha/2} + z_{power})^2 * (p1 (1 - p1) / (1 - c) + p0 (1 - p0) / c) / d^2

- two means (outcome standard deviation ``sd`` in both groups)::

      n = (z_{1-alpha/2} + z_{power})^2 * sd^2 * (1 / (1 - c) + 1 / c) / d^2

The minimum detectable effect inverts them for a given ``n`` (for proportions, by bisection,
since ``p1`` depends on ``d``).

Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from scipy.stats import norm

from valuecrm.errors import ParameterError

__all__ = ["SampleSize", "minimum_detectable_effect", "sample_size"]

OWNER = "sample_size"


@dataclass(frozen=True)
class SampleSize:
    """A sample size (or a minimum detectable effect) with what it assumed."""

    outcome: str  # "proportion" or "mean"
    n_total: int
    n_treatment: int
    n_control: int
    effect: float  # the difference treatment - control it detects
    baseline: float | None  # the control's rate (proportions)
    sd: float | None  # the outcome's standard deviation (means)
    control_share: float
    alpha: float
    power: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(control_share: float, alpha: float, power: float, owner: str) -> None:
    if not 0 < control_share < 1:
        raise ParameterError.of("control_share", owner, "a float in (0, 1)", control_share)
    if not 0 < alpha < 1:
        raise ParameterError.of("alpha", owner, "a float in (0, 1)", alpha)
    if not 0 < power < 1:
        raise ParameterError.of("power", owner, "a float in (0, 1)", power)


def _variance(baseline: float | None, sd: float | None, effect: float, c: float,
              owner: str) -> tuple[str, float]:
    """(outcome kind, the variance term of the formula) for one effect."""
    if (baseline is None) == (sd is None):
        raise ParameterError(f"Give {owner} either a baseline rate (two proportions) or a "
                             "standard deviation (two means), not both.")
    if baseline is not None:
        if not 0 < baseline < 1:
            raise ParameterError.of("baseline", owner, "a rate in (0, 1)", baseline)
        p1 = baseline + effect
        if not 0 < p1 < 1:
            raise ParameterError(f"baseline + effect = {p1:g} is not a rate in (0, 1).",
                                 hint="Give a smaller effect.")
        return "proportion", p1 * (1 - p1) / (1 - c) + baseline * (1 - baseline) / c
    if sd is None or not sd > 0:
        raise ParameterError.of("sd", owner, "a positive number", sd)
    return "mean", sd * sd * (1 / (1 - c) + 1 / c)


def _method(kind: str) -> str:
    if kind == "proportion":
        return ("two proportions, normal approximation: n = (z_{1-a/2} + z_power)^2 * "
                "(p1(1-p1)/(1-c) + p0(1-p0)/c) / d^2 (Cohen 1988)")
    return ("two means, normal approximation: n = (z_{1-a/2} + z_power)^2 * sd^2 * "
            "(1/(1-c) + 1/c) / d^2 (Cohen 1988)")


def sample_size(effect: float, *, baseline: float | None = None, sd: float | None = None,
                control_share: float = 0.5, alpha: float = 0.05,
                power: float = 0.8) -> SampleSize:
    """Customers needed to detect a difference ``effect`` (treatment - control).

    ``baseline``: the control's response rate (two proportions); or ``sd``: the outcome's
    standard deviation (two means, e.g. spend).
    """
    _check(control_share, alpha, power, OWNER)
    if not effect or not math.isfinite(effect):
        raise ParameterError.of("effect", OWNER, "a non-zero number", effect)
    kind, variance = _variance(baseline, sd, effect, control_share, OWNER)
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    n = math.ceil(z * z * variance / (effect * effect))
    n_control = math.ceil(n * control_share)
    n_treatment = math.ceil(n * (1 - control_share))
    return SampleSize(kind, n_treatment + n_control, n_treatment, n_control, effect, baseline,
                      sd, control_share, alpha, power, _method(kind))


def minimum_detectable_effect(n_total: int, *, baseline: float | None = None,
                              sd: float | None = None, control_share: float = 0.5,
                              alpha: float = 0.05, power: float = 0.8) -> SampleSize:
    """The smallest positive difference ``n_total`` customers detect (same formulas)."""
    owner = "minimum_detectable_effect"
    _check(control_share, alpha, power, owner)
    if not isinstance(n_total, int) or n_total < 4:
        raise ParameterError.of("n_total", owner, "an integer >= 4", n_total)
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    if sd is not None and baseline is None:
        kind, variance = _variance(None, sd, 1.0, control_share, owner)
        effect = z * math.sqrt(variance / n_total)
    else:
        kind = "proportion"
        low, high = 1e-9, 1 - (baseline or 0.5) - 1e-9
        _variance(baseline, None, low, control_share, owner)
        needed = lambda d: z * z * _variance(baseline, None, d, control_share, owner)[1] / d**2  # noqa: E731
        if needed(high) > n_total:
            raise ParameterError(f"{n_total:,} customers cannot detect any effect on a "
                                 f"baseline of {baseline:g} at this power.",
                                 hint="Target more customers.")
        for _ in range(200):
            mid = (low + high) / 2
            low, high = (mid, high) if needed(mid) > n_total else (low, mid)
        effect = high
    n_control = math.ceil(n_total * control_share)
    return SampleSize(kind, n_total, n_total - n_control, n_control, effect, baseline, sd,
                      control_share, alpha, power, _method(kind))
