"""``orders`` and ``order_lines`` have no primary-key index (schema version 4): the loads keep
their keys (order_id; order_id, line_no) unique themselves, and an older database loses the
indexes when opened."""

from __future__ import annotations

import duckdb
import pandas as pd

from tests.helpers.line_files import RETAIL_DATE_FORMAT, retail_lines, write_retail_csv
from valuecrm.store import SCHEMA_VERSION, connect


def _repeated_keys(db) -> int:
    return db.raw.execute("SELECT count(*) FROM (SELECT order_id, line_no FROM order_lines "
                          "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]


def _constraints(raw, table: str) -> list[str]:
    return [r[0] for r in raw.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?",
        [table]).fetchall()]


def _repeated_orders(db) -> int:
    return db.raw.execute("SELECT count(*) - count(DISTINCT order_id) FROM orders").fetchone()[0]


def test_orders_and_order_lines_have_no_key_index(db):
    assert "PRIMARY KEY" not in _constraints(db.raw, "order_lines")
    assert "PRIMARY KEY" not in _constraints(db.raw, "orders")
    assert "PRIMARY KEY" in _constraints(db.raw, "customers")


def test_a_line_file_loaded_twice_keeps_one_row_per_order_and_line(db, tmp_path):
    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(3))
    db.ingest("orders", path, date_format=RETAIL_DATE_FORMAT, create_customers=True)
    stored = db.raw.execute("SELECT * FROM order_lines ORDER BY ALL").fetchall()
    orders = db.raw.execute("SELECT * FROM orders ORDER BY ALL").fetchall()
    db.ingest("orders", path, date_format=RETAIL_DATE_FORMAT, create_customers=True)
    assert _repeated_keys(db) == 0 and _repeated_orders(db) == 0
    assert db.raw.execute("SELECT * FROM order_lines ORDER BY ALL").fetchall() == stored
    assert db.raw.execute("SELECT * FROM orders ORDER BY ALL").fetchall() == orders


def test_a_file_of_orders_updates_its_ids_and_keeps_the_columns_it_lacks(db, tmp_path):
    db.ingest("orders", pd.DataFrame({
        "order_id": ["o1", "o2"], "customer_id": ["c1", "c1"], "amount": [5.0, 6.0],
        "cost": [1.0, 2.0], "ordered_at": ["2024-01-02", "2024-01-03"]}),
        create_customers=True)
    report = db.ingest("orders", pd.DataFrame({
        "order_id": ["o2", "o3"], "customer_id": ["c1", "c2"], "amount": [7.0, 8.0],
        "ordered_at": ["2024-01-03", "2024-01-04"]}), create_customers=True)
    assert (report.rows_inserted, report.rows_updated) == (1, 1)
    assert _repeated_orders(db) == 0
    assert db.raw.execute("SELECT order_id, amount, cost FROM orders ORDER BY 1").fetchall() == [
        ("o1", 5.0, 1.0), ("o2", 7.0, 2.0), ("o3", 8.0, None)]


def test_a_line_file_updates_stored_orders_and_keeps_their_cost(db, tmp_path):
    db.ingest("orders", pd.DataFrame({"order_id": ["1"], "customer_id": ["c1"], "amount": [9.0],
                                      "cost": [3.0], "ordered_at": ["2024-01-02"]}),
              create_customers=True)
    path = tmp_path / "lines.csv"
    path.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                    "1,P1,2,2024-01-02,3.5,c1\n2,P1,1,2024-01-03,3.5,c1\n", encoding="utf-8")
    report = db.ingest("orders", path, create_customers=True)
    assert (report.rows_inserted, report.rows_updated) == (1, 1)
    assert db.raw.execute("SELECT order_id, amount, cost FROM orders ORDER BY 1").fetchall() == [
        ("1", 7.0, 3.0), ("2", 3.5, None)]


def test_a_reload_replaces_the_lines_of_the_orders_in_the_file(db, tmp_path):
    header = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
    first = tmp_path / "first.csv"
    first.write_text(header + "1,P1,2,2024-01-02,3.5,c1\n1,P2,1,2024-01-02,4,c1\n"
                     "2,P1,1,2024-01-03,3.5,c2\n", encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(header + "1,P3,5,2024-01-02,1,c1\n", encoding="utf-8")
    db.ingest("orders", first, create_customers=True)
    db.ingest("orders", second, create_customers=True)
    assert db.raw.execute("SELECT order_id, line_no, product_id, quantity FROM order_lines "
                          "ORDER BY ALL").fetchall() == [("1", 1, "P3", 5), ("2", 1, "P1", 1)]


def test_a_file_of_order_lines_updates_its_keys_and_adds_the_others(db, tmp_path):
    header = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
    path = tmp_path / "lines.csv"
    path.write_text(header + "1,P1,2,2024-01-02,3.5,c1\n1,P2,1,2024-01-02,4,c1\n",
                    encoding="utf-8")
    db.ingest("orders", path, create_customers=True)
    first = db.ingest("order_lines", pd.DataFrame({
        "order_id": ["1", "1"], "line_no": [2, 3], "product_id": ["P1", "P2"],
        "quantity": [7, 1], "discount": [0.5, 0.0]}))
    assert (first.rows_inserted, first.rows_updated) == (1, 1)
    # a second file without the discount column: the stored discounts stay
    second = db.ingest("order_lines", pd.DataFrame({
        "order_id": ["1", "1"], "line_no": [2, 3], "product_id": ["P1", "P2"],
        "quantity": [8, 1]}))
    assert (second.rows_inserted, second.rows_updated) == (0, 2)
    assert _repeated_keys(db) == 0
    assert db.raw.execute("SELECT line_no, product_id, quantity, unit_price, discount FROM "
                          "order_lines ORDER BY line_no").fetchall() == [
        (1, "P1", 2, 3.5, None), (2, "P1", 8, 4.0, 0.5), (3, "P2", 1, None, 0.0)]


def test_a_version_three_database_loses_the_order_keys_and_keeps_its_rows(tmp_path):
    path = str(tmp_path / "v3.duckdb")
    raw = duckdb.connect(path)
    raw.execute("CREATE TABLE _valuecrm_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    raw.execute("INSERT INTO _valuecrm_meta VALUES ('schema_version', '3')")
    raw.execute('CREATE TABLE order_lines ("order_id" VARCHAR NOT NULL, "line_no" BIGINT NOT '
                'NULL, "product_id" VARCHAR NOT NULL, "quantity" BIGINT, "unit_price" DOUBLE, '
                '"amount" DOUBLE, "cost" DOUBLE, "discount" DOUBLE, '
                'PRIMARY KEY ("order_id", "line_no"))')
    raw.execute("INSERT INTO order_lines VALUES ('1', 1, 'P1', 2, 3.5, 7.0, NULL, NULL), "
                "('1', 2, 'P2', 1, 4.0, 4.0, 1.0, 0.5)")
    raw.execute('CREATE TABLE orders ("order_id" VARCHAR NOT NULL, "customer_id" VARCHAR NOT '
                'NULL, "ordered_at" TIMESTAMP NOT NULL, "amount" DOUBLE NOT NULL, '
                'PRIMARY KEY ("order_id"))')
    raw.execute("INSERT INTO orders VALUES ('1', 'c1', TIMESTAMP '2024-01-02', 11.0)")
    raw.close()
    with connect(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert "PRIMARY KEY" not in _constraints(db.raw, "order_lines")
        assert "PRIMARY KEY" not in _constraints(db.raw, "orders")
        assert db.raw.execute("SELECT order_id, customer_id, amount, status FROM orders"
                              ).fetchall() == [("1", "c1", 11.0, None)]
        assert db.raw.execute("SELECT * FROM order_lines ORDER BY line_no").fetchall() == [
            ("1", 1, "P1", 2, 3.5, 7.0, None, None), ("1", 2, "P2", 1, 4.0, 4.0, 1.0, 0.5)]
    with connect(path) as db:  # opening again changes nothing
        assert db.raw.execute("SELECT count(*) FROM order_lines").fetchone()[0] == 2
