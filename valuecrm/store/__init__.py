"""The customer database: schema, connection, migrations, ingestion and snapshot storage.

- :mod:`~valuecrm.store.database`, :mod:`~valuecrm.store.schema`,
  :mod:`~valuecrm.store.migrations`: the connection, the declared tables, and the one upgrade
  path (version steps, then every declared table and column) run when a database is opened;
  the tables are declared by topic in :mod:`~valuecrm.store.tables` (commerce, voice,
  marketing) and assembled in ``schema.TABLES``.
- :mod:`~valuecrm.store.ingest`: loading files into the tables.
- :mod:`~valuecrm.store.integrity`: the check that unindexed tables still hold one row per key.
- :mod:`~valuecrm.store.snapshots`: the stored analyses (``snapshots`` and ``customer_value``
  tables), read by lists, views and reports.
- :mod:`~valuecrm.store.users`: the accounts of the server.

May import: ``errors`` (and the ground floor); never a package above (the import-graph test
checks it).
"""

from valuecrm.store.database import Database, connect, default_path
from valuecrm.store.schema import SCHEMA_VERSION, TABLES, Column, Table, get_table

__all__ = ["SCHEMA_VERSION", "TABLES", "Column", "Database", "Table", "connect", "default_path",
           "get_table"]
