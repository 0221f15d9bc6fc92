"""``analyze``: the customer value table as of a date, stored as a snapshot.

One pass over the database: per-customer history in the engine
(:mod:`valuecrm.analysis.customer_history`), the purchase and spend models in numpy
(:mod:`valuecrm.analysis.predict`), then the labels in the engine again
(:mod:`valuecrm.segments`: status, lifecycle stage, value matrix, pyramid tier, MVC / MGC / BZ,
loyalty ladder, relationship level), written in one transaction
(:mod:`valuecrm.store.snapshots`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm._progress import progress
from valuecrm.analysis.customer_history import customer_history
from valuecrm.analysis.predict import (
    PREDICTED_COLUMNS,
    SCORE_CHUNK,
    Scorer,
    choose_model,
    holdout_weeks,
)
from valuecrm.analysis.summary_rows import EngineSummary
from valuecrm.analysis.temp_tables import TempTables
from valuecrm.analysis.value_rows import labelled_rows
from valuecrm.config import AnalysisConfig
from valuecrm.errors import DatabaseError, DataError, ParameterError
from valuecrm.features.history import (
    Window,
    category_count,
    order_rows,
    prospects,
)
from valuecrm.features.money import money_sum
from valuecrm.features.purchases import DEFINITION as PURCHASE_DEFINITION
from valuecrm.features.purchases import PURCHASE, RETURN
from valuecrm.features.units import moment
from valuecrm.store.engine_snapshots import store_snapshot
from valuecrm.store.integrity import check_unique_keys
from valuecrm.store.memory import (
    ANALYZE_MEMORY_LIMIT,
    MINIMUM_MEMORY,
    memory_capped,
    normal_size,
)
from valuecrm.store.snapshots import Snapshot

log = logging.getLogger(__name__)
OWNER = "analyze"
SUMMARY_COLUMNS = ["customer_id", "frequency", "recency", "T", "monetary_value",
                   "n_purchases", "total_spend"]
STEPS = 6
MEMORY_HINT = ("Give it more: valuecrm analyze --memory-limit 8GB (Python: analyze(db, "
               "memory_limit='8GB')); 100M orders need about 6GB.")
SPEND_DEFINITION = (
    "gross and net: total_spend (RFM's M) and the purchase and spend models (BG/NBD, Pareto/NBD, "
    "Gamma-Gamma) read the purchases gross of returns (a return is not a purchase and lowers "
    "neither); revenue, margin, current value and the margin ratio of CLV are net of returns")


def analyze(database: Any, as_of: Any = None,
            config: AnalysisConfig = AnalysisConfig(), *, write_to: Any = None,
            memory_limit: str = ANALYZE_MEMORY_LIMIT) -> Snapshot:
    """Compute the customer value table as of ``as_of`` and store it as a dated snapshot.

    ``database`` is a :class:`valuecrm.Database` (or a path to one), or tables in any Ibis
    engine (``valuecrm.connect_ibis(con)``, e.g. PySpark): every table-sized step runs in that
    engine and only the per-customer summary comes to Python to fit the models. ``as_of`` (a
    date or ISO text) defaults to the day of the last order; only what happened up to and
    including that day is used, and a later day is refused (:func:`as_of_day`). Earlier
    snapshots are kept; one of the same as-of date is replaced.

    The snapshot is stored in ``database`` (on another engine: tables ``snapshots`` and
    ``customer_value`` in its current database), or in ``write_to``, a DuckDB
    :class:`~valuecrm.store.Database` or file path (the rows are streamed there in batches).
    Returns the :class:`~valuecrm.store.snapshots.Snapshot` (its rows:
    ``valuecrm.read_snapshot(db, id)`` on the database that stores it).
    ``memory_limit`` caps DuckDB's memory for the run (default 1500MB; beyond it the work
    spills to temporary files): raise it for bases of tens of millions of orders.
    Raises DataError when there is no purchase to analyse, or when an order (or order line)
    is stored on several rows (:func:`~valuecrm.store.integrity.check_unique_keys`).
    """
    if isinstance(database, str | Path):
        from valuecrm.store import connect

        with connect(database) as opened:
            return analyze(opened, as_of, config, write_to=write_to,
                           memory_limit=memory_limit)
    if isinstance(write_to, str | Path):
        from valuecrm.store import connect

        with connect(write_to) as target:
            return analyze(database, as_of, config, write_to=target,
                           memory_limit=memory_limit)
    cap = normal_size(memory_limit)
    if cap is None:
        raise ParameterError.of("memory_limit", OWNER, "a size such as 1500MB or 4GB, at least "
                                f"{MINIMUM_MEMORY}", memory_limit)
    if not isinstance(config, AnalysisConfig):
        raise ParameterError.of("config", OWNER, "an AnalysisConfig", config)
    cfg = config.validated()
    target = database if write_to is None else write_to
    if getattr(target, "read_only", False):
        raise DatabaseError("The database is open read-only, so the snapshot cannot be stored.",
                            hint="Open it for writing: valuecrm.connect(path), or give "
                                 "write_to=PATH.")
    window = Window(as_of_day(database, as_of))
    warnings: list[str] = []
    temp = TempTables(database)
    timings: dict[str, float] = {}
    capped = (memory_capped(database.raw, cap, MEMORY_HINT) if temp.duckdb
              else contextlib.nullcontext())
    try:
        with capped, progress("Analysing customers: history", total=STEPS,
                              unit="steps") as advance:
            mark = _stopwatch(timings, advance)
            check_unique_keys(database)  # orders stored twice would be counted twice
            # not stored: each reader (summary, value, counts, the sample for the model choice)
            # reads what it needs of the orders in one scan
            rows = order_rows(database, window)
            history = temp.keep("history", customer_history(database, window, cfg, rows,
                                                            keep=temp.keep))
            # in customer order: the fits see the same rows in the same order on every engine
            temp.release("summary")  # read only by the history's own query
            temp.release("value")
            # kept in the engine: only distinct histories and chunks of customers come out
            summary = EngineSummary.of(history, SUMMARY_COLUMNS, temp.keep, temp.frame)
            mark("history")
            if not len(summary):
                raise DataError(f"No customer bought anything up to {window.as_of.date()}.",
                                hint="Give a later --as-of date, or load orders first.")
            if summary.repeat_buyers == 0:
                warnings.append("Nobody bought twice, so no purchase model can be fitted: "
                                "P(alive), expected purchases and CLV are missing, and labels "
                                "rest on the history alone.")
            model_class, reason, ranking, choice, split_info = _choose(rows, summary, window,
                                                                        cfg, temp)
            by_kind, sources = _row_counts(rows)
            mark("model choice")
            # summed in whole minor units: a float sum's last bits depend on the engine's
            # thread order, and through the margin ratio every CLV's would (seen at 1M)
            decimals = cfg.money_decimals
            totals = history.aggregate(revenue=money_sum(history.revenue, decimals),
                                       margin=money_sum(history.margin, decimals)
                                       ).to_pandas().iloc[0]
            ratio = cfg.margin_rate if cfg.margin_rate is not None else _margin_ratio(
                float(totals["revenue"] or 0), float(totals["margin"] or 0))
            # scored a chunk of customers at a time, each chunk stored in the engine at once
            scorer = _refit(summary, model_class, reason, ratio, cfg)
            scored = temp.frames("predicted", _scored(scorer, summary))
            prediction = scorer.prediction()
            warnings += [w for w in prediction.warnings if w not in warnings]
            mark("prediction")
            n_categories = category_count(database)
            value_rows = labelled_rows(history.join(scored, "customer_id"), n_categories, cfg,
                                        temp.keep)
            mark("labels")
            snapshot = Snapshot(
                snapshot_id=0, as_of=window.as_of.date(),
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                model=prediction.model, model_reason=prediction.reason,
                parameters=prediction.parameters, config=cfg.to_dict(),
                counts=_counts(database, summary, history, window, by_kind),
                warnings=warnings,
                metadata=_metadata(sources, prediction, ranking, split_info, n_categories,
                                   ratio))
            snapshot.metadata["model_choice"] = choice
            snapshot.metadata["timings_s"] = timings
            snapshot.metadata["prediction_timings_s"] = prediction.timings
            mark("counts")
            store_snapshot(target, snapshot, value_rows)
            mark("write")
    finally:
        temp.drop()
    return snapshot


NEXT_STAGE = {"history": "model choice", "model choice": "prediction",
              "prediction": "labels", "labels": "counts", "counts": "writing the snapshot",
              "write": "done"}


def _stopwatch(timings: dict[str, float], advance: Any) -> Any:
    """``mark(step)``: record the seconds since the previous mark, log them, advance the bar."""
    last = [time.perf_counter()]

    def mark(step: str) -> None:
        now = time.perf_counter()
        timings[step] = round(now - last[0], 3)
        last[0] = now
        log.debug("analyze: %s took %.2f s", step, timings[step])
        following = NEXT_STAGE.get(step)
        advance(1, f"Analysing customers: {following}" if following else None)

    return mark


def as_of_day(database: Any, as_of: Any = None, *, today: dt.date | None = None
              ) -> pd.Timestamp:
    """The day an analysis as of ``as_of`` describes (None: the day of the last order).

    The one rule for every interface: a day after the last order, or after ``today``, is
    refused with a ParameterError (its details name the field ``as_of`` and the last day
    allowed), because every customer would look lost and the snapshot would become the latest;
    a day before the first order is a DataError (nothing to analyse).
    """
    orders = database.table("orders")
    if int(orders.count().to_pyarrow().as_py()) == 0:
        raise DataError("The database has no orders, so there is nothing to analyse.",
                        hint="Load orders first (valuecrm ingest orders FILE), or run "
                             "'valuecrm demo' for an example database.")
    usable = orders.filter(orders.status.isnull()
                           | (orders.status.lower().strip() != "cancelled"))
    bounds = usable.aggregate(first=usable.ordered_at.min(),
                              last=usable.ordered_at.max()).to_pyarrow().to_pylist()[0]
    if bounds["last"] is None:
        raise DataError("Every order is cancelled, so there is nothing to analyse.")
    first, last = (pd.Timestamp(bounds[k]).normalize() for k in ("first", "last"))
    if as_of is None:
        return last
    day = moment(as_of, "as_of", OWNER).normalize()
    today = pd.Timestamp(today or dt.date.today())
    limit, why = ((last, f"the day of the last order, {last.date()}") if last <= today
                  else (today, f"today, {today.date()}"))
    if day > limit:
        raise ParameterError(
            f"The as-of date {day.date()} is after {why}: every customer would look lost, "
            "and the snapshot would become the latest one.",
            hint=f"Give a date up to {limit.date()}, or none for the day of the last order.",
            field="as_of", latest=limit.date().isoformat())
    if day < first:
        raise DataError(f"No customer bought anything up to {day.date()}: the first order is "
                        f"of {first.date()}.", hint="Give a later as-of date.",
                        field="as_of", earliest=first.date().isoformat())
    return day


def _choose(rows: Any, summary: pd.DataFrame, window: Window, cfg: AnalysisConfig,
            temp: TempTables
            ) -> tuple[type, str, list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The model to refit, chosen on the holdout split of a seeded sample of the customers.

    The customers who bought before the holdout period are those with ``T`` (days) at least
    the holdout length; the sample is drawn from them (sorted by id) before the split is
    computed, so only the sampled customers' orders are summarised.
    """
    from valuecrm.features import rfm_summary
    from valuecrm.features.holdout import holdout_purchase_times
    from valuecrm.models.holdout import HoldoutData

    history_weeks = summary.t_max / 7.0
    weeks = holdout_weeks(history_weeks, cfg)
    info: dict[str, Any] = {"history_weeks": round(history_weeks, 2)}
    if weeks is None:
        why = (f"the history is {history_weeks:.1f} weeks long, shorter than the "
               f"{cfg.min_history_weeks:g} weeks needed for a holdout comparison")
        return (*choose_model(None, cfg, why), info)
    calibration_end = window.as_of - pd.Timedelta(weeks=weeks)
    info.update(holdout_weeks=weeks, calibration_end=calibration_end.date().isoformat())
    eligible, sample = summary.eligible_sample(weeks * 7.0, cfg.selection_sample, cfg.seed)
    if eligible < cfg.min_selection_customers:
        why = (f"only {eligible:,} customers bought before the holdout period, fewer than "
               f"the {cfg.min_selection_customers:,} needed to compare models")
        return (*choose_model(None, cfg, why), info)
    purchases = rows.filter(rows.kind == PURCHASE)
    if sample is not None:  # the seeded sample of Series.sample, drawn in the engine
        purchases = purchases.semi_join(sample, "customer_id")
    split = rfm_summary(purchases, calibration_end=calibration_end, observation_end=window.as_of,
                        freq="W", amount_col="amount_signed",
                        money_decimals=cfg.money_decimals).to_pandas()
    times = holdout_purchase_times(purchases, calibration_end=calibration_end,
                                   observation_end=window.as_of, freq="W").to_pandas()
    return (*choose_model(HoldoutData.of(split, times), cfg, population=eligible), info)


def _refit(summary: EngineSummary, model_class: type, reason: str, ratio: float,
           cfg: AnalysisConfig) -> Scorer:
    """The models refitted on the distinct histories (and spend pairs) of the customers, or of
    the seeded ``fit_sample``, grouped with their counts in the engine (the same fits as on
    the whole summary: :mod:`valuecrm.analysis.summary_rows`)."""
    if len(summary) < cfg.min_model_customers:
        empty = pd.DataFrame({c: [] for c in ("frequency", "recency", "T", "weights")})
        return Scorer.fit_rows(empty, empty, len(summary), model_class, reason,
                               margin_ratio=ratio, config=cfg)
    histories = summary.grouped(["frequency", "recency", "T"], sample=cfg.fit_sample,
                                seed=cfg.seed)
    spend = summary.grouped(["frequency", "monetary_value"], sample=cfg.fit_sample,
                            seed=cfg.seed,
                            where=lambda t: (t.frequency > 0) & (t.monetary_value > 0))
    fit_data = pd.DataFrame({"frequency": histories["frequency"].to_numpy(dtype=float),
                             "recency": histories["recency"].to_numpy(dtype=float) / 7.0,
                             "T": histories["T"].to_numpy(dtype=float) / 7.0,
                             "weights": histories["weights"]})
    repeat = pd.DataFrame({"frequency": spend["frequency"].to_numpy(dtype=float),
                           "monetary_value": spend["monetary_value"].to_numpy(dtype=float),
                           "weights": spend["weights"]})
    return Scorer.fit_rows(fit_data, repeat, len(summary), model_class, reason,
                           margin_ratio=ratio, config=cfg)


def _scored(scorer: Scorer, summary: EngineSummary) -> Iterator[pd.DataFrame]:
    """The scores of the summary's customers a chunk at a time, with their ``customer_id``
    (kept as the engine gives it: no Python string per customer)."""
    for chunk in summary.chunks(SUMMARY_COLUMNS, SCORE_CHUNK):
        scores = scorer.score(chunk)
        yield scores.assign(customer_id=chunk["customer_id"].array)


def _margin_ratio(revenue: float, margin: float) -> float:
    """Margin / revenue over the base, in [0, 1]; 1 when revenue is not positive."""
    if revenue <= 0:
        return 1.0
    return min(max(margin / revenue, 0.0), 1.0)


# what the labels read (the rest of the value table is carried through untouched)
def _row_counts(rows: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Order rows by kind (purchase, returned) and by margin source, from one grouping (one
    scan of the orders where they are not stored, as on Spark)."""
    both = rows.group_by("kind", "margin_source").agg(n=rows.count()).to_pandas()
    return ({str(k): int(n) for k, n in both.groupby("kind")["n"].sum().items()},
            {str(k): int(n) for k, n in both.groupby("margin_source")["n"].sum().items()})


def _counts(database: Any, summary: EngineSummary, history: Any, window: Window,
            by_kind: dict[str, int]) -> dict[str, int]:
    return {
        "customers": len(summary),
        "repeat_buyers": summary.repeat_buyers,
        "purchase_orders": int(by_kind.get(PURCHASE, 0)),
        "returned_orders": int(by_kind.get(RETURN, 0)),
        "purchases": summary.purchases,
        "prospects": prospects(database, history, window),
    }


def _metadata(sources: dict[str, int], prediction: Any, ranking: list[dict[str, Any]],
              split_info: dict[str, Any], n_categories: int, ratio: float) -> dict[str, Any]:
    total = sum(sources.values()) or 1
    described = ", ".join(f"{name} on {n / total:.0%} of order rows"
                          for name, n in sorted(sources.items(), key=lambda kv: -kv[1]))
    return {
        "margin_source": described,
        "margin_source_rows": sources,
        "margin_ratio": ratio,
        "interval_method": prediction.interval_method,
        "model_ranking": ranking,
        "holdout": split_info,
        "catalogue_categories": n_categories,
        "predicted_columns": list(PREDICTED_COLUMNS),
        "definitions": {
            "purchase": PURCHASE_DEFINITION,
            "rfm": "rfm_scores on the daily summary as of the as-of date (R = days since the "
                   "last purchase, F = purchase days, M = total spend)",
            "spend": SPEND_DEFINITION,
            "clv": "margin ratio x expected spend per purchase x discounted expected purchases "
                   "over the horizon (monthly discounting of the annual rate)",
            "current_value": "margin of the last current_value_days days",
        },
    }
