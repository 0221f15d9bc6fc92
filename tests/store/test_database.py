"""Opening the customer database: schema creation, versions, errors."""

from __future__ import annotations

import duckdb
import pytest

from valuecrm.errors import DatabaseError, DatabaseLockedError, SchemaVersionError
from valuecrm.store import SCHEMA_VERSION, TABLES, connect


def test_new_database_has_every_table_and_its_version(db):
    assert set(db.counts()) == set(TABLES)
    assert all(n == 0 for n in db.counts().values())
    assert db.schema_version == SCHEMA_VERSION
    assert db.table("orders").schema()["amount"].is_floating()


def test_in_memory_database_works():
    with connect(":memory:") as memory:
        assert memory.path is None
        assert memory.counts()["customers"] == 0


def test_default_path_comes_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("VALUECRM_DB", str(target))
    with connect() as database:
        assert database.path == str(target)
    assert target.exists()


def test_reopening_keeps_data(db_path):
    with connect(db_path) as first:
        first.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    with connect(db_path) as second:
        assert second.counts()["customers"] == 1


def test_newer_schema_version_is_refused(db_path):
    with connect(db_path):
        pass
    raw = duckdb.connect(str(db_path))
    raw.execute("UPDATE _valuecrm_meta SET value = '999' WHERE key = 'schema_version'")
    raw.close()
    with pytest.raises(SchemaVersionError, match="newer than this valuecrm"):
        connect(db_path)


def test_missing_folder_is_explained(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        connect(tmp_path / "no" / "such" / "crm.duckdb")


def test_read_only_on_missing_file_is_explained(tmp_path):
    with pytest.raises(DatabaseError, match="no database"):
        connect(tmp_path / "absent.duckdb", read_only=True)


def test_second_writer_gets_a_lock_message(db_path):
    import subprocess
    import sys

    with connect(db_path):
        code = (
            "import sys\n"
            "from valuecrm.store import connect\n"
            "from valuecrm.errors import DatabaseLockedError\n"
            f"try:\n    connect({str(db_path)!r})\n"
            "except DatabaseLockedError as e:\n    print('LOCKED', e.status); sys.exit(0)\n"
            "sys.exit(1)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "LOCKED 409" in out.stdout
    assert DatabaseLockedError.status == 409
