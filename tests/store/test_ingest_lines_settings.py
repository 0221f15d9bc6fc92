"""How a line-level load runs inside DuckDB: with insertion order off after staging (restored
afterwards), the staged file dropped once nothing reads it, and the same stored rows."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

import valuecrm.store.ingest as ingest_package
from tests.helpers.line_files import RETAIL_DATE_FORMAT, retail_lines, write_retail_csv
from valuecrm.errors import IngestError
from valuecrm.store import connect

SETTING = "SELECT current_setting('preserve_insertion_order')"
TEMP_TABLES = "SELECT table_name FROM duckdb_tables() WHERE temporary"


class _Watched:
    """A DuckDB connection that records, before each statement, the insertion-order setting
    and the temporary tables that exist."""

    def __init__(self, con: Any, seen: list[tuple[str, bool, set[str]]]):
        self._con, self._seen = con, seen

    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        ordered = self._con.execute(SETTING).fetchone()[0]
        tables = {row[0] for row in self._con.execute(TEMP_TABLES).fetchall()}
        self._seen.append((query, ordered, tables))
        return self._con.execute(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class _Destination:
    def __init__(self, db: Any):
        self.read_only, self._db, self.seen = False, db, []

    @property
    def raw(self) -> Any:
        return _Watched(self._db.raw, self.seen)


def _statement(seen: list[tuple[str, bool, set[str]]], start: str) -> tuple[bool, set[str]]:
    found = [(ordered, tables) for query, ordered, tables in seen
             if " ".join(query.split()).startswith(start)]
    assert len(found) == 1, start
    return found[0]


def test_a_line_load_writes_in_any_row_order_and_drops_the_file_early(db, tmp_path):
    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(3))
    target = _Destination(db)
    ingest_package.ingest(target, "orders", path, date_format=RETAIL_DATE_FORMAT,
                          create_customers=True)
    staged, _ = next((ordered, tables) for query, ordered, tables in target.seen
                     if "read_csv(" in query)
    assert staged  # the staging table's rowid is the file position: read in order
    ordered, tables = _statement(target.seen, "INSERT INTO order_lines")
    assert not ordered
    ordered, tables = next((ordered, tables) for query, ordered, tables in target.seen
                           if query.startswith("CREATE TEMP TABLE") and "_orders" in
                           query.split(" AS ")[0])
    assert not ordered
    assert not any(t.endswith(("_stage", "_typed", "_dups", "_errors")) for t in tables)
    assert any(t.endswith("_lines") for t in tables)
    assert db.raw.execute(SETTING).fetchone()[0] is True


def test_the_setting_is_restored_after_a_refused_file(db, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                    "1,P1,2,2024-01-02,3.50,c1\n"
                    "2,P1,two,2024-01-03,3.50,c1\n", encoding="utf-8")
    with pytest.raises(IngestError):
        db.ingest("orders", path, create_customers=True)
    assert db.raw.execute(SETTING).fetchone()[0] is True
    db.raw.execute("SET preserve_insertion_order = false")  # a setting of the user's is kept
    db.ingest("orders", path, create_customers=True, on_error="skip")
    assert db.raw.execute(SETTING).fetchone()[0] is False


def _stored(db: Any) -> dict[str, Any]:
    """Every stored row of the tables a line load writes (sorted), and the orders in their
    physical order (written in file order)."""
    rows = {t: db.raw.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("customers", "orders", "guest_orders", "order_lines", "products")}
    rows["orders, stored order"] = db.raw.execute(
        "SELECT order_id FROM orders ORDER BY rowid").fetchall()
    return rows


def test_the_stored_rows_are_those_of_a_load_in_insertion_order(tmp_path, monkeypatch):
    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(4))
    stored = []
    for keep_order in (False, True):
        if keep_order:  # the load as it was: insertion order kept throughout
            monkeypatch.setattr(ingest_package, "any_row_order",
                                lambda con: contextlib.nullcontext())
        with connect(tmp_path / f"{keep_order}.duckdb") as db:
            for _ in range(2):  # a first load and a reload
                db.ingest("orders", path, date_format=RETAIL_DATE_FORMAT,
                          create_customers=True)
                stored.append(_stored(db))
    assert stored[0] == stored[2] and stored[1] == stored[3]
