"""Line-level sales files: one row per product per order, grouped into orders as they load.

Point-of-sale and e-commerce systems export invoice lines (invoice number, product code,
description, quantity, unit price, customer, date). When the columns of a file for ``orders``
include a product, a quantity and a unit price or a line amount, :func:`line_matches` says so
and :func:`check_lines` checks and classifies its lines and groups them into orders, which
:mod:`.line_writer` stores in one transaction: the orders (one per order id), their
``order_lines`` and the ``products``. The rules, in the order they apply to each good line
(``docs/line-items.md`` repeats them):

1. an exact duplicate of an earlier line (every column the same) is left out;
2. a line of an adjustment order (order id with the adjustment prefix, e.g. ``A563185``, a
   bad-debt write-off) is left out: it is accounting, not a sale;
3. a line with a negative unit price is left out (an adjustment written as a line);
4. a line worth nothing with a negative quantity is a stock correction (damaged, lost), left
   out; other lines worth 0 (free items, zero prices) are kept in their basket;
5. the others are kept. A line's value is its line amount, or quantity x unit price; a line
   with a negative quantity or value is a returned line, its value negative.

An order is the kept lines of one order id: its customer is the customer of its lines (lines
of two customers under one order id are bad rows), its time the earliest line's, its amount the
sum of its lines' values. It is a **return** (status ``returned``, amount negative, linked to
its customer, never a purchase) when its id carries the cancellation prefix (``C536379``), when
the status column says so, or when its lines are all returned lines or sum below zero; a
``cancelled`` status keeps it out of every figure; otherwise it is a purchase (``completed``).
Orders without a customer (guest lines) go to ``guest_orders``: their lines stay in
``order_lines`` for basket analysis, and no customer is made of them. A product's ``name`` is
set from the description if it has none, its ``unit_price`` is the last positive price.

Loading the file again changes nothing: orders are upserted by id, each order's lines replaced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb

from valuecrm.errors import SchemaError
from valuecrm.store.ingest.line_report import LineCounts
from valuecrm.store.ingest.mapping import (
    ColumnMatch,
    IngestMapping,
    match_columns,
    match_values,
    normalise,
)
from valuecrm.store.ingest.parse import sql_string
from valuecrm.store.ingest.readers import Staged, literal, quote
from valuecrm.store.ingest.report import ColumnUse, IngestReport
from valuecrm.store.ingest.synonyms import HEADERS
from valuecrm.store.ingest.validate import (
    Typed,
    count_values,
    create_typed,
    find_problems,
    locate_problems,
)
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


@contextmanager
def any_row_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let DuckDB store the load's tables in any physical row order for the duration of a
    line-level load (``preserve_insertion_order = false``; restored afterwards).

    Only the staging table's ``rowid`` is a file position, and it is staged before this is set.
    Every later step carries that position as a column (``__row``, ``row``, ``first_row``) and
    orders by it where order matters (first customer, line numbers, last price, the rows
    written to ``orders``, samples and rejects, all with ``ORDER BY``), so the stored values are
    the same. DuckDB then writes its tables without keeping its threads' batches in order
    (less buffering under the load's memory cap)."""
    kept = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if kept else 'false'}")


def check_lines(load: LineLoad, report: IngestReport, count_problems: Callable[[str], None],
                keeps_file: Callable[[], bool]) -> Typed:
    """Type and check every line; fill the report's columns, values and bad rows, then build
    the load's tables of lines and orders and the report's :class:`LineCounts`.

    ``keeps_file`` (asked once the bad rows are counted) says whether the staged file is needed
    afterwards (for a rejects file); if not, it is dropped as soon as the exact duplicates are
    found, and the typed lines once the lines table is built, so that the larger steps spill
    less under the load's memory cap. The returned :class:`Typed` then names a dropped table."""
    con, staged = load.con, load.staged
    spec = _spec(load.matches)
    value_matches, warnings = match_values(spec, load.matches, load.rules, load.label)
    report.warnings += warnings
    matched = {m.column: m.source for m in load.matches}
    report.columns = [ColumnUse(m.source, m.column, m.how) for m in load.matches]
    report.values = count_values(con, staged, matched, value_matches)
    value_maps: dict[str, dict[str, str]] = {}
    for match in value_matches:
        value_maps.setdefault(match.column, {})[match.value.lower()] = match.to
    typed = create_typed(con, load.name("typed"), spec, staged, matched, load.date_format,
                         value_maps, row_hash=True)
    errors = load.name("errors")
    find_problems(con, typed, errors, load.date_format, load.create_customers, load.now,
                  load.wording)
    _money_missing(con, typed, errors)
    _mixed_customers(con, typed, errors)
    locate_problems(con, staged, typed, errors, load.name("bad"))
    count_problems(load.name("bad"))
    _build(load, typed, report, keeps_file())
    return typed


def _spec(matches: list[ColumnMatch]) -> Table:
    """:data:`LINE_FILE` with its one money column required when only one is mapped."""
    present = [c for c in MONEY if c in {m.column for m in matches}]
    if len(present) != 1:
        return LINE_FILE
    columns = tuple(_col(LINE_FILE, c.name, required=True) if c.name == present[0] else c
                    for c in LINE_FILE.columns)
    return dataclasses.replace(LINE_FILE, columns=columns)


def _position(column: str) -> int:
    return LINE_FILE.column_names.index(column)


def _money_missing(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str) -> None:
    if not all(c in typed.aliases for c in MONEY):
        return
    con.execute(
        f"INSERT INTO {quote(errors)} SELECT __row, {_position('unit_price')}, 'unit_price', "
        f"'no unit price and no line amount: a line needs one', NULL FROM {quote(typed.name)} "
        f"WHERE NOT {typed.present('unit_price')} AND NOT {typed.present('line_amount')}")


def _mixed_customers(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str) -> None:
    """Lines whose order id was already given to another customer on an earlier line."""
    if "customer_id" not in typed.aliases:
        return
    order, customer = typed.value("order_id"), typed.value("customer_id")
    why = sql_string("order ") + f" || v.{order} || " + sql_string(
        " has lines of several customers: line {line} is of ") + " || f.first_customer || " \
        + sql_string("; an order belongs to one customer (fix the customer or the order id)")
    con.execute(
        f"INSERT INTO {quote(errors)} SELECT v.__row, {_position('customer_id')}, "
        f"'customer_id', {why}, f.first_row FROM {quote(typed.name)} v JOIN (SELECT {order} "
        f"AS o, arg_min({customer}, __row) AS first_customer, min(__row) AS first_row FROM "
        f"{quote(typed.name)} WHERE {customer} IS NOT NULL AND {order} IS NOT NULL GROUP BY "
        f"{order} HAVING min({customer}) <> max({customer})) f ON v.{order} = f.o "
        f"WHERE v.{customer} IS NOT NULL AND v.{customer} <> f.first_customer")


def _value(typed: Typed, column: str, sql_type: str) -> str:
    return f"v.{typed.value(column)}" if column in typed.aliases else f"NULL::{sql_type}"


def _prefixes(load: LineLoad, lines: str, counts: LineCounts) -> dict[str, str]:
    """The cancellation and adjustment prefixes: given, or detected (``C``/``A`` followed by
    digits, in a file whose order numbers are mostly digits), or none. ``lines`` is a query
    of the good lines."""
    numeric, *found = load.con.execute(
        "SELECT count(*) FILTER (WHERE regexp_full_match(order_id, '[0-9]+')), "
        + ", ".join(f"count(*) FILTER (WHERE regexp_full_match(order_id, '{p}[0-9]+'))"
                    for p in AUTO_PREFIXES.values())
        + f", count(*) FROM (SELECT DISTINCT order_id FROM {lines})").fetchone()
    *shown, total = found
    chosen: dict[str, str] = {}
    for (kind, letter), seen, given in zip(
            AUTO_PREFIXES.items(), shown,
            (load.cancel_prefix, load.adjustment_prefix), strict=True):
        if given is not None:
            prefix, how = given.strip(), "given" if given.strip() else ""
        elif seen and numeric * 2 > total:
            prefix, how = letter, "detected"
        else:
            prefix, how = "", ""
        chosen[kind] = prefix
        setattr(counts, f"{kind}_prefix", prefix)
        setattr(counts, f"{kind}_prefix_how", how)
    return chosen


def _starts(column: str, prefix: str) -> str:
    return f"starts_with({column}, {literal(prefix)})" if prefix else "false"


def _build(load: LineLoad, typed: Typed, report: IngestReport, keeps_file: bool) -> None:
    """The temporary tables ``lines`` (every good line and its class) and ``orders`` (one row
    per order of kept lines, with its status and amount); the report's counts. The staged file
    (unless ``keeps_file``), the typed lines and the checks' tables are dropped when nothing
    reads them any more."""
    con, staged = load.con, load.staged
    lines, orders = load.name("lines"), load.name("orders")
    raw = ", ".join(f"s.{quote(c)}" for c in staged.columns)
    columns = {c: _value(typed, c, LINE_FILE.column(c).sql_type) for c in LINE_FILE.column_names}
    money = ("round(coalesce(CASE WHEN l.quantity < 0 THEN -abs(l.line_amount) ELSE "
             f"l.line_amount END, l.quantity * l.unit_price), {DIGITS})")
    # Exact duplicates: rows equal in every column to an earlier row. Only rows whose hash
    # (computed with the typed values, in the same pass) repeats are compared column by column
    # (a window over every row would cost much more).
    con.execute(
        f"CREATE TEMP TABLE {quote(load.name('dups'))} AS SELECT r FROM (SELECT s.rowid AS r, "
        f"row_number() OVER (PARTITION BY {raw} "
        f"ORDER BY s.rowid) AS n FROM {quote(staged.table)} s SEMI JOIN (SELECT __row FROM "
        f"{quote(typed.name)} WHERE __h IN (SELECT __h FROM {quote(typed.name)} GROUP BY __h "
        f"HAVING count(*) > 1)) c ON s.rowid = c.__row) WHERE n > 1")
    if not keeps_file:
        _drop(con, staged.table)
    good = ("SELECT v.__row AS row, d.r IS NOT NULL AS duplicate, "
            + ", ".join(f"{expr} AS {quote(c)}" for c, expr in columns.items())
            + f" FROM {quote(typed.name)} v LEFT JOIN {quote(load.name('dups'))} d ON d.r = "
            f"v.__row WHERE NOT EXISTS (SELECT 1 FROM {quote(load.name('errors'))} e WHERE "
            f"e.err_row = v.__row)")
    counts = LineCounts()
    prefix = _prefixes(load, f"({good})", counts)
    kind = (f"CASE WHEN duplicate THEN 'duplicate' "
            f"WHEN {_starts('order_id', prefix['adjustment'])} THEN 'adjustment' "
            f"WHEN unit_price < 0 THEN 'negative_price' "
            f"WHEN value = 0 AND quantity < 0 THEN 'stock_correction' ELSE 'kept' END")
    con.execute(f"CREATE TEMP TABLE {quote(lines)} AS SELECT *, {kind} AS kind FROM (SELECT "
                f"l.*, {money} AS value FROM ({good}) l)")
    _drop(con, typed.name, load.name("dups"), load.name("errors"))
    status = ("CASE WHEN prefixed THEN 'returned' WHEN given_status = 'cancelled' THEN "
              "'cancelled' WHEN given_status = 'returned' OR all_back OR net < 0 THEN "
              "'returned' ELSE 'completed' END")
    why = ("CASE WHEN prefixed THEN 'prefix' WHEN given_status = 'returned' THEN 'status' "
           "WHEN status = 'returned' THEN 'negative' END")
    con.execute(
        f"CREATE TEMP TABLE {quote(orders)} AS SELECT *, CASE WHEN status = 'returned' THEN "
        f"-abs(net) ELSE net END AS amount, {why} AS why FROM (SELECT *, {status} AS status FROM "
        f"(SELECT order_id, arg_min(customer_id, row) FILTER (WHERE customer_id IS NOT NULL) AS "
        f"customer_id, min(ordered_at) AS ordered_at, round(sum(value), {DIGITS}) AS net, "
        f"sum(quantity) AS "
        f"quantity, bool_and(value < 0 OR quantity < 0) AS all_back, arg_min(status, row) "
        f"FILTER (WHERE status IS NOT NULL) AS given_status, arg_min(channel, row) FILTER "
        f"(WHERE channel IS NOT NULL) AS channel, {_starts('order_id', prefix['cancel'])} AS "
        f"prefixed, min(row) AS first_row, count(*) AS n_lines, count(*) FILTER (WHERE value = 0) "
        f"AS zero_lines, count(*) FILTER (WHERE value < 0) AS back_lines FROM {quote(lines)} "
        f"WHERE kind = 'kept' GROUP BY order_id))")
    _count(load, lines, orders, counts)
    report.lines = counts


def _count(load: LineLoad, lines: str, orders: str, counts: LineCounts) -> None:
    con = load.con
    kinds = dict(con.execute(f"SELECT kind, count(*) FROM {quote(lines)} GROUP BY kind"
                             ).fetchall())
    counts.lines = sum(kinds.values())
    counts.lines_stored = int(kinds.get("kept", 0))
    counts.duplicate_lines = int(kinds.get("duplicate", 0))
    counts.adjustment_lines = int(kinds.get("adjustment", 0))
    counts.negative_price_lines = int(kinds.get("negative_price", 0))
    counts.stock_corrections = int(kinds.get("stock_correction", 0))
    # From the orders' own line counts (every kept line is in one order): no join of lines.
    row = con.execute(
        f"SELECT coalesce(sum(n_lines) FILTER (WHERE customer_id IS NULL), 0), "
        f"coalesce(sum(zero_lines), 0), coalesce(sum(back_lines) FILTER (WHERE status = "
        f"'completed'), 0) FROM {quote(orders)}").fetchone()
    counts.guest_lines, counts.zero_value_lines, counts.return_lines_in_purchases = (
        int(x) for x in row)
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM products p WHERE "
        f"p.product_id = l.product_id)) FROM (SELECT DISTINCT product_id FROM {quote(lines)} "
        f"WHERE kind = 'kept' AND product_id IS NOT NULL) l").fetchone()
    counts.products, counts.new_products = (int(x) for x in row)
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE customer_id IS NOT NULL), count(*) FILTER (WHERE "
        f"customer_id IS NOT NULL AND status = 'completed'), count(*) FILTER (WHERE customer_id "
        f"IS NOT NULL AND status = 'returned'), count(*) FILTER (WHERE customer_id IS NOT NULL "
        f"AND status = 'cancelled'), count(*) FILTER (WHERE customer_id IS NULL), "
        f"count(DISTINCT customer_id), "
        f"coalesce(sum(amount) FILTER (WHERE customer_id IS NOT NULL AND status = 'completed'),"
        f" 0), coalesce(sum(amount) FILTER (WHERE customer_id IS NOT NULL AND status = "
        f"'returned'), 0), coalesce(sum(amount) FILTER (WHERE customer_id IS NULL AND status <>"
        f" 'cancelled'), 0) FROM {quote(orders)}").fetchone()
    (counts.orders, counts.purchases, counts.returns, counts.cancelled, counts.guest_orders,
     counts.customers) = (int(x) for x in row[:6])
    counts.gross_sales, counts.returns_value, counts.guest_sales = (
        round(float(x), 2) for x in row[6:])
    counts.net_sales = round(counts.gross_sales + counts.returns_value, 2)
    counts.new_customers = int(con.execute(
        f"SELECT count(DISTINCT customer_id) FROM {quote(orders)} o WHERE NOT EXISTS (SELECT 1 "
        f"FROM customers c WHERE c.customer_id = o.customer_id)").fetchone()[0])
    counts.returns_by = {why: int(n) for why, n in con.execute(
        f"SELECT why, count(*) FROM {quote(orders)} WHERE customer_id IS NOT NULL AND "
        f"status = 'returned' GROUP BY why ORDER BY why").fetchall()}


def _drop(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {quote(table)}")


def temp_tables(load: LineLoad) -> list[str]:
    """Every temporary table of the load (to drop at its end)."""
    return [load.name(p) for p in ("orders", "lines", "dups", "bad", "errors", "typed")]

