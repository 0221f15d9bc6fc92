"""Writing a line-level load (:mod:`.line_items`): orders, guest orders, lines and products in
one transaction, or, for a dry run, what that would do.

Orders are upserted by ``order_id`` into ``orders`` (with a customer) or ``guest_orders``
(without; an id moving from one to the other leaves the first), the lines of every order in the
file replace its stored lines (numbered 1, 2, ... in file order), and products are inserted or
given their last price; missing customers are created with ``create_customers``. An error,
Ctrl-C or a killed process leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import duckdb

from valuecrm.store.ingest.line_file import LineLoad
from valuecrm.store.ingest.load import LOADS_DDL, log_load
from valuecrm.store.ingest.readers import quote
from valuecrm.store.ingest.report import IngestReport
from valuecrm.store.ingest.validate import Typed
from valuecrm.store.schema import TABLES

ORDER_COLUMNS = ("order_id", "customer_id", "ordered_at", "amount", "quantity", "channel",
                 "status")


def _upsert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], orders: str,
            where: str) -> int:
    """Insert or update ``table`` from the load's ``orders`` (one row per ``order_id``) that
    match ``where``, new ones in file order; the number of new rows.

    A table with a key index (``guest_orders``) takes ``INSERT ... ON CONFLICT``; ``orders``
    has none (its index cost more than a third of a large load, bench/RESULTS.md): the stored
    rows of the file's ids are updated, then the new ids inserted."""
    before = int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])
    names = ", ".join(map(quote, columns))
    others = [c for c in columns if c != "order_id"]
    if TABLES[table].key_index:
        con.execute(f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {orders} n WHERE "
                    f"{where} ORDER BY first_row ON CONFLICT (order_id) DO UPDATE SET "
                    + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in others))
    else:
        con.execute(f"UPDATE {quote(table)} AS t SET "
                    + ", ".join(f"{quote(c)} = n.{quote(c)}" for c in others)
                    + f" FROM {orders} AS n WHERE t.order_id = n.order_id AND {where}")
        con.execute(f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {orders} n "
                    f"WHERE {where} AND NOT EXISTS (SELECT 1 FROM {quote(table)} t WHERE "
                    f"t.order_id = n.order_id) ORDER BY first_row")
    return int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]) - before


def write_lines(load: LineLoad, typed: Typed, report: IngestReport,
                before_commit: Callable[[], None] | None = None) -> None:
    """Store the orders, guest orders, lines and products, and the record of the load, in one
    transaction."""
    con = load.con
    lines, orders = quote(load.name("lines")), quote(load.name("orders"))
    columns = [c for c in ORDER_COLUMNS if c != "channel" or "channel" in typed.aliases]
    con.execute("BEGIN TRANSACTION")
    try:
        if load.create_customers:
            before = int(con.execute("SELECT count(*) FROM customers").fetchone()[0])
            con.execute(f"INSERT INTO customers (customer_id) SELECT DISTINCT customer_id FROM "
                        f"{orders} o WHERE customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
                        f"FROM customers c WHERE c.customer_id = o.customer_id)")
            report.customers_created = int(
                con.execute("SELECT count(*) FROM customers").fetchone()[0]) - before
        con.execute(
            f"INSERT INTO products (product_id, name, unit_price) SELECT product_id, "
            f"last(product_name ORDER BY ordered_at, row) FILTER (WHERE product_name IS NOT "
            f"NULL), last(price ORDER BY ordered_at, row) FILTER (WHERE price > 0) FROM (SELECT"
            f" *, coalesce(unit_price, abs(line_amount) / nullif(abs(quantity), 0)) AS price "
            f"FROM {lines} WHERE kind = 'kept') GROUP BY product_id ON CONFLICT (product_id) DO "
            f"UPDATE SET name = coalesce(products.name, EXCLUDED.name), unit_price = "
            f"coalesce(EXCLUDED.unit_price, products.unit_price)")
        for table, customers, other in (("orders", "IS NOT NULL", "guest_orders"),
                                        ("guest_orders", "IS NULL", "orders")):
            wanted = [c for c in columns if c != "customer_id" or table == "orders"]
            con.execute(f"DELETE FROM {other} WHERE order_id IN (SELECT order_id FROM {orders} "
                        f"WHERE customer_id {customers})")
            new = _upsert(con, table, wanted, orders, f"n.customer_id {customers}")
            if table == "orders":
                report.rows_inserted = new
                report.rows_updated = report.lines.orders - new  # type: ignore[union-attr]
        con.execute(f"DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM {orders})")
        con.execute(
            f"INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price, "
            f"amount) SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY row), "
            f"product_id, quantity, unit_price, value FROM {lines} WHERE kind = 'kept'")
        con.execute(LOADS_DDL)
        log_load(con, "orders (lines)", report)
        if before_commit is not None:
            before_commit()
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


SAMPLE_ORDERS = 5


def preview_lines(load: LineLoad, report: IngestReport) -> None:
    """What :func:`write_lines` would do: new and updated orders, and the first orders as they
    would be stored (with their number of lines)."""
    orders = quote(load.name("orders"))
    counts = report.lines
    existing = load.con.execute(
        f"SELECT count(*) FROM {orders} o WHERE customer_id IS NOT NULL AND EXISTS (SELECT 1 "
        f"FROM orders t WHERE t.order_id = o.order_id)").fetchone()[0]
    report.rows_updated = int(existing)
    report.rows_inserted = (counts.orders if counts else 0) - report.rows_updated
    rows = load.con.execute(
        f"SELECT order_id, customer_id, ordered_at, amount, status, n_lines FROM {orders} "
        f"ORDER BY first_row LIMIT {SAMPLE_ORDERS}").fetchall()
    names = ("order_id", "customer_id", "ordered_at", "amount", "status", "lines")
    report.sample = [{n: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v)
                      for n, v in zip(names, row, strict=True)} for row in rows]
