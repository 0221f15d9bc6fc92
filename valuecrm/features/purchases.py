"""What counts as a purchase: the one definition, as Ibis expressions over the orders.

An order's ``status`` (``docs/schema.md``) is read ignoring case and surrounding whitespace
(spaces, tabs, line breaks), the same on every engine:

- a **purchase** is an order whose status is ``completed`` or missing (data without statuses,
  such as CDNOW, are all purchases). Purchases, and only they, make the RFM summary (frequency,
  recency, T, monetary value, total spend), the purchase models, RFM scores, cohorts, the
  tracking chart and the P(alive) history;
- a **return** is an order row with status ``returned``: goods sent back. It is not a purchase
  (it neither adds a purchase nor lowers the mean value of the purchases), but its value counts
  against revenue and margin, negative whatever sign it was recorded with;
- a **cancelled** order (or any other status) counts nowhere;
- **net spend** (revenue) is the value of the purchases plus the (negative) value of the
  returns.

:func:`valuecrm.rfm_summary` applies this rule to any orders table with a ``status`` column,
:func:`valuecrm.analyze` (``valuecrm analyze``), the lists, the dashboard and the report read it
from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir

PURCHASE = "purchase"
RETURN = "returned"
OTHER = "other"
PURCHASE_STATUS = "completed"
RETURN_STATUS = "returned"
DEFINITION = ("an order with status 'completed' or no status is a purchase; a 'returned' row is "
              "not a purchase and subtracts its value from revenue and margin; cancelled orders "
              "(any other status) are ignored")


def _clean(status: ir.StringValue) -> ir.StringValue:
    """``status`` in lower case without surrounding whitespace. A regular expression, because
    ``strip`` differs between engines (Spark's ``trim`` removes spaces only); a status already
    written as its clean form is taken as it is, so the expression runs on the few others
    only (a regular expression on every order row is dear, on Spark above all)."""
    return ibis.cases((status == PURCHASE_STATUS, PURCHASE_STATUS),
                      (status == RETURN_STATUS, RETURN_STATUS),
                      else_=status.re_replace(r"^\s+|\s+$", "").lower())


def order_kind(status: ir.StringValue) -> ir.StringValue:
    """``"purchase"``, ``"returned"`` or ``"other"`` for each order ``status``."""
    clean = _clean(status)
    return ibis.cases((status.isnull() | (clean == PURCHASE_STATUS), PURCHASE),
                      (clean == RETURN_STATUS, RETURN), else_=OTHER)


def is_purchase(status: ir.StringValue) -> ir.BooleanValue:
    """True for the orders that are purchases (status completed or missing)."""
    return status.isnull() | (_clean(status) == PURCHASE_STATUS)


def is_purchase_status(status: Any) -> bool:
    """The same rule for one value held in Python (e.g. a row already read)."""
    return status is None or str(status).strip().lower() == PURCHASE_STATUS


def signed_amount(kind: ir.StringValue, amount: ir.NumericValue) -> ir.FloatingValue:
    """An order's value as it counts in revenue: a return's is negative (``-abs``), a missing
    amount 0."""
    value = amount.cast("float64").fill_null(0.0)
    return ibis.ifelse(kind == RETURN, -value.abs(), value)


def purchases(orders: ir.Table, status_col: str = "status") -> ir.Table:
    """The rows of ``orders`` that are purchases (all of them without a ``status_col``)."""
    if status_col not in orders.columns:
        return orders
    return orders.filter(is_purchase(orders[status_col]))


def purchase_days(orders: ir.Table, up_to: dt.date, *, customer_col: str = "customer_id",
                  time_col: str = "ordered_at") -> ir.Table:
    """The distinct (``customer_id``, ``day``) with a purchase up to and including ``up_to``:
    the purchases of the buy-till-you-die models in days."""
    bought = purchases(orders)
    day = bought[time_col].date() if bought[time_col].type().is_timestamp() else bought[time_col]
    bought = bought.select(customer_id=bought[customer_col], day=day)
    return bought.filter(bought.day <= ibis.date(up_to)).distinct()
