"""Extra customer columns kept as typed attributes (the ``customer_attributes`` table).

A customers file often carries more than the fixed columns (age band, household size, number of
children). Those columns are not dropped: each becomes an attribute named like the column
(:func:`attribute_name`), its type inferred from all its values (:func:`infer_types`), written in
the same transaction as the customers (:func:`write_attributes`).
"""

from __future__ import annotations

import re

import duckdb

from valuecrm.store.ingest.parse import FALSE, TRUE, sql_string, trimmed
from valuecrm.store.ingest.readers import quote
from valuecrm.store.ingest.validate import Typed

ATTRIBUTES_TABLE = "customer_attributes"


def attribute_name(column: str) -> str:
    """``"Home Ownership"`` -> ``"home_ownership"`` (letters of every script are kept)."""
    return re.sub(r"[\W_]+", "_", column.strip().lower()).strip("_") or "attribute"


def infer_types(con: duckdb.DuckDBPyConnection, table: str,
                columns: list[str]) -> dict[str, str]:
    """Source column -> ``integer``, ``number``, ``boolean``, ``date`` or ``string``: the
    narrowest type that every non-empty value of the column parses as."""
    if not columns:
        return {}
    words = ", ".join(map(sql_string, (*TRUE, *FALSE)))
    parts = []
    for column in columns:
        t = trimmed(quote(column))
        parts += [
            f"count({t})",
            rf"count(*) FILTER (WHERE regexp_full_match({t}, '[+-]?\d+'))",
            f"count(*) FILTER (WHERE isfinite(try_cast({t} AS DOUBLE)))",
            f"count(*) FILTER (WHERE lower({t}) IN ({words}))",
            rf"count(*) FILTER (WHERE regexp_full_match({t}, '\d{{4}}-\d{{2}}-\d{{2}}') "
            f"AND try_cast({t} AS DATE) IS NOT NULL)",
        ]
    counts = con.execute(f"SELECT {', '.join(parts)} FROM {quote(table)}").fetchone()
    types = {}
    for i, column in enumerate(columns):
        present, integer, number, boolean, date = counts[5 * i: 5 * i + 5]
        kind = "string"
        if present:
            for name, n in (("integer", integer), ("number", number), ("boolean", boolean),
                            ("date", date)):
                if n == present:
                    kind = name
                    break
        types[column] = kind
    return types


def write_attributes(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str, staged: str,
                     types: dict[str, str]) -> int:
    """Replace the attributes named after ``types``' columns of the good rows' customers by
    their non-empty values; return the number of values written. Runs inside the caller's
    transaction."""
    if not types:
        return 0
    customer = f"v.{typed.value('customer_id')}"
    good = (f"{quote(typed.name)} v JOIN {quote(staged)} s ON s.rowid = v.__row WHERE NOT "
            f"EXISTS (SELECT 1 FROM {quote(errors)} e WHERE e.err_row = v.__row)")
    names = ", ".join(sql_string(attribute_name(c)) for c in types)
    con.execute(f"DELETE FROM {ATTRIBUTES_TABLE} WHERE name IN ({names}) AND customer_id IN "
                f"(SELECT {customer} FROM {good})")
    selects = [f"SELECT {customer} AS customer_id, {sql_string(attribute_name(c))} AS name, "
               f"{trimmed('s.' + quote(c))} AS value, {sql_string(kind)} AS type FROM {good}"
               for c, kind in types.items()]
    before = con.execute(f"SELECT count(*) FROM {ATTRIBUTES_TABLE}").fetchone()[0]
    con.execute(f"INSERT OR REPLACE INTO {ATTRIBUTES_TABLE} SELECT * FROM "
                f"({' UNION ALL '.join(selects)}) WHERE value IS NOT NULL")
    return int(con.execute(f"SELECT count(*) FROM {ATTRIBUTES_TABLE}").fetchone()[0] - before)
