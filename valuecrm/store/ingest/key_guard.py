"""No silent wrong load: a file whose rows mostly repeat the table's key is not that table.

A table holds one row per key (one order per ``order_id``). When most rows of a file repeat
the key of an earlier row, the file has another shape (one row per product line, a long
layout, a wrongly mapped key column) and keeping one row per key would keep an arbitrary one
and drop the rest. :func:`check_keys` stops such a load, in every mode, before anything is
written, and says what the file looks like; a file for ``orders`` with a product column stops
at its first repeated order id (it is a file of order lines). A dry run reports the same as a
warning. Other repeats (at most :data:`MOST` of the rows) are the usual bad rows: the first
row of a key stands, the later ones are rejected, and in skip mode the report warns loudly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from valuecrm.errors import SchemaError
from valuecrm.store.ingest.line_file import LINE_HEADERS
from valuecrm.store.ingest.mapping import normalise
from valuecrm.store.ingest.readers import quote
from valuecrm.store.ingest.report import IngestReport, plural
from valuecrm.store.ingest.wording import Wording

if TYPE_CHECKING:
    import duckdb

    from valuecrm.store.ingest.validate import Typed

MOST = 0.5  # share of rows repeating an earlier row's key above which a load stops
# Source columns that give a line-level file away, and the line column each one is.
LINE_HINTS = {"stockcode": "product_id", "sku": "product_id", "product_id": "product_id",
              "productid": "product_id", "product_code": "product_id", "quantity": "quantity",
              "qty": "quantity", "unitprice": "unit_price", "unit_price": "unit_price",
              "price": "unit_price", "sales_value": "line_amount", "line_total": "line_amount"}


def _line_mapping(found: list[str], wording: Wording) -> str:
    """How to map this file's product, quantity and price columns, from the names it has."""
    chosen: dict[str, str] = {}
    for source in found:
        target = LINE_HINTS.get(normalise(source))
        if target and target not in chosen and not (
                target == "unit_price" and "line_amount" in chosen):
            chosen[target] = source
    defaults = {"product_id": "PRODUCT", "quantity": "QUANTITY", "unit_price": "PRICE"}
    for target, source in defaults.items():
        if target not in chosen and not (target == "unit_price" and "line_amount" in chosen):
            chosen[target] = source
    return " ".join(wording.map_column(source, target) for target, source in chosen.items())


def _has_products(found: list[str]) -> bool:
    """Whether a source column is named like a product code (StockCode, SKU, 商品编号)."""
    names = {normalise(n) for n in (*LINE_HEADERS["product_id"], "product_id")}
    return any(normalise(c) in names for c in found)


def check_keys(con: duckdb.DuckDBPyConnection, typed: Typed, report: IngestReport, *,
               found: list[str], label: str, mode: str, dry_run: bool,
               wording: Wording) -> None:
    """Stop (SchemaError) when most rows repeat the key of an earlier row; warn in skip mode
    when some do."""
    table = typed.table
    if not table.key or any(k not in typed.aliases for k in table.key):
        return
    keys = [typed.value(k) for k in table.key]
    filled = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    rows, distinct = con.execute(
        f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {', '.join(keys)} FROM "
        f"{quote(typed.name)} WHERE {filled})) FROM {quote(typed.name)} WHERE {filled}"
    ).fetchone()
    repeats = int(rows) - int(distinct)
    if not repeats:
        return
    key = ", ".join(table.key)
    source = ", ".join(repr(typed.sources[k]) for k in table.key)
    share = repeats / rows
    lines = table.name == "orders" and _has_products(found)
    if share <= MOST and not lines:
        if mode == "skip":
            report.warnings.append(
                f"{plural(repeats, 'row')} of {rows:,} repeat the {key} of an earlier row: the "
                f"first row of each {key} was kept and the later ones rejected.")
        return
    said = (f"{label}: {repeats:,} of {rows:,} rows ({share:.0%}) repeat the {key} of an "
            f"earlier row (read from {source})")
    if table.name == "orders":
        message = (f"{said}: this looks like one row per product line: map the product and "
                   "quantity columns, and valuecrm groups the lines into orders.")
        hint = (f"Map them instead of a column to amount (an order's amount is the sum of "
                f"its lines), e.g. {_line_mapping(found, wording)} (or the line's value to "
                "line_amount); see docs/line-items.md.")
    else:
        message = (f"{said}, so it does not hold one row per {key}: keeping one row per key "
                   "would drop the others.")
        hint = (f"Check which column is the {key} (map it with "
                f"{wording.map_column('SOURCE', table.key[0])}), or load the file into the "
                "table it belongs to.")
    if dry_run:
        report.warnings.insert(0, f"{message} A load would stop here. {hint}")
        return
    raise SchemaError(f"{message} Nothing was written.", hint=hint)
