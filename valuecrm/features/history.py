"""What each customer did up to the as-of date: the order history as Ibis expressions.

The parts that :func:`valuecrm.analysis.customer_history.customer_history` joins into one row
per customer (the analysis window, order rows, cost to serve, categories, loyalty, referrals).

Definitions (stored with every snapshot):

- purchases, returns and cancelled orders: :mod:`valuecrm.features.purchases` (a purchase is an
  order whose ``status`` is ``completed`` or missing; cancelled orders never count; a
  ``returned`` row subtracts its value, negative whatever sign it was recorded with; a recorded
  margin is taken as it is, else amount - cost);
- **revenue** is the sum of ``amount`` over purchase and returned rows; **margin** the sum of
  ``orders.margin``, else ``amount - cost``, else ``amount`` (row by row; the snapshot says which
  was used how often); **current value** is the margin of the last ``current_value_days``;
- **cost to serve** is ``interactions.cost_to_serve`` plus ``complaints.cost_to_serve +
  compensation``, up to the as-of date; returns are already in the margin;
- **categories bought** come from ``order_lines`` x ``products.category`` of purchase orders;
- **loyalty member**: any ``loyalty_ledger`` entry up to the as-of date; **referrals**: the
  converted referrals made (``converted`` true, or a ``referred_customer_id`` recorded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.features.money import money_sum
from valuecrm.features.purchases import (
    OTHER,
    order_kind,
    purchase_days,
    signed_amount,
)

DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """The analysis window: every row up to and including the ``as_of`` day."""

    as_of: pd.Timestamp  # midnight of the as-of day

    @property
    def end(self) -> pd.Timestamp:
        """The first moment after the window."""
        return self.as_of + DAY

    def before_end(self, column: ir.Value) -> ir.BooleanValue:
        return column < ibis.timestamp(self.end.to_pydatetime())

    def days_before_end(self, column: ir.Value) -> ir.IntegerValue:
        """Whole days from the day of ``column`` to the as-of day (0 on the as-of day)."""
        return ibis.date(self.as_of.date()).epoch_days() - column.date().epoch_days()


def order_rows(database: Any, window: Window, since: pd.Timestamp | None = None) -> ir.Table:
    """Orders up to the window's end: ``order_id``, ``customer_id``, ``ordered_at``, ``kind``
    (purchase or returned), ``amount_signed``, ``margin_signed`` and ``margin_source``;
    with ``since``, only those ordered at or after it (filtered first, so the engine can skip
    the older ones as it reads)."""
    orders = database.table("orders")
    kept = window.before_end(orders.ordered_at)
    if since is not None:
        kept &= orders.ordered_at >= ibis.timestamp(since.to_pydatetime())
    rows = orders.filter(kept).mutate(
        kind=order_kind(orders.status))
    rows = rows.filter(rows.kind != OTHER)
    amount = signed_amount(rows.kind, rows.amount)
    margin_source = ibis.cases((rows.margin.notnull(), "orders.margin"),
                               (rows.cost.notnull(), "amount - cost"), else_="amount")
    margin = ibis.coalesce(rows.margin.cast("float64"), amount - rows.cost.cast("float64"),
                           amount)
    return rows.select("order_id", "customer_id", "ordered_at", "kind", amount_signed=amount,
                       margin_signed=margin, margin_source=margin_source)


STORED_ORDERS = ibis.table({"customer_id": "string", "ordered_at": "timestamp",
                            "status": "string"}, name="orders")


def purchase_days_sql(up_to: dt.date) -> str:
    """DuckDB SQL for :func:`valuecrm.features.purchases.purchase_days` of the stored orders
    (``customer_id``, ``day``), for code that holds a raw DuckDB connection."""
    return ibis.to_sql(purchase_days(STORED_ORDERS, up_to), dialect="duckdb")


def customer_purchase_days(raw: Any, customer_id: str, up_to: dt.date) -> list[dt.date]:
    """The days one customer bought on, up to ``up_to``, in order (``raw``: a DuckDB
    connection or cursor of the database)."""
    found = raw.execute(f"SELECT day FROM ({purchase_days_sql(up_to)}) WHERE customer_id = ? "
                        "ORDER BY day", [customer_id]).fetchall()
    return [row[0] for row in found]


def margin_sources(rows: ir.Table) -> dict[str, int]:
    """How many order rows took their margin from each source."""
    counts = rows.group_by("margin_source").agg(n=rows.count()).to_pandas()
    return {str(k): int(v) for k, v in zip(counts["margin_source"], counts["n"], strict=True)}


def cost_to_serve(database: Any, window: Window, decimals: int = 2) -> ir.Table:
    """Per customer: interactions' cost to serve plus complaints' cost and compensation."""
    contacts = database.table("interactions")
    contacts = contacts.filter(window.before_end(contacts.occurred_at))
    contacts = contacts.select("customer_id",
                               cost=contacts.cost_to_serve.cast("float64").fill_null(0.0))
    cases = database.table("complaints")
    cases = cases.filter(window.before_end(cases.opened_at))
    cases = cases.select("customer_id",
                         cost=cases.cost_to_serve.cast("float64").fill_null(0.0)
                         + cases.compensation.cast("float64").fill_null(0.0))
    both = contacts.union(cases)
    return both.group_by("customer_id").agg(cost_to_serve=money_sum(both.cost, decimals))


def categories_bought(database: Any, purchases: ir.Table) -> ir.Table:
    """Per customer: distinct product categories on their purchase orders."""
    lines = database.table("order_lines")
    products = database.table("products").filter(lambda t: t.category.notnull())
    bought = (purchases.select("order_id", "customer_id")
              .join(lines.select("order_id", "product_id"), "order_id")
              .join(products.select("product_id", "category"), "product_id"))
    return bought.group_by("customer_id").agg(categories_bought=bought.category.nunique())


def category_count(database: Any) -> int:
    """Distinct product categories in the catalogue (0 when there is none)."""
    products = database.table("products")
    return int(products.category.nunique().to_pyarrow().as_py() or 0)


def loyalty_members(database: Any, window: Window) -> ir.Table:
    ledger = database.table("loyalty_ledger")
    ledger = ledger.filter(window.before_end(ledger.occurred_at))
    return ledger.select("customer_id").distinct().mutate(loyalty_member=ibis.literal(True))


def referrals_made(database: Any, window: Window) -> ir.Table:
    refs = database.table("referrals")
    refs = refs.filter(window.before_end(refs.referred_at)
                       & (refs.converted.fill_null(False) | refs.referred_customer_id.notnull()))
    return refs.group_by(customer_id=refs.referrer_id).agg(referrals=refs.count())


def prospects(database: Any, buyers: ir.Table, window: Window) -> int:
    """Customers on file by the as-of date who have not bought (the ladder's prospects)."""
    customers = database.table("customers")
    known = customers.filter(customers.signup_at.isnull()
                             | window.before_end(customers.signup_at))
    rest = known.select("customer_id").anti_join(buyers.select("customer_id"), "customer_id")
    return int(rest.count().to_pyarrow().as_py())
