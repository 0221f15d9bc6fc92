"""Checks that the stored tables still hold one row per key.

``orders`` and ``order_lines`` have no primary-key index since schema version 4 (an index
costs more than half of a large load's writes): every load keeps their keys unique itself,
but rows written outside valuecrm (an SQL ``INSERT``) are not stopped. An order stored twice
would be counted twice by every figure, so :func:`check_unique_keys` refuses to go on (the
analysis runs it first). It is one ``GROUP BY ... HAVING count(*) > 1 LIMIT 5`` per table:
2 to 4 s over 9.9M orders on a loaded two-core machine (load average 11). A table found
clean is stamped with its row count (in the metadata table), and is grouped again only when
its count has changed since, so repeated analyses of the same data pay one ``count(*)``. An
``orders`` that is a view (data read in place from files) is the user's own, like a table of
another engine, and is not checked.
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


def _base_tables(raw: Any) -> set[str]:
    return {row[0] for row in raw.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = current_schema()").fetchall()}


def _stamp_key(table: str) -> str:
    return f"unique_keys_rows:{table}"


def _stamped_rows(raw: Any, table: str) -> int | None:
    from valuecrm.store.database import META_TABLE

    found = raw.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?",
                        [_stamp_key(table)]).fetchone()
    return int(found[0]) if found else None


def _stamp(raw: Any, table: str, rows: int) -> None:
    from valuecrm.store.database import META_TABLE

    raw.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)",
                [_stamp_key(table), str(rows)])


def check_unique_keys(database: Any) -> None:
    """Raise DataError when a table without a key index (``orders``, ``order_lines``) stores a
    key on several rows, naming some of them and how to repair the table. Tables of another
    engine (``connect_ibis``) are the user's own and are not checked."""
    from valuecrm.store.database import Database

    if not isinstance(database, Database):
        return
    raw = database.raw
    stored = _base_tables(raw)
    for table in UNINDEXED:
        if table not in stored:
            continue
        rows = int(raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        if _stamped_rows(raw, table) == rows:
            continue  # found clean at this row count: unchanged since, as far as a count sees
        found = repeated_keys(raw, table)
        if not found:
            if not database.read_only:
                _stamp(raw, table, rows)
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
