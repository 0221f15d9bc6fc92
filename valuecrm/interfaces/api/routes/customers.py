"""Customers: search with pages, and the 360 view of one customer."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Path, Query

from valuecrm.errors import NotFoundError
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.privacy import mask_record, shows_personal_data
from valuecrm.interfaces.api.state import cursor, rows

router = APIRouter(prefix="/customers", tags=["customers"])
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]

PROFILE_COLUMNS = ("customer_id", "name", "email", "phone", "gender", "birth_year", "region",
                   "city", "signup_channel", "signup_at", "income_band")
# table -> (time column, columns shown) in the 360 view, newest first
HISTORY: dict[str, tuple[str, str]] = {
    "orders": ("ordered_at", "order_id, ordered_at, amount, cost, margin, quantity, channel, "
                             "status"),
    "interactions": ("occurred_at", "interaction_id, occurred_at, stage, channel, kind, "
                                    "cost_to_serve, duration_minutes"),
    "complaints": ("opened_at", "complaint_id, order_id, opened_at, resolved_at, category, "
                                "severity, compensation, resolution_hours, outcome_justice, "
                                "procedural_justice, interactional_justice, satisfaction_after, "
                                "cost_to_serve"),
    "survey_responses": ("responded_at", "response_id, question, responded_at, survey, score, "
                                         "answer_text"),
    "loyalty_ledger": ("occurred_at", "entry_id, occurred_at, points, kind, order_id, tier"),
}
_VIEW_NAMES = {"survey_responses": "surveys", "loyalty_ledger": "loyalty_points"}


@router.get("")
def search_customers(
    user: Viewer,
    cur: Cursor,
    q: Annotated[str | None, Query(max_length=200, description=(
        "Substring of the customer id, name or e-mail (case-insensitive). Viewers search by "
        "customer id only."))] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Customers matching ``q``, ordered by id, one page at a time."""
    where, params = "", []
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        needle = f"%{escaped}%"
        fields = (["customer_id", "name", "email"] if shows_personal_data(user)
                  else ["customer_id"])
        where = "WHERE " + " OR ".join(f"lower({f}) LIKE ? ESCAPE '\\'" for f in fields)
        params = [needle] * len(fields)
    total = int(cur.execute(f"SELECT count(*) FROM customers {where}", params).fetchone()[0])
    items = rows(cur, f"SELECT {', '.join(PROFILE_COLUMNS)} FROM customers {where} "
                      "ORDER BY customer_id LIMIT ? OFFSET ?",
                 [*params, page_size, (page - 1) * page_size])
    return {"items": [mask_record(item, user) for item in items], "total": total, "page": page,
            "page_size": page_size, "pages": -(-total // page_size)}


@router.get("/{customer_id}")
def customer_360(
    user: Viewer,
    cur: Cursor,
    customer_id: Annotated[str, Path(max_length=200)],
    limit: Annotated[int, Query(ge=1, le=1000, description=(
        "Most recent rows shown of each history (orders, interactions, ...)."))] = 100,
) -> dict[str, Any]:
    """Everything known about one customer: profile, purchase summary, orders, interactions,
    complaints, survey answers, loyalty points and, if analyses were saved, the latest value."""
    found = rows(cur, f"SELECT {', '.join(PROFILE_COLUMNS)} FROM customers "
                      "WHERE customer_id = ?", [customer_id])
    if not found:
        raise NotFoundError(f"There is no customer {customer_id!r}.",
                            hint="Search for it with GET /api/customers?q=...")
    view: dict[str, Any] = {"profile": mask_record(found[0], user)}
    view["summary"] = rows(cur, "SELECT count(*) AS orders, sum(amount) AS revenue, "
                                "min(ordered_at) AS first_order, max(ordered_at) AS last_order "
                                "FROM orders WHERE customer_id = ?", [customer_id])[0]
    for table, (time_column, columns) in HISTORY.items():
        total = int(cur.execute(f"SELECT count(*) FROM {table} WHERE customer_id = ?",
                                [customer_id]).fetchone()[0])
        items = rows(cur, f"SELECT {columns} FROM {table} WHERE customer_id = ? "
                          f"ORDER BY {time_column} DESC LIMIT ?", [customer_id, limit])
        view[_VIEW_NAMES.get(table, table)] = {
            "total": total, "items": [mask_record(item, user) for item in items]}
    view["loyalty_points"]["balance"] = int(cur.execute(
        "SELECT coalesce(sum(points), 0) FROM loyalty_ledger WHERE customer_id = ?",
        [customer_id]).fetchone()[0])
    view["value"] = latest_value(cur, customer_id)
    return view


def latest_value(cur: duckdb.DuckDBPyConnection, customer_id: str) -> dict[str, Any] | None:
    """The customer's row of the latest saved analysis (table ``customer_value``), if any."""
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "customer_value" not in tables:
        return None
    columns = [r[0] for r in cur.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'customer_value'").fetchall()]
    order = next((c for c in ("as_of", "snapshot_id") if c in columns), None)
    found = rows(cur, "SELECT * FROM customer_value WHERE customer_id = ?"
                      + (f' ORDER BY "{order}" DESC' if order else "") + " LIMIT 1",
                 [customer_id])
    return found[0] if found else None

