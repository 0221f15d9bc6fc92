"""The customer history joins the order lines only when a line can name a category (on Spark
that join scans and shuffles every purchase), and counts the categories bought either way."""

from __future__ import annotations

from pathlib import Path

import ibis

from valuecrm.analysis.customer_history import customer_history
from valuecrm.analysis.pipeline import as_of_day
from valuecrm.config import AnalysisConfig
from valuecrm.features.history import Window
from valuecrm.store import connect

ORDERS = """INSERT INTO orders (order_id, customer_id, ordered_at, amount, status) VALUES
    ('o1', 'c1', '2024-01-02 10:00', 10.0, 'completed'),
    ('o2', 'c1', '2024-02-03 10:00', 20.0, 'completed'),
    ('o3', 'c2', '2024-03-04 10:00', 30.0, 'completed')"""
LINES = """INSERT INTO order_lines (order_id, line_no, product_id, quantity, amount) VALUES
    ('o1', 1, 'p1', 1, 5.0), ('o1', 2, 'p2', 1, 5.0), ('o2', 1, 'p1', 1, 20.0)"""
PRODUCTS = """INSERT INTO products (product_id, name, category) VALUES
    ('p1', 'tea', 'drinks'), ('p2', 'cake', 'food')"""


def _history(path: Path) -> tuple[str, dict[str, int]]:
    """The history's SQL and each customer's categories bought."""
    with connect(path) as database:
        window = Window(as_of_day(database))
        history = customer_history(database, window, AnalysisConfig().validated())
        sql = str(ibis.to_sql(history, dialect="duckdb"))
        rows = history.select("customer_id", "categories_bought").to_pandas()
    return sql, dict(zip(rows["customer_id"], rows["categories_bought"].astype(int),
                         strict=True))


def test_without_order_lines_the_history_reads_none_and_everyone_has_zero(
        tmp_path: Path) -> None:
    path = tmp_path / "orders_only.duckdb"
    with connect(path) as database:
        database.raw.execute(ORDERS)
        database.raw.execute(PRODUCTS)  # categorised products, but no order line
    sql, bought = _history(path)
    assert "order_lines" not in sql
    assert bought == {"c1": 0, "c2": 0}


def test_with_categorised_lines_the_history_counts_the_categories(tmp_path: Path) -> None:
    path = tmp_path / "with_lines.duckdb"
    with connect(path) as database:
        database.raw.execute(ORDERS)
        database.raw.execute(LINES)
        database.raw.execute(PRODUCTS)
    sql, bought = _history(path)
    assert "order_lines" in sql
    assert bought == {"c1": 2, "c2": 0}
