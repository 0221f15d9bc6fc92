"""The 360 view of one customer: profile, purchase summary, histories and latest value.

Shared by the REST API (``GET /api/customers/{id}``, which masks personal data for viewers) and
the CLI (``valuecrm customers show``). Plain DuckDB queries on one cursor, so a server request
and a command line read it the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from valuecrm.errors import NotFoundError
from valuecrm.views.lookup_copy import Sources, lookup_sources

if TYPE_CHECKING:
    import duckdb

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
VIEW_NAMES = {"survey_responses": "surveys", "loyalty_ledger": "loyalty_points"}


def rows(cursor: duckdb.DuckDBPyConnection, sql: str,
         params: list[Any] | None = None) -> list[dict[str, Any]]:
    """The result of ``sql`` as a list of dicts, NaN and infinities turned into None."""
    result = cursor.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [{k: clean(v) for k, v in zip(names, row, strict=True)} for row in result.fetchall()]


def clean(value: Any) -> Any:
    """A JSON-safe value: NaN and infinities become None (JSON has no NaN)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def customer_360(cursor: duckdb.DuckDBPyConnection, customer_id: str, *, limit: int = 100,
                 hint: str | None = None) -> dict[str, Any]:
    """Everything known about one customer, unmasked.

    Keys: ``profile``, ``summary`` (orders, revenue, first and last order), ``orders``,
    ``interactions``, ``complaints``, ``surveys``, ``loyalty_points`` (each ``{"total",
    "items"}`` with the newest ``limit`` rows; ``loyalty_points`` also has ``balance``),
    ``value`` (the customer's row of the latest snapshot, or None) and ``attributes`` (the
    extra attributes: name, value, type). Raises NotFoundError for an
    unknown id, with ``hint`` saying how to find one.
    """
    sources = lookup_sources(cursor)  # stored by customer when the server keeps a copy
    found = sources.profile(cursor, customer_id, PROFILE_COLUMNS)
    if found is None:
        raise NotFoundError(f"There is no customer {customer_id!r}.", hint=hint)
    view: dict[str, Any] = {"profile": {k: clean(v) for k, v in found.items()}}
    for table in HISTORY:
        items, first = newest(cursor, table, customer_id, limit, sources)
        view[VIEW_NAMES.get(table, table)] = {"total": int(first.get("_total", 0)),
                                              "items": items}
        if table == "orders":
            view["summary"] = {"orders": int(first.get("_total", 0)),
                               "revenue": first.get("_revenue"),
                               "first_order": first.get("_first"),
                               "last_order": first.get("_last")}
        elif table == "loyalty_ledger":
            view["loyalty_points"]["balance"] = int(first.get("_balance", 0))
    view = {"profile": view["profile"], "summary": view.pop("summary"), **{
        k: v for k, v in view.items() if k not in ("profile", "summary")}}
    tables = sources.tables(cursor)
    view["value"] = latest_value(cursor, customer_id, tables, sources)
    view["attributes"] = attributes_of(cursor, customer_id, tables, sources)
    return view


def newest(cursor: duckdb.DuckDBPyConnection, table: str, customer_id: str, limit: int,
           sources: Sources) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The newest ``limit`` rows of one history table (:data:`HISTORY`) of a customer, and
    what is known of them all: ``_total`` (rows), for orders ``_revenue``, ``_first`` and
    ``_last``, for the loyalty ledger ``_balance`` (empty when there is no row).

    The customer's rows are read once, in stored order, and counted, summed and sorted here:
    DuckDB's ``count``, ``sum`` (added in that order, as DuckDB adds them), ``min``, ``max``
    and ``ORDER BY ... DESC`` (missing times last) give the same, and a few rows cost less in
    Python than a query that materialises them to aggregate them."""
    time_column, columns = HISTORY[table]
    found = sources.rows(cursor, table, customer_id, [c.strip() for c in columns.split(",")])
    if not found:
        return [], {}
    first: dict[str, Any] = {"_total": len(found)}
    if table == "orders":
        amounts = [r["amount"] for r in found if r["amount"] is not None]
        times = [r["ordered_at"] for r in found if r["ordered_at"] is not None]
        first.update(_revenue=clean(sum(amounts)) if amounts else None,
                     _first=min(times) if times else None, _last=max(times) if times else None)
    elif table == "loyalty_ledger":
        first["_balance"] = sum(r["points"] for r in found if r["points"] is not None)
    # stable: rows of the same time keep their stored order
    found.sort(key=lambda r: (r[time_column] is not None, r[time_column]), reverse=True)
    return [{k: clean(v) for k, v in r.items()} for r in found[:max(int(limit), 0)]], first


def attributes_of(cursor: duckdb.DuckDBPyConnection, customer_id: str,
                  tables: set[str] | None = None,
                  sources: Sources | None = None) -> list[dict[str, Any]]:
    """The customer's extra attributes (``name``, ``value``, ``type``), by name; empty on a
    database that has no ``customer_attributes`` table (``tables``: the database's, and
    ``sources``: :func:`~valuecrm.views.lookup_copy.lookup_sources`, if known)."""
    sources = lookup_sources(cursor) if sources is None else sources
    tables = sources.tables(cursor) if tables is None else tables
    if "customer_attributes" not in tables:
        return []
    found = sources.rows(cursor, "customer_attributes", customer_id, ("name", "value", "type"))
    # as ORDER BY name (missing names last; rows of one name keep their stored order)
    found.sort(key=lambda r: (r["name"] is None, r["name"] or ""))
    return [{k: clean(v) for k, v in r.items()} for r in found]


def latest_value(cursor: duckdb.DuckDBPyConnection, customer_id: str,
                 tables: set[str] | None = None,
                 sources: Sources | None = None) -> dict[str, Any] | None:
    """The customer's row of the latest saved analysis (table ``customer_value``), if any
    (``tables``: the database's, and ``sources``:
    :func:`~valuecrm.views.lookup_copy.lookup_sources`, if known)."""
    sources = lookup_sources(cursor) if sources is None else sources
    tables = sources.tables(cursor) if tables is None else tables
    if "customer_value" not in tables:
        return None
    columns = sources.columns(cursor, "customer_value")
    order = next((c for c in ("as_of", "snapshot_id") if c in columns), None)
    # the customer's rows (one per snapshot), the newest kept here (as ORDER BY ... DESC
    # LIMIT 1 would, missing values last)
    found = [{k: clean(v) for k, v in r.items()}
             for r in sources.rows(cursor, "customer_value", customer_id)]
    if not found:
        return None
    if order is None:
        return found[0]
    return max(found, key=lambda r: (r[order] is not None, r[order]))
