"""Checks that the stored tables still hold one row per key.

``orders`` and ``order_lines`` have no primary-key index since schema version 4 (an index
costs more than half of a large load's writes): every load keeps their keys unique itself,
but rows written outside valuecrm (an SQL ``INSERT``) are not stopped. An order stored twice
would be counted twice by every figure, so :func:`check_unique_keys` refuses to go on (the
analysis runs it first). It is one ``GROUP BY ... HAVING count(*) > 1 LIMIT 5`` per table:
2 to 4 s over 9.9M orders on a loaded two-core machine (load average 11).
"""

from __future__ import annotations

from typing import Any

from valuecrm.errors import DataError
from valuecrm.store.schema import TABLES

UNINDEXED = tuple(name for name, table in TABLES.items() if not table.key_index)
SHOWN = 5  # repeated keys named in the message


def repeated_keys(raw: Any, table: str, limit: int = SHOWN) -> list[tuple[Any, ...]]:
    """Up to ``limit`` keys of ``table`` stored on more than one row (DuckDB connection)."""
    key = ", ".join(f'"{k}"' for k in TABLES[table].key)
    return [tuple(row) for row in raw.execute(
        f'SELECT {key} FROM "{table}" GROUP BY {key} HAVING count(*) > 1 '
        f"ORDER BY {key} LIMIT {int(limit)}").fetchall()]


def check_unique_keys(database: Any) -> None:
    """Raise DataError when a table without a key index (``orders``, ``order_lines``) stores a
    key on several rows, naming some of them and how to repair the table. Tables of another
    engine (``connect_ibis``) are the user's own and are not checked."""
    from valuecrm.store.database import Database

    if not isinstance(database, Database):
        return
    for table in UNINDEXED:
        found = repeated_keys(database.raw, table)
        if not found:
            continue
        key = TABLES[table].key
        names = ", ".join("/".join(str(v) for v in row) for row in found)
        more = " and perhaps more" if len(found) == SHOWN else ""
        first = " AND ".join(f"{k} = t.{k}" for k in key)
        raise DataError(
            f"The {table} table stores the same {', '.join(key)} on more than one row "
            f"({names}{more}), so those rows would be counted more than once. Loads keep "
            f"{', '.join(key)} unique: these rows were written some other way (e.g. an SQL "
            "INSERT).",
            hint=f"Keep one row per {', '.join(key)} and run the analysis again, e.g. in "
                 f"DuckDB: DELETE FROM {table} t WHERE rowid > (SELECT min(rowid) FROM {table} "
                 f"WHERE {first}); or load the data again into a new database.",
            table=table, repeated=[list(row) for row in found])
