"""The cohort retention heat map of the lifecycle page (:mod:`valuecrm.reports.cohorts`).

Computed once per snapshot (up to its as-of date, monthly cohorts) and kept for as long as the
server runs; the figure is rebuilt per language from the cached shares.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request

from valuecrm.interfaces.api.state import server_state
from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.store.snapshots import Snapshot

MAX_COHORTS = 36
_lock = threading.Lock()


def _shares(request: Request, snapshot: Snapshot) -> tuple[list[str], list[int], list[list[Any]]]:
    """(cohorts, periods, shares) of the latest ``MAX_COHORTS`` monthly cohorts, cached."""
    from valuecrm.reports.cohorts import cohort_retention

    state = server_state(request)
    cache = getattr(request.app.state, "web_cohorts", None)
    if cache is None:
        cache = request.app.state.web_cohorts = {}
    key = (snapshot.snapshot_id, snapshot.created_at)
    with _lock:
        if key not in cache:
            with state.session() as database:
                pivot = cohort_retention(database, as_of=snapshot.as_of, period="M").pivot
            pivot = pivot.iloc[-MAX_COHORTS:]
            pivot = pivot.loc[:, pivot.notna().any()]
            cache[key] = ([str(c) for c in pivot.index], [int(p) for p in pivot.columns],
                          [[None if v != v else round(float(v), 4) for v in row]
                           for row in pivot.to_numpy()])
        return cache[key]


def retention_figure(request: Request, snapshot: Snapshot, t: Translator) -> dict[str, Any]:
    cohorts, periods, shares = _shares(request, snapshot)
    figure = charts.heatmap([str(p) for p in periods], cohorts, shares,
                            x_title=t("period"), y_title=t("cohort"), colorscale="Blues",
                            text_format="%{z:.0%}", height=max(320, 22 * len(cohorts) + 120))
    figure["data"][0]["texttemplate"] = "%{z:.0%}" if len(periods) <= 18 else ""
    return figure
