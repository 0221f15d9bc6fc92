"""Schema migrations: one function per version step, applied in order inside a transaction.

To change the schema: bump ``SCHEMA_VERSION`` in :mod:`valuecrm.store.schema`, and add here the
function that takes a database of the previous version to the new one (``MIGRATIONS[n]`` takes
version ``n`` to ``n + 1``). Columns added to a declaration are created by ``ALTER TABLE``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from valuecrm.errors import SchemaVersionError

if TYPE_CHECKING:
    import duckdb

Migration = Callable[["duckdb.DuckDBPyConnection"], None]

MIGRATIONS: dict[int, Migration] = {}


def migrate(raw: duckdb.DuckDBPyConnection, from_version: int, to_version: int) -> None:
    """Apply every migration from ``from_version`` up to ``to_version``."""
    for version in range(from_version, to_version):
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaVersionError(
                f"No migration from schema version {version} to {version + 1}.",
                hint="Export your data with an older valuecrm and load it into a new database.",
            )
        step(raw)
