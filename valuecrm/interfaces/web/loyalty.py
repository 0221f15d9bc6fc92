"""The "Loyalty / 会员忠诚计划" page: liability, breakage and redemption, tier mix and moves,
members against non-members (selection, not effect), and the what-if form with its results
(:mod:`valuecrm.views.loyalty`); the tier moves between two snapshots' as-of dates when chosen
(``?moves_from=&moves_to=``, snapshot ids). Viewers see aggregates; analysts and admins also
see who changes tier."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from valuecrm.errors import InputError
from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import Page, open_page, render
from valuecrm.views import loyalty

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
Number = Annotated[float | None, Query(ge=0, le=1e6)]
MOVERS_SHOWN = 50


def tier_figures(overview: dict[str, Any], moves: dict[str, Any],
                 t: Translator) -> dict[str, Any]:
    """The tier mix (bars) and the tier moves (a from x to heatmap)."""
    mix = overview["tiers"]["mix"]
    figures = {"tier_mix": charts.bars([t.enum(m["tier"]) for m in mix],
                                       [m["members"] for m in mix], t,
                                       value_title=t("members"))}
    names = [t.enum(n) for n in moves["tiers"]]
    z = [[row[n] for n in moves["tiers"]] for row in moves["matrix"]]
    figures["tier_moves"] = charts.heatmap(names, names, z,
                                           x_title=t("tier_to", day=t.date(moves["to"])),
                                           y_title=t("tier_from", day=t.date(moves["from"])),
                                           height=360)
    return figures


def _tiers(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(x) for x in text.replace("，", ",").split(",") if x.strip()]
    except ValueError:
        return None


@router.get("/loyalty")
def loyalty_page(
    request: Request, cur: Cursor,
    points_per_unit: Number = None, value_per_point: Number = None,
    bonus_category: Annotated[str | None, Query(max_length=100)] = None,
    bonus_multiplier: Number = None,
    tier_min: Annotated[str | None, Query(max_length=200)] = None,
    months: Annotated[int, Query(ge=1, le=120)] = 12,
    what_if: Annotated[bool, Query(alias="what_if")] = False,
    moves_from: Annotated[int | None, Query(ge=1)] = None,
    moves_to: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    context: dict[str, Any] = {"form": {"points_per_unit": points_per_unit,
                                        "value_per_point": value_per_point,
                                        "bonus_category": bonus_category,
                                        "bonus_multiplier": bonus_multiplier,
                                        "tier_min": tier_min, "months": months,
                                        "moves_from": moves_from, "moves_to": moves_to}}
    with server_state(request).session() as database:
        overview = loyalty.loyalty_overview(database)
        if not overview["empty"]:
            moves = loyalty.tier_moves(database, start_snapshot=moves_from,
                                       end_snapshot=moves_to)
            context.update(moves=moves, value=loyalty.member_value(database),
                           categories=loyalty.product_categories(database),
                           figures=tier_figures(overview, moves, page.t))
            if what_if:
                current = loyalty.configured_rules(database=database)
                try:
                    changed = loyalty.rules_document(loyalty.changed_rules(
                        current, points_per_unit=points_per_unit,
                        value_per_point=value_per_point, bonus_category=bonus_category or None,
                        bonus_multiplier=bonus_multiplier, tier_minimums=_tiers(tier_min)),
                        database, "the what-if form")
                    context["result"] = loyalty.what_if(
                        database, changed, current, months=months, members=page.personal,
                        limit=MOVERS_SHOWN)
                except InputError as error:
                    context["what_if_error"] = f"{error.message} {error.hint or ''}".strip()
    return render(request, "loyalty.html", page.t, user=page.user, active="loyalty",
                  snapshot=page.snapshot, snapshots=page.snapshots,
                  personal=page.personal, overview=overview,
                  **context)
