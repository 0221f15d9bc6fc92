"""The canonical customer database schema (CONCEPTS.md section 1), declared once.

Everything else is derived from these declarations: the DuckDB DDL, the ingestion checks and
``docs/schema.md`` (a test fails when the document and the code disagree).

Conventions: identifiers are text; money is a DOUBLE in the company's currency; timestamps are
stored without a time zone, in UTC (inputs with an offset are converted); ratings are numbers on
the scale named in the column's unit.
"""

from __future__ import annotations

from valuecrm.store.tables.commerce import ATTRIBUTE_TYPES, COMMERCE_TABLES
from valuecrm.store.tables.declaration import SQL_TYPES, Column, Table
from valuecrm.store.tables.marketing import MARKETING_TABLES
from valuecrm.store.tables.voice import LIKERT7, STAGES, VOICE_TABLES

__all__ = ["ATTRIBUTE_TYPES", "LIKERT7", "SCHEMA_VERSION", "SQL_TYPES", "STAGES", "TABLES",
           "Column", "Table", "get_table"]

SCHEMA_VERSION = 4  # steps in valuecrm.store.migrations

# the tables by topic (valuecrm.store.tables), in this order
TABLES: dict[str, Table] = {
    t.name: t for t in (*COMMERCE_TABLES, *VOICE_TABLES, *MARKETING_TABLES)
}


def get_table(name: str) -> Table:
    """The declaration of table ``name``, or a :class:`SchemaError` listing the tables."""
    from valuecrm.errors import SchemaError

    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(
            f"There is no table {name!r}.",
            hint="Tables: " + ", ".join(TABLES) + ".",
        ) from None
