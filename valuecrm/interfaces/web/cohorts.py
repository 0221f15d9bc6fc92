"""The cohort retention heat map of the lifecycle page: the grid of
:func:`valuecrm.views.snapshot_groups.cohort_grid` (monthly cohorts up to the snapshot's as-of
date, kept per snapshot), drawn in the page's language."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from valuecrm.interfaces.api.state import server_state
from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.store.snapshots import Snapshot
from valuecrm.views.snapshot_groups import cohort_grid

MAX_COHORTS = 36


def retention_figure(request: Request, snapshot: Snapshot, t: Translator) -> dict[str, Any]:
    with server_state(request).session() as database:
        grid = cohort_grid(database, snapshot.as_of, MAX_COHORTS)
    cohorts, periods, shares = grid["cohorts"], grid["periods"], grid["shares"]
    figure = charts.heatmap([str(p) for p in periods], cohorts, shares,
                            x_title=t("period"), y_title=t("cohort"), colorscale="Blues",
                            text_format="%{z:.0%}", height=max(320, 22 * len(cohorts) + 120))
    figure["data"][0]["texttemplate"] = "%{z:.0%}" if len(periods) <= 18 else ""
    return figure
