"""Holdout evaluation of purchase models, and the model choice made on it: one definition.

The method of Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
Science 24(2), section 4: fit each model on a calibration period, predict each customer's
purchases in the holdout period that follows, and compare with what they did, per customer
(MAE, RMSE, bias), in total, and week by week (cumulative tracking). :func:`evaluate_holdout`
does it from the orders; ``analyze`` calls :func:`compare_models` on its inner holdout, so the
figures it stores are the ones this function gives. The choice rule is in :mod:`.model_choice`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.config import HOLDOUT_SAMPLE
from valuecrm.errors import ConvergenceError, DataError, ParameterError
from valuecrm.models.holdout import (
    HOLDOUT_NEEDS,
    HoldoutData,
    HoldoutEvaluation,
    evaluate_model,
)
from valuecrm.models.model_choice import (
    N_BOOTSTRAP,
    ModelChoice,
    bootstrap_statistics,
    choose,
    describe,
)

__all__ = ["HOLDOUT_NEEDS", "SAMPLE", "HoldoutComparison", "HoldoutData", "HoldoutEvaluation",
           "compare_models", "default_candidates", "evaluate_holdout", "select_model"]
OWNER = "evaluate_holdout"
SAMPLE = HOLDOUT_SAMPLE  # customers evaluated by default: a seeded random sample beyond it
PURCHASE_MODELS = ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo")


def default_candidates() -> list[Any]:
    """The purchase models tried by default: BG/NBD, Pareto/NBD and MBG/NBD."""
    from valuecrm.models.beta_geo import BetaGeo
    from valuecrm.models.modified_beta_geo import ModifiedBetaGeo
    from valuecrm.models.pareto_nbd import ParetoNBD

    return [BetaGeo(), ParetoNBD(), ModifiedBetaGeo()]


@dataclass
class HoldoutComparison:
    """Every candidate's holdout accuracy, and the model the choice rule picks.

    ``ranking``: one row per model fitted, in the rule's order (``rank`` 1 is chosen): MAE,
    RMSE, bias, predicted and actual totals, total error, tracking error, log-likelihood, BIC
    and the RMSE gap to the lowest RMSE with its bootstrap interval. ``tracking``: expected
    cumulative purchases of each model at each tracking point (``time`` in units after the end
    of calibration) and the actual ones. ``predictions``: each customer's expected holdout
    purchases per model, beside ``frequency_holdout``.
    """

    ranking: pd.DataFrame
    choice: ModelChoice
    reason: str
    tracking: pd.DataFrame
    predictions: pd.DataFrame
    models: dict[str, Any] = field(default_factory=dict)
    evaluations: dict[str, HoldoutEvaluation] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    population: int | None = None

    @property
    def best_name(self) -> str:
        return self.choice.chosen

    @property
    def best(self) -> Any:
        """The chosen model, fitted on the calibration period."""
        return self.models[self.best_name]


def compare_models(data: HoldoutData, candidates: Sequence[Any] | None = None, *,
                   n_bootstrap: int = N_BOOTSTRAP, seed: int = 0) -> HoldoutComparison:
    """Fit every candidate on ``data``'s calibration period, score it on the holdout and apply
    the choice rule (:mod:`valuecrm.models.model_choice`). A candidate that fails to fit is
    reported in ``failures`` and left out."""
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 0:
        raise ParameterError.of("n_bootstrap", OWNER, "a whole number >= 0", n_bootstrap)
    models: dict[str, Any] = {}
    evaluations: dict[str, HoldoutEvaluation] = {}
    failures: dict[str, str] = {}
    for model in candidates if candidates is not None else default_candidates():
        name = type(model).__name__
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                model.fit(data.calibration)
        except (ConvergenceError, DataError) as error:
            failures[name] = error.message
            continue
        models[name] = model
        evaluations[name] = evaluate_model(model, data)
    if not evaluations:
        raise DataError(
            "No purchase model could be fitted: " + "; ".join(
                f"{k}: {v}" for k, v in failures.items()),
            hint="Check that customers have repeat purchases in the calibration period.")
    resampled = bootstrap_statistics(data, evaluations, n_bootstrap, seed)
    point = {m: {"rmse": e.rmse, "abs_total_error": abs(e.total_error),
                 "tracking_error": e.tracking_error, "bic": float(models[m].bic_)}
             for m, e in evaluations.items()}
    choice = choose(point, resampled, n_bootstrap=n_bootstrap, seed=seed)
    return HoldoutComparison(
        ranking=_ranking(choice, evaluations, models, resampled), choice=choice,
        reason=describe(choice), tracking=_tracking(data, evaluations),
        predictions=_predictions(data, evaluations), models=models, evaluations=evaluations,
        failures=failures)


def _ranking(choice: ModelChoice, evaluations: dict[str, HoldoutEvaluation],
             models: dict[str, Any], resampled: dict[str, dict[str, np.ndarray]],
             ) -> pd.DataFrame:
    lowest = min(evaluations, key=lambda m: evaluations[m].rmse)
    tail = (1 - choice.level) / 2 * 100
    rows = []
    for rank, name in enumerate(choice.order, start=1):
        evaluation = evaluations[name]
        diff = resampled[name]["rmse"] - resampled[lowest]["rmse"]
        gap = evaluation.rmse - evaluations[lowest].rmse
        lower, upper = (np.percentile(diff, [tail, 100 - tail]) if diff.size else (gap, gap))
        rows.append({"rank": rank, **evaluation.as_row(),
                     "log_likelihood": float(models[name].log_likelihood_),
                     "bic": float(models[name].bic_),
                     "rmse_gap": gap,
                     "rmse_gap_lower": float(lower), "rmse_gap_upper": float(upper),
                     "chosen": name == choice.chosen})
    return pd.DataFrame(rows)


def _tracking(data: HoldoutData, evaluations: dict[str, HoldoutEvaluation]) -> pd.DataFrame:
    frame = pd.DataFrame({"time": data.points})
    actual = data.actual_cumulative
    frame["actual_cumulative"] = actual if actual is not None else np.nan
    for name, evaluation in evaluations.items():
        frame[name] = evaluation.predicted_cumulative
    return frame


def _predictions(data: HoldoutData, evaluations: dict[str, HoldoutEvaluation]
                 ) -> pd.DataFrame:
    frame = pd.DataFrame({"frequency_holdout": data.actual})
    if data.customer_ids is not None:
        frame.insert(0, "customer_id", data.customer_ids)
    for name, evaluation in evaluations.items():
        frame[name] = evaluation.predicted
    return frame


def select_model(summary: Any, candidates: Sequence[Any] | None = None, *,
                 n_bootstrap: int = N_BOOTSTRAP, seed: int = 0) -> HoldoutComparison:
    """:func:`compare_models` on ``rfm_summary(..., calibration_end=...)`` alone (no purchase
    times, so no tracking error: its step of the rule is skipped)."""
    return compare_models(HoldoutData.of(summary), candidates, n_bootstrap=n_bootstrap,
                          seed=seed)


def evaluate_holdout(orders: Any, *, calibration_end: Any, observation_end: Any,
                     models: Sequence[Any] | None = None, freq: str = "W",
                     customer_col: str = "customer_id", time_col: str = "ordered_at",
                     amount_col: str = "amount", status_col: str | None = "status",
                     sample: int | None = SAMPLE, n_bootstrap: int = N_BOOTSTRAP,
                     seed: int = 0) -> HoldoutComparison:
    """Fit purchase models on the orders up to ``calibration_end`` and compare their
    predictions with the purchases up to ``observation_end``.

    ``orders`` as for :func:`valuecrm.rfm_summary` (a DataFrame, an Ibis table or a database);
    ``models``: purchase models to fit, as estimators, classes or names (``"BetaGeo"``,
    ``"ParetoNBD"``, ``"ModifiedBetaGeo"``; default all three). The result's
    ``ranking`` has per model MAE, RMSE, bias, total error and the cumulative tracking error
    (:data:`valuecrm.models.holdout.TRACKING_ERROR`), in the order of the model choice
    ``analyze`` makes (the same rule, :mod:`valuecrm.models.model_choice`); ``tracking`` the
    expected and actual cumulative purchases at every unit of ``freq`` of the holdout;
    ``predictions`` each customer's. Method: Fader, Hardie & Lee (2005), "Counting your
    customers the easy way", Marketing Science 24(2), section 4.

    With more than ``sample`` customers (default :data:`SAMPLE`; None: all), a seeded random
    sample of them is evaluated, drawn in the engine where the orders are, so only the
    sample's summary is read into memory; the result's ``population`` and ``reason`` say so.
    The bootstrap of the choice costs about customers x ``n_bootstrap`` draws (``analyze``
    compares on at most 20,000 customers); give ``n_bootstrap=0`` for the figures alone.

    Example (the CDNOW sample, 39-week holdout)::

        >>> import valuecrm as vc
        >>> result = vc.evaluate_holdout(vc.load_cdnow(sample=True), n_bootstrap=0,
        ...     calibration_end="1997-09-30", observation_end="1998-06-30")
        >>> result.ranking.set_index("model").loc["BetaGeo", "actual_total"]
        np.float64(1882.0)
    """
    from valuecrm.features.holdout import holdout_purchase_times
    from valuecrm.features.summary import rfm_summary

    if sample is not None and (isinstance(sample, bool) or not isinstance(sample, int)
                               or sample < 1):
        raise ParameterError.of("sample", OWNER, "a whole number >= 1, or None for all",
                                sample)
    summary = rfm_summary(orders, calibration_end=calibration_end,
                          observation_end=observation_end, freq=freq,
                          customer_col=customer_col, time_col=time_col, amount_col=amount_col,
                          status_col=status_col)
    times = holdout_purchase_times(orders, calibration_end=calibration_end,
                                   observation_end=observation_end, freq=freq,
                                   customer_col=customer_col, time_col=time_col,
                                   status_col=status_col)
    population = int(summary.count().to_pyarrow().as_py())
    if sample is not None and population > sample:
        chosen = _sampled_customers(summary, population, sample, seed)
        summary = summary.semi_join(chosen, "customer_id").order_by("customer_id")
        times = times.semi_join(chosen, "customer_id")
    candidates = [_candidate(m) for m in models] if models else None
    result = compare_models(HoldoutData.of(summary.to_pandas(), times.to_pandas()), candidates,
                            n_bootstrap=n_bootstrap, seed=seed)
    if sample is not None and population > sample:
        result.population = population
        result.reason += (f" (evaluated on a random sample of {sample:,} of {population:,} "
                          f"customers, seed {seed})")
    return result


def _sampled_customers(summary: Any, population: int, size: int, seed: int) -> Any:
    """A seeded random sample of ``size`` of the summary's customers, drawn where they are:
    the positions (in customer-id order) numpy's generator picks, joined to the ranked ids
    (the same sample on every engine)."""
    import ibis

    picks = np.sort(np.random.default_rng(seed).choice(population, size, replace=False))
    ranked = summary.select("customer_id").mutate(
        _position=ibis.row_number().over(order_by="customer_id"))
    wanted = ibis.memtable(pd.DataFrame({"_pick": picks.astype("int64")}))
    return ranked.join(wanted, ranked._position == wanted._pick).select("customer_id")


def _candidate(model: Any) -> Any:
    """An estimator to fit from an estimator, its class or its name."""
    from valuecrm import models as catalogue

    if isinstance(model, str):
        found = getattr(catalogue, model, None) if model in PURCHASE_MODELS else None
        if found is None:
            raise ParameterError.of("models", OWNER, "purchase models or their names, "
                                    + ", ".join(map(repr, PURCHASE_MODELS)), model)
        return found()
    return model() if isinstance(model, type) else model
