"""The customer value table: older versions are brought up to date in place."""

from __future__ import annotations

from valuecrm.store.snapshots import VALUE_COLUMNS, VALUE_TABLE, ensure_tables


def _constraints(db) -> list[str]:
    return [r[0] for r in db.raw.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?",
        [VALUE_TABLE]).fetchall()]


def test_an_older_keyed_table_loses_its_key_and_gains_new_columns(db):
    old = {c: t for c, t in VALUE_COLUMNS.items()
           if c not in ("trend_statistic", "silence_probability")}
    columns = ", ".join(f'"{c}" {t}' for c, t in old.items())
    db.raw.execute(f'CREATE TABLE {VALUE_TABLE} ({columns}, '
                   'PRIMARY KEY ("snapshot_id", "customer_id"))')
    db.raw.execute(f"INSERT INTO {VALUE_TABLE} (snapshot_id, as_of, customer_id, margin) "
                   "VALUES (1, DATE '2024-01-31', 'a', 5.0), (1, DATE '2024-01-31', 'b', 7.0)")
    assert "PRIMARY KEY" in _constraints(db)
    ensure_tables(db.raw)
    assert "PRIMARY KEY" not in _constraints(db)
    names = [r[0] for r in db.raw.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [VALUE_TABLE]).fetchall()]
    assert set(names) == set(VALUE_COLUMNS)
    rows = db.raw.execute(f"SELECT customer_id, margin FROM {VALUE_TABLE} "
                          "ORDER BY customer_id").fetchall()
    assert rows == [("a", 5.0), ("b", 7.0)]
    ensure_tables(db.raw)  # a second call changes nothing
    assert db.raw.execute(f"SELECT count(*) FROM {VALUE_TABLE}").fetchone()[0] == 2
