"""Action lists: who to retain and who to win back (:mod:`valuecrm.actions`), with exports.

The page shows the first ``PAGE_ROWS`` customers of a list (cached per snapshot); analysts and
admins may download the whole list as CSV or Parquet (written to the audit log). Viewers see
names and contacts masked and get no export.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from valuecrm.actions.reasons import (
    CATEGORY_STOPPED,
    COMPLAINT,
    PRICE,
    SERVICE_FAILURE,
    reason_rule,
)
from valuecrm.actions.reasons_zh import REASONS_ZH
from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web.downloads import file_download
from valuecrm.interfaces.web.i18n import ENUMS_ZH, Translator
from valuecrm.interfaces.web.rendering import Page, open_page, render, render_page
from valuecrm.store.users import record_audit
from valuecrm.views.lists import action_list, export_action_list
from valuecrm.views.privacy import mask_record, shows_personal_data

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
Kind = Literal["retention", "winback"]
PAGE_ROWS = 100


def page_rows(request: Request, page: Page, kind: str) -> list[dict[str, Any]]:
    """The first ``PAGE_ROWS`` customers of the ``kind`` list (:func:`valuecrm.views.action_list`:
    a page of the list kept per snapshot, the one the download sends)."""
    with server_state(request).session() as database:
        found = action_list(database, kind, snapshot=page.snapshot.snapshot_id,
                            limit=PAGE_ROWS)
    return found["customers"]


def reason_text(row: dict[str, Any], t: Translator) -> tuple[str, str, str]:
    """The reason of a list row in the page's language: its label, the product category it
    names (the shop's own data, shown as is) and the rule that gave it."""
    reason, code = row.get("reason"), row.get("reason_code")
    if not reason or not code:
        return "–", "", ""
    category = ""
    if code == "category_stopped":
        category, reason = reason[len(CATEGORY_STOPPED):], CATEGORY_STOPPED
    if not t.zh:
        return reason, category, row.get("reason_rule") or reason_rule(code)
    label, rule = REASONS_ZH.get(code, ("未知", ""))
    if code == "complaint":
        topic = reason[len(COMPLAINT):]
        label = f"{label}：{ENUMS_ZH.get(topic, topic)}"
    elif category:
        label += "："
    return label, category, rule


def action_text(row: dict[str, Any], winback: bool, t: Translator) -> str:
    """The suggested action in the page's language (the same rules as
    :func:`valuecrm.actions.reasons.suggested_action`)."""
    if not t.zh:
        return row.get("action") or "–"
    reason, status = row.get("reason") or "", row.get("status")
    if reason == SERVICE_FAILURE:
        return "先处理未结的服务问题，再致歉并给予补偿"
    if reason.startswith(COMPLAINT):
        topic = ENUMS_ZH.get(reason[len(COMPLAINT):], reason[len(COMPLAINT):])
        if row.get("poor_recovery"):
            return f"由经理就{topic}投诉亲自致歉，并给予补偿优惠"
        return f"跟进{topic}投诉：说明已做的改进，并附欢迎回归优惠"
    if reason == PRICE:
        return "针对其常购品类的定向价格优惠（折扣或组合）"
    code = row.get("reason_code")
    if code == "returned":
        return "询问退货原因，提供换货或抵用金"
    if code == "one_purchase":
        return "根据其首次购买推荐第二次购买优惠"
    if code == "category_stopped":
        return "介绍该品类的新品，并附小额奖励"
    if code == "spend_fell":
        return "组合优惠或满额奖励，提升客单价"
    if code in ("intervals_lengthened", "overdue"):
        return "按其原有购买节奏发送提醒，附限时奖励"
    if winback:
        return "重新激活优惠：介绍上次购买后的新品，附小额奖励"
    if status == "lapsed":
        return "发送提醒，附限时再次购买奖励"
    return "在其沉默前主动联系，并给予会员奖励"


@router.get("/actions")
def actions(request: Request, cur: Cursor, list: Kind = "retention") -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "actions")
    t, winback = page.t, list == "winback"
    rows = [mask_record(r, page.user) for r in page_rows(request, page, list)]
    for row in rows:
        row["reason_text"], row["reason_category"], row["reason_rule_text"] = \
            reason_text(row, t)
        row["action_text"] = action_text(row, winback, t)
    return render_page(page, "actions.html", "actions", kind=list, rows=rows, figures=None,
                       may_export=shows_personal_data(page.user))


@router.get("/actions/{kind}.{suffix}")
def export(request: Request, cur: Cursor, kind: Kind, suffix: Literal["csv", "parquet"],
           ) -> Response:
    """The whole list as a file (analysts and admins)."""
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    if not shows_personal_data(page.user) or page.snapshot is None:
        return render(request, "no_snapshot.html" if page.snapshot is None else
                      "forbidden.html", page.t, status_code=403 if page.snapshot else 404,
                      user=page.user, active="actions", figures=None)
    name = f"{kind}-{page.snapshot.as_of.isoformat()}.{suffix}"
    snapshot_id = page.snapshot.snapshot_id

    def write(path: str) -> int:
        with server_state(request).session() as database:
            return export_action_list(database, kind, path, snapshot=snapshot_id)[0]

    answer, rows = file_download(write, suffix, name)
    with server_state(request).write_lock:
        record_audit(cur, page.user, "export", f"actions/{kind}", rows, format=suffix,
                     via="dashboard")
    return answer
