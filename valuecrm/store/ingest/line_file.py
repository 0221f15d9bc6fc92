"""What makes a file for ``orders`` a line-level file, and one line-level load.

The columns of a line file (:data:`LINE_FILE`: the order's columns, then the line's) and their
common names, :func:`line_matches` (which says whether a file's columns are lines, and matches
them), and :class:`LineLoad`, what a load of such a file carries from step to step
(:mod:`.line_items` checks the lines, :mod:`.line_orders` groups them into orders).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from valuecrm.errors import SchemaError
from valuecrm.store.ingest.mapping import ColumnMatch, IngestMapping, match_columns, normalise
from valuecrm.store.ingest.readers import Staged
from valuecrm.store.ingest.synonyms import HEADERS
from valuecrm.store.ingest.wording import Wording
from valuecrm.store.schema import TABLES, Column, Table

_ORDERS = TABLES["orders"]
_LINES = TABLES["order_lines"]


def _col(table: Table, name: str, **changes: Any) -> Column:
    return dataclasses.replace(table.column(name), **changes)


# The columns a line-level file may have (a source for ``orders``; not a stored table).
LINE_FILE = Table(
    "orders",
    "A line-level sales file: one row per product per order.",
    key=(),
    columns=(
        _ORDERS.column("order_id"),
        _col(_ORDERS, "customer_id", required=False,
             doc="Who ordered; empty on a guest line."),
        _ORDERS.column("ordered_at"),
        _col(_LINES, "product_id", references=None),
        Column("product_name", "string", "The product's description."),
        _col(_LINES, "quantity", required=True),
        _LINES.column("unit_price"),
        Column("line_amount", "money", "The line's value (quantity x unit price, after "
                                       "discounts).", unit="currency"),
        _ORDERS.column("status"),
        _ORDERS.column("channel"),
    ),
)
LINE_HEADERS: dict[str, tuple[str, ...]] = {
    **{c: names for c, names in HEADERS["orders"].items() if c in LINE_FILE.column_names},
    "product_id": HEADERS["order_lines"]["product_id"],
    "product_name": ("商品名称", "产品名称", "品名", "商品名", "Description", "Product Name",
                     "Item Name", "Item Description"),
    "quantity": HEADERS["order_lines"]["quantity"],
    "unit_price": ("单价", "成交价", "成交单价", "UnitPrice", "Unit Price", "Price"),
    "line_amount": ("小计", "行金额", "Line Total", "Line Amount", "LineTotal", "Subtotal"),
}
LINE_ONLY = {"product_id", "product_name", "unit_price", "line_amount"}
ORDER_ONLY = set(_ORDERS.column_names) - set(LINE_FILE.column_names)
MONEY = ("unit_price", "line_amount")
AUTO_PREFIXES = {"cancel": "C", "adjustment": "A"}
DIGITS = 6  # line values and order amounts are rounded to a millionth (float noise)


def line_matches(found: list[str], rules: IngestMapping, label: str, wording: Wording,
                 repeats: Callable[[str], bool] = lambda column: True,
                 ) -> tuple[list[ColumnMatch], list[str]] | None:
    """The columns of a line-level file and warnings, or None when the source is not one.

    A source is line-level when its columns (mapped, named or recognised) include a product,
    a quantity and a unit price or a line amount, and no column is mapped to an order-only
    column (``amount``, ``cost``, ``margin``): the user then said it holds orders. A source
    that also has a column named like an order-only one (``Total``, ``金额``) is line-level
    when a line column is mapped explicitly or when its order ids repeat (``repeats(source
    column)``): an export of one row per order may name a product and a price.
    """
    given = {r.column for r in rules.columns if not r.from_file}
    wants_lines = bool(given & LINE_ONLY)
    if given & ORDER_ONLY:
        if wants_lines:
            orders, lines = sorted(given & ORDER_ONLY), sorted(given & LINE_ONLY)
            raise SchemaError(
                f"The mapping of {label} mixes order columns ({', '.join(orders)}) with line "
                f"columns ({', '.join(lines)}).",
                hint="For a file of one row per product line, map the product, quantity and "
                     "unit_price (or line_amount): the order's amount is their sum.")
        return None
    try:
        matches, warnings = match_columns(LINE_FILE, found, rules, label, wording,
                                          LINE_HEADERS)
    except SchemaError:
        if wants_lines:
            raise
        return None
    names = {m.column for m in matches}
    if {"product_id", "quantity"} <= names and names & set(MONEY):
        if wants_lines or not _has_order_columns(found):
            return matches, warnings
        order = next(m.source for m in matches if m.column == "order_id")
        return (matches, warnings) if repeats(order) else None
    if wants_lines:
        missing = [c for c in ("product_id", "quantity") if c not in names] + (
            [] if names & set(MONEY) else ["unit_price or line_amount"])
        raise SchemaError(
            f"{label} is mapped as a file of order lines, which needs a product, a quantity, "
            f"and a unit price or line amount: no column for {', '.join(missing)}.",
            hint=f"Map them, e.g. {wording.map_column('Qty', 'quantity')}. Columns found: "
                 f"{', '.join(found) or 'none'}.")
    return None


def _has_order_columns(found: list[str]) -> bool:
    """Whether a source column is named like an order-only column or one of its common names."""
    names = {normalise(n) for column in ORDER_ONLY
             for n in (column, *HEADERS["orders"].get(column, ()))}
    return any(normalise(c) in names for c in found)


@dataclass
class LineLoad:
    """One line-level load: where the staged file is and what the user asked for."""

    con: duckdb.DuckDBPyConnection
    staged: Staged
    matches: list[ColumnMatch]
    rules: IngestMapping
    prefix: str  # of this load's temporary tables
    date_format: str | None
    create_customers: bool
    now: dt.datetime
    label: str
    wording: Wording
    cancel_prefix: str | None = None  # None: "C" when the data show it; "": none
    adjustment_prefix: str | None = None  # None: "A" when the data show it; "": none

    def name(self, part: str) -> str:
        return f"{self.prefix}_{part}"
