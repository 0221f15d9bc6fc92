"""Grouping the checked lines of a line-level load into orders (rules 1 to 5 and the order
rules of :mod:`.line_items`): the cancellation and adjustment prefixes, the load's tables of
lines and orders, and the report's :class:`~.line_report.LineCounts`."""

from __future__ import annotations

import duckdb

from valuecrm.store.ingest.line_file import AUTO_PREFIXES, DIGITS, LINE_FILE, LineLoad
from valuecrm.store.ingest.line_report import LineCounts
from valuecrm.store.ingest.readers import literal, quote
from valuecrm.store.ingest.report import IngestReport
from valuecrm.store.ingest.validate import Typed


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
