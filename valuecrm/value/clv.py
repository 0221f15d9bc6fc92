"""Customer lifetime value (客户终生价值): from purchase and spend models, and the textbook formula.

Model-based CLV follows Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
customer base analysis", JMR 42(4): expected transactions from a purchase model (BG/NBD,
Pareto/NBD, ...) times expected spend per transaction from the Gamma-Gamma model, times the
margin, discounted month by month over a finite horizon. The textbook formula follows Gupta &
Lehmann (2003), "Customers as assets", Journal of Interactive Marketing 17(1).

The interval (``customer_lifetime_value(..., interval=0.9)``, :func:`clv_interval`) is the one
method of :mod:`valuecrm.models.uncertainty`: the delta method on the log scale. log CLV is
linearised in the log-parameters of the purchase and the spend model (forward differences of
step 1e-4 from the estimate); its variance is g' S g summed over the two models (their
estimates are independent: different likelihoods), S the covariance of each model's
log-parameters from its fit (the inverse Hessian of the likelihood at the estimate), and the
bounds are CLV x exp(-/+ z sd). They reflect the estimation error of the population parameters
only, not the randomness of each customer's future purchases.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.models.histories import Histories, distinct_histories
from valuecrm.models.uncertainty import (
    check_level,
    delta_method_variance,
    log_covariance,
    prediction_interval,
    z_value,
)

DAYS_PER_UNIT = {"H": 1 / 24, "D": 1.0, "W": 7.0, "M": 365.25 / 12}
DAYS_PER_MONTH = 365.25 / 12


def _check_rate(name: str, value: float, owner: str) -> float:
    if not isinstance(value, int | float) or not 0 <= value < 1:
        raise ParameterError.of(name, owner, "a float in [0, 1)", value)
    return float(value)


def monthly_rate(annual_rate: float) -> float:
    """The monthly discount rate equivalent to ``annual_rate`` under monthly compounding."""
    return (1.0 + annual_rate) ** (1.0 / 12.0) - 1.0


def customer_lifetime_value(
    purchase_model: Any,
    spend_model: Any,
    data: Any,
    *,
    horizon: float = 12,
    discount_rate: float = 0.10,
    margin: float = 1.0,
    freq: str = "W",
    days_per_month: float = DAYS_PER_MONTH,
    interval: float | None = None,
) -> np.ndarray | pd.DataFrame:
    """Each customer's discounted value over the next ``horizon`` months.

    CLV = margin x E[spend per purchase] x sum over months m = 1..horizon of
    (E[X(m)] - E[X(m - 1)]) / (1 + d)^m, where E[X(m)] is the purchase model's expected number of
    purchases in the first m months ahead given the customer's history, and d the monthly rate
    equivalent to the *annual* ``discount_rate``. ``freq`` is the time unit the purchase model was
    fitted in (H, D, W or M); months are ``days_per_month`` days (365.25 / 12; lifetimes uses
    30). ``data`` has the summary columns (frequency, recency, T, monetary_value).

    Spend: customers whose ``monetary_value`` is not positive (no repeat purchase, or returns
    that cancel it) get the spend model's population mean; a warning gives their count.

    ``interval`` (e.g. 0.9): return a DataFrame of ``clv``, ``clv_lower`` and ``clv_upper``,
    the bounds of the ``interval`` interval from the uncertainty of both models' estimates
    (the delta method on the log scale, :func:`clv_interval`; ``attrs["method"]`` says so).
    Both models must have been fitted on data (their ``covariance_``).
    """
    owner = "customer_lifetime_value"
    d_annual = _check_rate("discount_rate", discount_rate, owner)
    if freq not in DAYS_PER_UNIT:
        raise ParameterError.of("freq", owner, "one of 'H', 'D', 'W', 'M'", freq)
    if not (isinstance(horizon, int | float) and horizon > 0):
        raise ParameterError.of("horizon", owner, "a positive number of months", horizon)
    level = None if interval is None else check_level(interval, owner)
    codes, histories = distinct_histories(data, owner)
    spend = _spend(spend_model, data)
    value = discounted_purchases(purchase_model, histories, horizon=horizon,
                                 discount_rate=d_annual, freq=freq, days_per_month=days_per_month)
    clv = margin * spend * value[codes]
    if level is None:
        return clv
    for model in (purchase_model, spend_model):
        _check_covariance(model)
    bounds = clv_interval(clv, purchase_model, spend_model, data, horizon=horizon,
                          discount_rate=d_annual, level=level, freq=freq,
                          distinct=(codes, histories), discounted=value,
                          days_per_month=days_per_month)
    frame = pd.DataFrame({"clv": clv, "clv_lower": bounds.lower, "clv_upper": bounds.upper})
    frame.attrs["method"] = bounds.method
    return frame


def _check_covariance(model: Any) -> None:
    covariance = getattr(model, "covariance_", None)
    if covariance is None or not np.all(np.isfinite(np.asarray(covariance, dtype=float))):
        name = type(model).__name__
        raise ParameterError(
            f"{name} has no covariance of its estimates (it was made by from_params, or the "
            "fit's Hessian was singular), so customer_lifetime_value cannot give an interval.",
            hint=f"Fit {name} on data to get intervals, or leave interval=None.")


def discounted_purchases(
    purchase_model: Any,
    histories: Histories,
    *,
    horizon: float,
    discount_rate: float,
    freq: str = "W",
    days_per_month: float = DAYS_PER_MONTH,
) -> np.ndarray:
    """The discounted expected purchases over ``horizon`` months of each history: the sum over
    months m of (E[X(m)] - E[X(m - 1)]) / (1 + d)^m of :func:`customer_lifetime_value`, whose
    arguments (checked there) these are.

    ``histories`` are read and grouped once (pass the distinct histories of
    :func:`~valuecrm.models.histories.distinct_histories`, and the same object for every
    parameter value an interval tries). A model with ``expected_purchases_curve`` gives every
    month in one call (P(alive) once); any other needs only ``expected_purchases(t, frame)``.
    """
    months = int(np.ceil(horizon))
    steps = np.minimum(np.arange(1, months + 1, dtype=float), float(horizon))
    units_per_month = days_per_month / DAYS_PER_UNIT[freq]
    d = monthly_rate(discount_rate)
    if hasattr(purchase_model, "expected_purchases_curve"):
        curve: Any = purchase_model.expected_purchases_curve(steps * units_per_month, histories)
    else:
        frame = histories.to_frame()
        curve = (np.asarray(purchase_model.expected_purchases(step * units_per_month, frame),
                            dtype=float) for step in steps)
    value = np.zeros(histories.n_rows)
    previous = np.zeros(histories.n_rows)
    for month, cumulative in enumerate(curve, start=1):
        value += (cumulative - previous) / (1.0 + d) ** month
        previous = cumulative
    return value


@dataclass
class ClvInterval:
    """Bounds of each customer's CLV, the standard deviation of its log, and how S was got."""

    lower: np.ndarray
    upper: np.ndarray
    log_sd: np.ndarray
    method: str


def clv_interval(
    clv: np.ndarray,
    purchase_model: Any,
    spend_model: Any | None,
    data: Any,
    *,
    purchase_data: Any = None,
    spend_data: Any = None,
    horizon: float,
    discount_rate: float,
    level: float,
    freq: str = "W",
    days_per_month: float = DAYS_PER_MONTH,
    distinct: tuple[np.ndarray, Histories] | None = None,
    discounted: np.ndarray | None = None,
    purchase_covariance: tuple[np.ndarray, str] | None = None,
    spend_covariance: tuple[np.ndarray, str] | None = None,
) -> ClvInterval:
    """The ``level`` interval of ``clv`` (one value per customer of ``data``, computed with
    ``purchase_model`` and ``spend_model`` at their estimates and these ``horizon``,
    ``discount_rate`` and ``freq``): the delta method on the log scale (module docstring).

    The covariance of each model's estimates is its ``covariance_`` from the fit, or, given
    ``purchase_data`` or ``spend_data``, its ``parameter_covariance`` on them (on the rows of
    the fit, the same up to the last bits, computed again); the diagonal of the standard
    errors when the Hessian cannot be used. Without ``spend_model`` the spend counts as known.
    ``distinct`` (the codes and histories of
    :func:`~valuecrm.models.histories.distinct_histories` on ``data``), ``discounted`` (the
    discounted purchases at the estimate on them) and ``purchase_covariance`` and
    ``spend_covariance`` (what :func:`~valuecrm.models.uncertainty.log_covariance` gives for
    each model) save recomputing them, e.g. when customers are scored a chunk at a time.
    """
    codes, rows = distinct if distinct is not None else distinct_histories(data, "clv_interval")

    def discount(model: Any) -> np.ndarray:
        return discounted_purchases(model, rows, horizon=horizon, discount_rate=discount_rate,
                                    freq=freq, days_per_month=days_per_month)

    methods = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        at_estimate = discount(purchase_model) if discounted is None else discounted
        covariance, how = (log_covariance(purchase_model, purchase_data)
                           if purchase_covariance is None else purchase_covariance)
        methods.append(f"{type(purchase_model).__name__}: {how}")
        variance = delta_method_variance(purchase_model, discount, at_estimate, covariance)[codes]
        if spend_model is not None:
            covariance, how = (log_covariance(spend_model, spend_data)
                               if spend_covariance is None else spend_covariance)
            methods.append(f"{type(spend_model).__name__}: {how}")
            spend = np.asarray(spend_model.expected_spend(data), dtype=float)
            variance = variance + delta_method_variance(
                spend_model, lambda m: np.asarray(m.expected_spend(data), dtype=float), spend,
                covariance)
    lower, upper = prediction_interval(clv, variance, level, "log")
    sd = np.sqrt(np.where(np.isfinite(variance) & (variance > 0), variance, 0.0))
    method = (f"delta method on the log scale, z = {z_value(level):.3f} ({level:.0%} interval); "
              + "; ".join(methods))
    return ClvInterval(lower, upper, sd, method)


def _spend(spend_model: Any, data: Any) -> np.ndarray:
    spend = np.asarray(spend_model.expected_spend(data), dtype=float)
    bad = ~np.isfinite(spend) | (spend <= 0)
    if bad.any():
        mean = float(spend_model.mean_spend()) if hasattr(spend_model, "mean_spend") else float(
            np.nanmean(np.where(bad, np.nan, spend)))
        warnings.warn(
            f"{int(bad.sum()):,} customers have no positive spend history (returns or zero-value "
            f"orders): they are valued at the population mean spend {mean:.2f}.",
            stacklevel=3,
        )
        spend = np.where(bad, mean, spend)
    return spend


def clv_formula(
    margin: float | Sequence[float],
    cost: float | Sequence[float] = 0.0,
    retention: float = 0.8,
    discount_rate: float = 0.10,
    years: int | None = 10,
    *,
    first_year_discounted: bool = False,
) -> float:
    """The textbook CLV: sum over years n of (margin_n - cost_n) x retention^n / (1 + r)^n.

    Years run n = 0 .. years - 1, the first year's margin received at once (Gupta & Lehmann
    2003); ``first_year_discounted=True`` receives each year's margin at its end (n = 1 ..
    years, Berger & Nasr 1998). ``margin`` and ``cost`` may be one value per year (income
    change, falling retention cost). ``years=None`` is the infinite horizon,
    m (1 + r) / (1 + r - retention) for constant margin m.
    """
    owner = "clv_formula"
    retention = _check_rate("retention", retention, owner) if retention != 1 else 1.0
    rate = float(discount_rate)
    if not 0 <= rate < 1:
        raise ParameterError.of("discount_rate", owner, "a float in [0, 1)", discount_rate)
    per_year = np.atleast_1d(np.asarray(margin, dtype=float)) - np.atleast_1d(
        np.asarray(cost, dtype=float))
    shift = 1 if first_year_discounted else 0
    if years is None:
        if per_year.size != 1:
            raise ParameterError.of("years", owner,
                                    "a whole number when margins vary by year", years)
        if retention >= 1 + rate:
            raise ParameterError("An infinite horizon needs retention < 1 + discount_rate.")
        ratio = retention / (1 + rate)
        return float(per_year[0] / (1 - ratio) * (1 / (1 + rate)) ** shift)
    if not isinstance(years, int) or years < 1:
        raise ParameterError.of("years", owner, "a positive whole number or None", years)
    if per_year.size not in (1, years):
        raise ParameterError(
            f"clv_formula got {per_year.size} yearly margins for {years} years: give one value "
            "or one per year.")
    n = np.arange(years, dtype=float)
    values = np.broadcast_to(per_year, (years,))
    return float(np.sum(values * retention**n / (1 + rate) ** (n + shift)))
