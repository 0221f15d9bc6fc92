"""The customer database: schema, connection, migrations and ingestion."""

from valuecrm.store.database import Database, connect, default_path
from valuecrm.store.schema import SCHEMA_VERSION, TABLES, Column, Table, get_table

__all__ = ["SCHEMA_VERSION", "TABLES", "Column", "Database", "Table", "connect", "default_path",
           "get_table"]
