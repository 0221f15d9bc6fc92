"""Filling the dashboard's per-snapshot caches in the background when the server starts.

The aggregates of the analysis pages (:func:`valuecrm.interfaces.web.queries.per_snapshot`), the
cohort retention table, the action lists and the models page's cumulative tracking are computed
once per snapshot (seconds on a million customers); doing so at start-up, in a daemon thread over
a cursor of its own, keeps the first visitor of each page from waiting for them.
A failure is logged and left to the page, which computes the same thing on demand. The
same runs again after an analysis job writes a snapshot (:func:`warm_again`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from fastapi import FastAPI

logger = logging.getLogger("valuecrm.web")
COUNTED = ("status", "rfm_segment", "rfm_class", "tier", "value_class", "quadrant",
           "lifecycle_stage", "loyalty_stage")


def warm_caches(app: FastAPI, stop: threading.Event | None = None) -> None:
    """Compute the caches of the latest snapshot (runs in the calling thread); stop between
    steps once ``stop`` is set (the server is shutting down and will close the database).
    Once stopping, whatever fails (the cursor interrupted by :func:`stop_warming`, at any
    point) ends the warm-up quietly: no warning, and no exception out of the thread."""
    from valuecrm.interfaces.web import actions, cohorts, queries
    from valuecrm.views import model_figures
    from valuecrm.views.acquisition import referral_summary
    from valuecrm.views.lists import action_list
    from valuecrm.views.snapshot_groups import cohort_grid

    state = app.state.valuecrm
    with state.cursor() as cur:
        app.state.warmup_cursor = cur  # interrupted by stop_warming
        try:
            found = queries.snapshots(cur)
        except Exception as error:  # interrupted by stop_warming, or no snapshot table
            if not _stopping(stop):
                logger.warning("warming the caches did not start: %s", error)
            return
        if not found:
            return
        snapshot = found[-1]
        sid = snapshot.snapshot_id
        steps: list[tuple[str, Any]] = [
            (f"{column} counts", lambda column=column: queries.counts_by(cur, sid, column))
            for column in COUNTED]
        steps += [(func.__name__, lambda func=func: func(cur, sid)) for func in (
            queries.headline, queries.clv_histogram, queries.rf_grid, queries.scatter_sample,
            queries.quadrant_cuts, queries.palive_matrix, queries.frequency_cap)]
        steps.append(("trends", lambda: queries.trends(cur)))
        if len(found) > 1:
            steps.append(("migration", lambda: queries.migration(cur, found[-2].snapshot_id,
                                                                 sid)))
        try:
            database = queries.database_of(cur)
        except Exception as error:  # interrupted by stop_warming while it ran
            if not _stopping(stop):
                logger.warning("warming the caches did not start: %s", error)
            return
        steps += [("cohorts", lambda: cohort_grid(database, snapshot.as_of, cohorts.MAX_COHORTS)),
                 ("tracking", lambda: model_figures.cumulative_tracking(cur, state.database.path,
                                                                   snapshot))]
        steps += [(f"{kind} list", lambda kind=kind: action_list(
            database, kind, snapshot=sid, limit=actions.PAGE_ROWS))
            for kind in ("retention", "winback")]
        # every referrer's row: the 360 views read theirs from it
        steps.append(("referrals", lambda: referral_summary(database, snapshot=sid)))
        for name, step in steps:
            if _stopping(stop):
                return
            try:
                step()
            except Exception as error:  # the page will try again, and show its own error
                if _stopping(stop):
                    return  # interrupted by stop_warming: nothing to report
                logger.warning("warming the %s cache failed: %s", name, error)


def _stopping(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def start_warming(app: FastAPI) -> threading.Thread:
    """Run :func:`warm_caches` in a daemon thread; return it (:func:`stop_warming` ends it)."""
    stop = threading.Event()
    thread = threading.Thread(target=warm_caches, args=(app, stop), name="valuecrm-warmup",
                              daemon=True)
    app.state.warmup = (thread, stop)
    thread.start()
    return thread


_closing = threading.Lock()  # a warm-up started again never outlives the server's database


def warm_again(app: FastAPI) -> None:
    """After an analysis wrote a snapshot: stop a warm-up still running, start a new one for
    the new latest snapshot (the server's kept answers were dropped already); nothing once
    the server is stopping (:func:`stop_warming` ran)."""
    with _closing:
        if getattr(app.state, "warming_closed", False):
            return
        _stop(app)
        start_warming(app)


def stop_warming(app: FastAPI, timeout: float = 60.0) -> None:
    """Stop the warm-up and wait for it, before the server closes the database: a query still
    running on a closed DuckDB database crashes the process (a segmentation fault). No
    warm-up starts after it."""
    with _closing:
        app.state.warming_closed = True
        _stop(app, timeout)


def _stop(app: FastAPI, timeout: float = 60.0) -> None:
    found = getattr(app.state, "warmup", None)
    if found is None:
        return
    thread, stop = found
    stop.set()
    cursor = getattr(app.state, "warmup_cursor", None)
    if cursor is not None and thread.is_alive():
        with contextlib.suppress(Exception):  # already closed: nothing runs on it
            cursor.interrupt()  # the step running now ends with an error, which is logged
    thread.join(timeout)
