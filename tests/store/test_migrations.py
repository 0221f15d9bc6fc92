"""The one upgrade path (valuecrm.store.migrations): a database written by an older valuecrm
gets the current tables and columns when it is opened, and keeps its rows."""

from __future__ import annotations

import duckdb
import pytest

from valuecrm.store import SCHEMA_VERSION, connect
from valuecrm.store.migrations import declared_tables
from valuecrm.store.snapshots import SNAPSHOTS_TABLE, VALUE_COLUMNS, VALUE_TABLE
from valuecrm.store.users import AUDIT_TABLE, USERS_TABLE


def _constraints(raw, table: str) -> list[str]:
    return [r[0] for r in raw.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?",
        [table]).fetchall()]


def _columns(raw, table: str) -> list[str]:
    return [r[0] for r in raw.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table]).fetchall()]


def _version_one_database(path: str) -> None:
    """A database as valuecrm wrote it at schema version 1: a keyed value table without the
    newest columns, a customers table without one column, no account tables."""
    raw = duckdb.connect(path)
    raw.execute("CREATE TABLE _valuecrm_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    raw.execute("INSERT INTO _valuecrm_meta VALUES ('schema_version', '1')")
    raw.execute('CREATE TABLE customers ("customer_id" VARCHAR NOT NULL, "name" VARCHAR, '
                'PRIMARY KEY ("customer_id"))')
    raw.execute("INSERT INTO customers VALUES ('a', 'Ann')")
    old = {c: t for c, t in VALUE_COLUMNS.items()
           if c not in ("trend_statistic", "silence_probability")}
    columns = ", ".join(f'"{c}" {t}' for c, t in old.items())
    raw.execute(f'CREATE TABLE {VALUE_TABLE} ({columns}, '
                'PRIMARY KEY ("snapshot_id", "customer_id"))')
    raw.execute(f"INSERT INTO {VALUE_TABLE} (snapshot_id, as_of, customer_id, margin) "
                "VALUES (1, DATE '2024-01-31', 'a', 5.0), (1, DATE '2024-01-31', 'b', 7.0)")
    raw.close()


def test_a_version_one_database_is_upgraded_on_opening(tmp_path):
    path = str(tmp_path / "old.duckdb")
    _version_one_database(path)
    with connect(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert "PRIMARY KEY" not in _constraints(db.raw, VALUE_TABLE)
        assert set(_columns(db.raw, VALUE_TABLE)) == set(VALUE_COLUMNS)
        assert db.raw.execute(f"SELECT customer_id, margin FROM {VALUE_TABLE} "
                              "ORDER BY customer_id").fetchall() == [("a", 5.0), ("b", 7.0)]
        # a declared column the old table lacked is added; its rows are kept
        assert "income_band" in _columns(db.raw, "customers")
        assert db.raw.execute("SELECT customer_id, name FROM customers").fetchall() == [
            ("a", "Ann")]
        for table in (SNAPSHOTS_TABLE, USERS_TABLE, AUDIT_TABLE):
            assert _columns(db.raw, table), table
    with connect(path) as db:  # opening again changes nothing
        assert db.raw.execute(f"SELECT count(*) FROM {VALUE_TABLE}").fetchone()[0] == 2


def test_a_new_database_has_every_declared_table_and_column(tmp_path):
    with connect(str(tmp_path / "new.duckdb")) as db:
        for table in declared_tables():
            assert _columns(db.raw, table.name) == list(table.columns), table.name


def test_a_failed_upgrade_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = str(tmp_path / "old.duckdb")
    _version_one_database(path)

    def broken(raw):
        raise RuntimeError("disk full")

    monkeypatch.setattr("valuecrm.store.migrations.MIGRATIONS", {1: broken})
    with pytest.raises(RuntimeError, match="disk full"):
        connect(path)
    raw = duckdb.connect(path)
    assert raw.execute("SELECT value FROM _valuecrm_meta").fetchone()[0] == "1"
    assert "PRIMARY KEY" in _constraints(raw, VALUE_TABLE)
    assert "income_band" not in _columns(raw, "customers")
    raw.close()


def test_a_version_two_database_takes_anonymous_survey_answers(tmp_path):
    """2 -> 3: survey_responses.customer_id loses its NOT NULL (anonymous surveys), rows kept."""
    path = str(tmp_path / "v2.duckdb")
    raw = duckdb.connect(path)
    raw.execute("CREATE TABLE _valuecrm_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    raw.execute("INSERT INTO _valuecrm_meta VALUES ('schema_version', '2')")
    raw.execute('CREATE TABLE survey_responses ("response_id" VARCHAR NOT NULL, "question" '
                'VARCHAR NOT NULL, "customer_id" VARCHAR NOT NULL, "responded_at" TIMESTAMP '
                'NOT NULL, "survey" VARCHAR, "score" DOUBLE, "answer_text" VARCHAR, '
                'PRIMARY KEY ("response_id", "question"))')
    raw.execute("INSERT INTO survey_responses VALUES ('R1', 'nps', 'C1', "
                "TIMESTAMP '2024-01-01', 'q1', 9, NULL)")
    raw.close()
    with connect(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        db.raw.execute("INSERT INTO survey_responses VALUES ('R2', 'nps', NULL, "
                       "TIMESTAMP '2024-01-02', 'q1', 3, NULL)")
        assert db.raw.execute("SELECT response_id, customer_id FROM survey_responses ORDER BY 1"
                              ).fetchall() == [("R1", "C1"), ("R2", None)]
