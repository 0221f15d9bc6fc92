"""Line-level sales files: one row per product per order, grouped into orders as they load.

Point-of-sale and e-commerce systems export invoice lines (invoice number, product code,
description, quantity, unit price, customer, date). When the columns of a file for ``orders``
include a product, a quantity and a unit price or a line amount, :func:`.line_file.line_matches`
says so and :func:`check_lines` checks and classifies its lines and groups them into orders
(:mod:`.line_orders`), which :mod:`.line_writer` stores in one transaction: the orders (one per
order id), their ``order_lines`` and the ``products``. The rules, in the order they apply to
each good line (``docs/line-items.md`` repeats them):

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from valuecrm.store.ingest.line_file import LINE_FILE, MONEY, LineLoad, _col
from valuecrm.store.ingest.line_orders import _build
from valuecrm.store.ingest.mapping import ColumnMatch, match_values
from valuecrm.store.ingest.parse import sql_string
from valuecrm.store.ingest.readers import quote
from valuecrm.store.ingest.report import ColumnUse, IngestReport
from valuecrm.store.ingest.validate import (
    Typed,
    count_values,
    create_typed,
    find_problems,
    locate_problems,
)
from valuecrm.store.schema import Table


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


def temp_tables(load: LineLoad) -> list[str]:
    """Every temporary table of the load (to drop at its end)."""
    return [load.name(p) for p in ("orders", "lines", "dups", "bad", "errors", "typed")]

