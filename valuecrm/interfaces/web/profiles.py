"""The "Who they are / 客户画像" page: the customers profiled by one attribute
(:func:`valuecrm.views.profiles.customer_profile`, the same answer as ``valuecrm profile``), and
where valuable customers come from with their referral value
(:mod:`valuecrm.views.acquisition`, the answers of ``valuecrm acquisition`` and ``valuecrm
referrals``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import Page, open_page, render_page
from valuecrm.reports.acquisition import SOURCES
from valuecrm.segments.rfm_names import RFM_CLASSES
from valuecrm.views.acquisition import acquisition_sources, referral_summary
from valuecrm.views.privacy import QUASI_IDENTIFIERS
from valuecrm.views.profiles import customer_profile

router = APIRouter(include_in_schema=False)
Source = Literal[tuple(SOURCES)]  # type: ignore[valid-type]
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


def attribute_name(t: Translator, name: str) -> str:
    """An attribute's name in the page's language (its own name when there is no word)."""
    key = f"attr_{name}"
    return t(key) if key in t.catalogue else name.replace("_", " ")


def profile_figures(found: dict[str, Any], t: Translator) -> dict[str, Any]:
    """The value bars (mean spend and mean CLV per group) and the RFM class mix (stacked
    shares per group)."""
    by = found["by"]
    groups = [t.enum(g[by]) for g in found["groups"]]
    series = {t("mean_spend"): [g.get("mean_spend") for g in found["groups"]]}
    if "clv" in found["measures"]:
        series[t("mean_clv")] = [g.get("mean_clv") for g in found["groups"]]
    figures = {"value": charts.grouped_bars(groups, series, t("amount"))}
    if found["mix"]:
        share = {(t.enum(m[by]), m["rfm_class_code"]): m["share"] for m in found["mix"]}
        figures["mix"] = charts.stacked_shares(
            groups, {t.label(c.name_en): [share.get((g, c.code), 0.0) for g in groups]
                     for c in RFM_CLASSES}, t("share"))
    for figure in figures.values():  # legend above, so rotated group names do not hide it
        figure["layout"].update(xaxis={"automargin": True, "type": "category"}, height=400,
                                legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return figures


def acquisition_figures(found: dict[str, Any], t: Translator) -> dict[str, Any]:
    """Mean CLV per source with its interval as error bars, and each source's share of
    customer equity."""
    sources = [t.enum(row["source"]) for row in found["items"]]
    means = [row["mean_clv"] for row in found["items"]]
    upper = [None if row["mean_clv_upper"] is None else row["mean_clv_upper"] - row["mean_clv"]
             for row in found["items"]]
    lower = [None if row["mean_clv_lower"] is None else row["mean_clv"] - row["mean_clv_lower"]
             for row in found["items"]]
    value = charts.grouped_bars(sources, {t("mean_clv"): means}, t("amount"))
    value["data"][0]["error_y"] = {"type": "data", "array": upper, "arrayminus": lower,
                                   "visible": True}
    value["layout"]["showlegend"] = False
    equity = charts.grouped_bars(sources, {t("acq_equity_share"): [
        row["equity_share"] for row in found["items"]]}, t("share"))
    equity["layout"]["showlegend"] = False
    equity["layout"]["yaxis"]["tickformat"] = ".0%"
    for figure in (value, equity):
        figure["layout"].update(xaxis={"automargin": True, "type": "category"}, height=360)
    return {"acquisition": value, "acquisition_equity": equity}


@router.get("/profile")
def profile(request: Request, cur: Cursor,
            by: Annotated[str | None, Query(max_length=100)] = None,
            source: Source = "signup_channel") -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "profile")
    hidden = () if page.personal else QUASI_IDENTIFIERS
    with server_state(request).session() as database:
        found = customer_profile(database, by or None, hidden=hidden)
        acquired = acquisition_sources(database, source, snapshot=page.snapshot.snapshot_id,
                                       top=12)
        referrals = referral_summary(database, snapshot=page.snapshot.snapshot_id)
    figures = profile_figures(found, page.t) if found["groups"] else {}
    figures.update(acquisition_figures(acquired, page.t))
    names = {a: attribute_name(page.t, a) for a in found["attributes"]}
    return render_page(page, "profile.html", "profile", found=found, figures=figures,
                       names=names, acquired=acquired, referrals=referrals,
                       sources=list(SOURCES))
