"""The cross-sell page: the top association rules by lift at a level of the catalogue, a
chart of them, the cross-buying figures by segment (more, deeper: 多、深), and, for analysts
and admins, the next best products per customer with downloads of the cross-sell and up-sell
lists (:mod:`valuecrm.views.cross_sell`; written to the audit log). Viewers see rules and
aggregates only."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.downloads import file_download
from valuecrm.interfaces.web.rendering import Page, open_page, render, render_page
from valuecrm.store.users import record_audit
from valuecrm.views import cross_sell
from valuecrm.views.privacy import shows_personal_data

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
Level = Literal["category", "type", "product"]
# the page's support threshold per level: fewer baskets hold a product than a category
SUPPORT = {"category": 0.01, "type": 0.005, "product": 0.001}
TOP_RULES, PAGE_ROWS = 20, 100


def _rule_label(rule: dict[str, Any]) -> str:
    """``A + B → C`` in the products' names at the product level, else as the items are."""
    return (" + ".join(map(str, rule.get("antecedent_names") or rule["antecedent"])) + " → "
            + str(rule.get("consequent_name") or rule["consequent"]))


@router.get("/cross-sell")
def cross_sell_page(request: Request, cur: Cursor, level: Level = "category") -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "cross_sell")
    t = page.t
    may_export = shows_personal_data(page.user)
    with server_state(request).session() as database:
        found = cross_sell.rules(database, level=level, min_support=SUPPORT[level],
                                 max_len=2, top=TOP_RULES)
        buying = cross_sell.cross_buying(database)
        offers = (cross_sell.next_best(database, limit=PAGE_ROWS)["customers"] if may_export
                  else None)
    shown = found["rules"][:12]
    figures = {
        "rules": charts.bars([_rule_label(r) for r in shown], [r["lift"] for r in shown], t,
                             value_title=t("lift"), horizontal=True),
        "breadth": charts.bars([str(d["categories"]) for d in buying["distribution"]],
                               [d["customers"] for d in buying["distribution"]], t,
                               value_title=t("count")),
    }
    return render_page(page, "cross_sell.html", "cross_sell", figures=figures, level=level,
                       found=found, buying=buying, offers=offers, may_export=may_export)


@router.get("/cross-sell/next-best.{suffix}")
def export_next_best(request: Request, cur: Cursor, suffix: Literal["csv", "parquet"]
                     ) -> Response:
    """The whole cross-sell list as a campaign list (analysts and admins)."""
    return _export(request, cur, "next-best", suffix)


@router.get("/cross-sell/up-sell.{suffix}")
def export_up_sell(request: Request, cur: Cursor, suffix: Literal["csv", "parquet"]
                   ) -> Response:
    """The whole up-sell list as a campaign list (analysts and admins)."""
    return _export(request, cur, "up-sell", suffix)


def _export(request: Request, cur: Cursor, kind: str, suffix: str) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    if not shows_personal_data(page.user) or page.snapshot is None:
        return render(request, "no_snapshot.html" if page.snapshot is None else
                      "forbidden.html", page.t, status_code=403 if page.snapshot else 404,
                      user=page.user, active="cross_sell", figures=None)
    name = f"{kind}-{page.snapshot.as_of.isoformat()}.{suffix}"

    def write(path: str) -> int:
        with server_state(request).session() as database:
            return cross_sell.export_offers(database, kind, path)

    answer, rows = file_download(write, suffix, name)
    with server_state(request).write_lock:
        record_audit(cur, page.user, "export", f"cross-sell/{kind}", rows,
                     format=suffix, via="dashboard")
    return answer
