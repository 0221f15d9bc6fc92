"""Predicted value: the purchase model chosen on a holdout, refitted on all history, and CLV.

1. **Choice** (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
   Science 24(2)): the last ``holdout_share`` of the history (clipped to [8, 52] weeks by
   default) is held out; BG/NBD, Pareto/NBD and MBG/NBD are fitted on the rest (on a seeded
   sample of at most ``selection_sample`` customers) and compared by
   :func:`valuecrm.models.evaluation.compare_models`, the code of ``valuecrm.evaluate_holdout``:
   models whose per-customer RMSE gap is within noise (paired bootstrap) tie, and ties go to the
   better total, then cumulative tracking, then BIC (:mod:`valuecrm.models.model_choice`). With
   too short a history, or when no model fits, BG/NBD is used and the snapshot says why.
2. **Refit** of the chosen model on all history up to the as-of date, in weeks; spend per purchase
   from the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4)) fitted on the
   repeat buyers; without it, each customer's own mean purchase value.
3. **Scores**: P(alive), expected purchases over the horizon, expected spend (purchases x spend
   per purchase, undiscounted) and CLV = margin ratio x spend per purchase x discounted expected
   purchases (:func:`valuecrm.customer_lifetime_value`, monthly discounting at the annual rate);
   the margin ratio is the base's margin / revenue over the history (1 when no margin is known).
4. **Intervals** of P(alive) (logit scale), expected purchases and CLV (log scale) from
   parameter uncertainty by the delta method
   (:func:`valuecrm.value.clv.clv_interval`, the method of
   :mod:`valuecrm.models.uncertainty`). It reflects estimation error of the
   population parameters only, not the randomness of each customer's future purchases.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.config import AnalysisConfig
from valuecrm.errors import ConvergenceError, DataError
from valuecrm.models.histories import distinct_histories
from valuecrm.models.uncertainty import delta_method_variance, log_covariance, prediction_interval
from valuecrm.value.clv import DAYS_PER_MONTH, clv_interval, discounted_purchases

PREDICTED_COLUMNS = ("p_alive", "p_alive_lower", "p_alive_upper", "expected_purchases",
                     "expected_purchases_lower", "expected_purchases_upper",
                     "expected_order_value", "expected_spend", "clv", "clv_lower", "clv_upper")


@dataclass
class Prediction:
    """The scores of every customer (row order of the summary) and how they were obtained."""

    scores: pd.DataFrame
    model: str | None
    reason: str
    parameters: dict[str, Any] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    interval_method: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def weekly(summary: pd.DataFrame) -> pd.DataFrame:
    """The daily summary's frequency, recency and T in weeks, with monetary_value."""
    return pd.DataFrame({
        "frequency": summary["frequency"].to_numpy(dtype=float),
        "recency": summary["recency"].to_numpy(dtype=float) / 7.0,
        "T": summary["T"].to_numpy(dtype=float) / 7.0,
        "monetary_value": summary["monetary_value"].to_numpy(dtype=float),
    })


def choose_model(split: Any, config: AnalysisConfig, why_no_holdout: str = "", *,
                 population: int | None = None
                 ) -> tuple[type, str, list[dict[str, Any]], dict[str, Any]]:
    """The purchase model class to refit, the reason, the holdout ranking rows and the record
    of the choice (:class:`valuecrm.models.model_choice.ModelChoice`, as a dict).

    ``split``: the calibration/holdout :class:`~valuecrm.models.holdout.HoldoutData` (or the
    ``rfm_summary`` with ``calibration_end``; then no tracking error), None without a holdout.
    ``population``: the customers ``split`` was sampled from, when it is already a sample.
    """
    from valuecrm import models
    from valuecrm.models import BetaGeo
    from valuecrm.models.evaluation import compare_models
    from valuecrm.models.holdout import HoldoutData

    if split is None:
        return BetaGeo, f"BG/NBD by default: {why_no_holdout}", [], {}
    data = split if isinstance(split, HoldoutData) else HoldoutData.of(split)
    sample = data
    if config.selection_sample is not None and len(data) > config.selection_sample:
        rows = np.sort(np.random.default_rng(config.seed).choice(
            len(data), config.selection_sample, replace=False))
        sample = data.subset(rows)
    try:
        comparison = compare_models(sample, [getattr(models, name)()
                                             for name in config.candidates],
                                    n_bootstrap=config.selection_bootstrap, seed=config.seed)
    except DataError as error:
        return BetaGeo, f"BG/NBD by default: no model could be fitted on the holdout split " \
                        f"({error.message})", [], {}
    ranking = comparison.ranking.replace({np.nan: None}).to_dict("records")
    reason = comparison.reason
    for name, message in comparison.failures.items():
        reason += f" {name} was not compared: it could not be fitted ({message})."
    population = max(population or 0, len(data))
    if len(sample) < population:
        reason += f" (chosen on a random sample of {len(sample):,} of {population:,} customers)"
    choice = comparison.choice.as_dict()
    choice["failures"] = comparison.failures
    choice["customers"] = len(sample)
    tracking = comparison.tracking
    choice["tracking"] = {"weeks": tracking["time"].tolist(),
                          "actual": tracking["actual_cumulative"].tolist(),
                          "expected": {m: tracking[m].round(3).tolist()
                                       for m in comparison.evaluations}}
    return type(comparison.best), reason, ranking, _plain(choice)


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers and NaN as None (stored as JSON)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


SCORE_CHUNK = 500_000  # customers scored at a time: memory bounded by the chunk, not the base


def predict(summary: pd.DataFrame, model_class: type, reason: str, *, margin_ratio: float,
            config: AnalysisConfig) -> Prediction:
    """Refit ``model_class`` (and Gamma-Gamma) on ``summary`` and score every customer."""
    scorer = Scorer.fit(summary, model_class, reason, margin_ratio=margin_ratio, config=config)
    return scorer.prediction(scorer.score(summary))


class Scorer:
    """The refitted purchase and spend models of a prediction, scoring customers a chunk of
    rows at a time (:meth:`chunks`): every score is computed customer by customer from the
    fits, so the scores of a chunk equal those of the whole base, and only the summary, never
    its scores, needs to be in memory at once."""

    def __init__(self, reason: str, config: AnalysisConfig, margin_ratio: float,
                 notes: list[str], timings: dict[str, float], purchase: Any = None,
                 spend_model: Any = None, covariances: tuple[Any, Any] = (None, None)) -> None:
        self.reason = reason
        self.config = config
        self.margin_ratio = margin_ratio
        self.notes = notes
        self.timings = timings
        self.purchase = purchase
        self.spend_model = spend_model
        self.covariances = covariances
        self.own_mean_customers = 0  # with a Gamma-Gamma spend that was not positive and finite
        self.interval_method = ""

    @classmethod
    def fit(cls, summary: pd.DataFrame, model_class: type, reason: str, *,
            margin_ratio: float, config: AnalysisConfig) -> Scorer:
        """Refit ``model_class`` on ``summary`` (or a seeded sample, ``fit_sample``) and
        Gamma-Gamma on its repeat buyers."""
        data = weekly(summary)
        if len(data) < config.min_model_customers:
            return cls.fit_rows(data, data, len(data), model_class, reason,
                                margin_ratio=margin_ratio, config=config)
        return cls.fit_rows(
            _fit_rows(data, config),
            _fit_rows(data[(data["frequency"] > 0) & (data["monetary_value"] > 0)], config),
            len(data), model_class, reason, margin_ratio=margin_ratio, config=config)

    @classmethod
    def fit_rows(cls, fit_data: pd.DataFrame, repeat: pd.DataFrame, customers: int,
                 model_class: type, reason: str, *, margin_ratio: float,
                 config: AnalysisConfig) -> Scorer:
        """Refit ``model_class`` on ``fit_data`` and Gamma-Gamma on ``repeat`` (weekly rows of
        the summary, or their distinct rows with a ``weights`` column: the same fits), for a
        base of ``customers`` customers."""
        notes: list[str] = []
        timings: dict[str, float] = {}
        if customers < config.min_model_customers:
            notes.append(f"Only {customers:,} customers: too few to fit a purchase model (at "
                         f"least {config.min_model_customers:,} are needed).")
            return cls(reason, config, margin_ratio, notes, timings)
        started = time.perf_counter()
        fitted = (int(fit_data["weights"].sum()) if "weights" in fit_data.columns
                  else len(fit_data))
        if fitted < customers:
            reason += (f" Refitted on a random sample of {fitted:,} of {customers:,} "
                       "customers; every customer is scored.")
        purchase = _fit(model_class, fit_data, notes)
        timings["refit"] = round(time.perf_counter() - started, 3)
        if purchase is None and model_class.__name__ != "BetaGeo":
            from valuecrm.models import BetaGeo

            purchase = _fit(BetaGeo, fit_data, notes)
            reason += " Its refit on all history failed, so BG/NBD is used."
        if purchase is None:
            return cls(reason, config, margin_ratio, notes, timings)
        started = time.perf_counter()
        spend_model = _fit_spend(repeat, notes)
        timings["scores"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        # the covariances are computed again on the rows of the fits (``covariance_`` of a fit
        # can differ in the last bits, e.g. by BLAS threads): the published intervals stay
        covariances = (log_covariance(purchase, fit_data),
                       None if spend_model is None else log_covariance(spend_model, repeat))
        timings["interval"] = round(time.perf_counter() - started, 3)
        return cls(reason, config, margin_ratio, notes, timings, purchase, spend_model,
                   covariances)

    def chunks(self, summary: pd.DataFrame, rows: int = SCORE_CHUNK) -> Iterator[pd.DataFrame]:
        """The scores of ``summary``'s customers, ``rows`` customers at a time, in its order."""
        for first in range(0, max(len(summary), 1), rows):
            yield self.score(summary.iloc[first:first + rows])

    def score(self, summary: pd.DataFrame) -> pd.DataFrame:
        """The :data:`PREDICTED_COLUMNS` of each customer of ``summary`` (its row order)."""
        if self.purchase is None:
            return pd.DataFrame({c: np.full(len(summary), np.nan) for c in PREDICTED_COLUMNS})
        config, purchase = self.config, self.purchase
        data = weekly(summary)
        started = time.perf_counter()
        order_value = self._order_value(data, summary)
        horizon_weeks = config.horizon_months * DAYS_PER_MONTH / 7.0
        codes, histories = distinct_histories(data, type(purchase).__name__)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            alive = np.asarray(purchase.probability_alive(histories), dtype=float)
            coming = np.asarray(purchase.expected_purchases(horizon_weeks, histories),
                                dtype=float)
            discounted = discounted_purchases(purchase, histories,
                                              horizon=config.horizon_months,
                                              discount_rate=config.discount_rate, freq="W")
        p_alive, expected = alive[codes], coming[codes]
        clv = self.margin_ratio * order_value * discounted[codes]
        self._add_time("scores", started)
        started = time.perf_counter()
        covariance, spend_covariance = self.covariances
        level = config.interval_level
        interval = clv_interval(clv, purchase, self.spend_model, data,
                                horizon=config.horizon_months,
                                discount_rate=config.discount_rate, level=level, freq="W",
                                distinct=(codes, histories), discounted=discounted,
                                purchase_covariance=covariance,
                                spend_covariance=spend_covariance)
        self.interval_method = interval.method
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            alive_bounds = prediction_interval(p_alive, delta_method_variance(
                purchase, lambda m: m.probability_alive(histories), alive, covariance[0],
                "logit")[codes], level, "logit")
            coming_bounds = prediction_interval(expected, delta_method_variance(
                purchase, lambda m: m.expected_purchases(horizon_weeks, histories), coming,
                covariance[0], "log")[codes], level, "log")
        self._add_time("interval", started)
        return pd.DataFrame({
            "p_alive": p_alive, "p_alive_lower": alive_bounds[0],
            "p_alive_upper": alive_bounds[1], "expected_purchases": expected,
            "expected_purchases_lower": coming_bounds[0],
            "expected_purchases_upper": coming_bounds[1],
            "expected_order_value": order_value, "expected_spend": expected * order_value,
            "clv": clv, "clv_lower": interval.lower, "clv_upper": interval.upper,
        })

    def _order_value(self, data: pd.DataFrame, summary: pd.DataFrame) -> np.ndarray:
        """Spend per purchase: Gamma-Gamma's, else (or where it is not positive and finite)
        the customer's own mean purchase value."""
        own = np.maximum(summary["total_spend"].to_numpy(dtype=float)
                         / np.maximum(summary["n_purchases"].to_numpy(dtype=float), 1.0), 0.0)
        if self.spend_model is None:
            return own
        try:
            spend = np.asarray(self.spend_model.expected_spend(data), dtype=float)
        except (DataError, ConvergenceError) as error:
            self.notes.append("Spend per purchase is each customer's own mean (Gamma-Gamma "
                              f"could not be used: {error.message})")
            return own
        bad = ~np.isfinite(spend) | (spend <= 0)
        self.own_mean_customers += int(bad.sum())
        return np.where(bad, own, spend) if bad.any() else spend

    def _add_time(self, step: str, started: float) -> None:
        self.timings[step] = round(self.timings.get(step, 0.0)
                                   + time.perf_counter() - started, 3)

    def prediction(self, scores: pd.DataFrame | None = None) -> Prediction:
        """What the prediction was, once every customer is scored (``scores``: all of them,
        when they were kept together; else empty)."""
        scores = pd.DataFrame(columns=list(PREDICTED_COLUMNS)) if scores is None else scores
        notes = list(self.notes)
        if self.purchase is None:
            notes.append("No purchase model could be fitted, so P(alive), expected purchases "
                         "and CLV are missing; statuses use the days since the last purchase "
                         "only.")
            return Prediction(scores, None, "no purchase model: " + "; ".join(notes), {}, [],
                              notes)
        if self.own_mean_customers:
            notes.append(f"{self.own_mean_customers:,} customers got their own mean purchase "
                         "value (the Gamma-Gamma prediction was not positive and finite).")
        purchase = self.purchase
        parameters = {type(purchase).__name__: _params(purchase)}
        if self.spend_model is not None:
            parameters["GammaGamma"] = _params(self.spend_model)
        parameters["margin_ratio"] = self.margin_ratio
        return Prediction(scores, type(purchase).__name__, self.reason, parameters, [], notes,
                          self.interval_method + "; P(alive): the same on the logit scale",
                          dict(self.timings))


def _fit_rows(data: pd.DataFrame, config: AnalysisConfig) -> pd.DataFrame:
    """The rows a model is fitted on: all, or a seeded sample of ``fit_sample``."""
    if config.fit_sample is not None and len(data) > config.fit_sample:
        return data.sample(config.fit_sample, random_state=config.seed)
    return data


def _with_weights(data: pd.DataFrame, columns: list[str]) -> list[str]:
    return [*columns, "weights"] if "weights" in data.columns else columns


def _fit(model_class: type, data: pd.DataFrame, notes: list[str]) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return model_class().fit(data[_with_weights(data, ["frequency", "recency", "T"])])
    except (DataError, ConvergenceError) as error:
        notes.append(f"{model_class.__name__} could not be fitted on all history: "
                     f"{error.message}")
        return None


def _fit_spend(repeat: pd.DataFrame, notes: list[str]) -> Any:
    """The Gamma-Gamma model fitted on ``repeat`` (the repeat buyers' rows to fit on), or None
    (then each customer's own mean purchase value is their spend per purchase)."""
    from valuecrm.models import GammaGamma

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return GammaGamma().fit(repeat[_with_weights(repeat, ["frequency",
                                                                  "monetary_value"])])
    except (DataError, ConvergenceError) as error:
        notes.append("Spend per purchase is each customer's own mean (Gamma-Gamma could not be "
                     f"fitted: {error.message})")
        return None


def _params(model: Any) -> dict[str, Any]:
    """What a snapshot keeps of a fit, with the 95% profile-likelihood interval of each
    parameter (``intervals``; the readers use
    :func:`valuecrm.models.uncertainty.stored_parameter_intervals`)."""
    summary = model.summary()
    return {"params": model.params_, "standard_errors": model.standard_errors_,
            "intervals": {row.param: [float(row.lower), float(row.upper)]
                          for row in summary.itertuples(index=False)},
            "interval_method": summary.attrs["method"],
            "log_likelihood": model.log_likelihood_, "n_customers": model.n_customers_}


def holdout_weeks(history_weeks: float, config: AnalysisConfig) -> float | None:
    """The holdout length, or None when the history is too short for one."""
    if history_weeks < config.min_history_weeks:
        return None
    weeks = min(max(history_weeks * config.holdout_share, config.holdout_min_weeks),
                config.holdout_max_weeks)
    return float(math.floor(weeks))
