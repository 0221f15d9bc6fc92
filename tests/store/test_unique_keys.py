"""``orders`` and ``order_lines`` have no key index (schema version 4): an order written twice
outside valuecrm (an SQL INSERT) is not stopped by the database, so the analysis refuses it
with a DataError naming the repeated ids and the repair, instead of counting it twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import run
from valuecrm.analysis import analyze
from valuecrm.errors import DataError
from valuecrm.store import connect
from valuecrm.store.integrity import check_unique_keys


@pytest.fixture
def copied(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "crm.duckdb"
    shutil.copy(sample_db, path)
    return path


def _repeat_orders(path: Path, count: int) -> list[str]:
    with connect(path) as database:
        ids = [r[0] for r in database.raw.execute(
            f"SELECT order_id FROM orders ORDER BY order_id LIMIT {count}").fetchall()]
        database.raw.execute("INSERT INTO orders SELECT * FROM orders WHERE order_id IN "
                             f"(SELECT order_id FROM orders ORDER BY order_id LIMIT {count})")
    return ids


def test_analyze_refuses_an_order_stored_twice_and_names_it(copied: Path):
    (repeated,) = _repeat_orders(copied, 1)
    with connect(copied) as database:
        snapshots = database.raw.execute("SELECT count(*) FROM snapshots").fetchone()
        with pytest.raises(DataError) as caught:
            analyze(database)
        assert database.raw.execute("SELECT count(*) FROM snapshots").fetchone() == snapshots
    error = caught.value
    assert repeated in error.message and "orders" in error.message
    assert "DELETE FROM orders" in error.hint
    assert error.details == {"table": "orders", "repeated": [[repeated]]}


def test_the_repair_in_the_hint_works(copied: Path):
    _repeat_orders(copied, 7)
    with connect(copied) as database:
        with pytest.raises(DataError) as caught:
            check_unique_keys(database)
        assert "and perhaps more" in caught.value.message
        assert len(caught.value.details["repeated"]) == 5
        database.raw.execute(caught.value.hint.split("DuckDB: ")[1].split("; or")[0])
        check_unique_keys(database)  # one row per order again


def test_a_repeated_order_line_is_refused_too(copied: Path):
    with connect(copied) as database:
        database.raw.execute("INSERT INTO order_lines (order_id, line_no, product_id, quantity) "
                             "VALUES ('o-x', 1, 'p', 1), ('o-x', 1, 'p', 2)")
        with pytest.raises(DataError, match=r"order_lines .* order_id, line_no .*\(o-x/1\)"):
            check_unique_keys(database)


def test_the_cli_says_it_with_exit_code_and_hint(copied: Path, monkeypatch, capsys):
    (repeated,) = _repeat_orders(copied, 1)
    result = run(monkeypatch, capsys, "--db", str(copied), "analyze")
    assert result.code == 2, result
    said = " ".join(result.err.split())
    assert repeated in said and "DELETE FROM orders" in said


def test_a_table_found_clean_is_grouped_again_only_when_its_count_changes(copied: Path,
                                                                         monkeypatch):
    import valuecrm.store.integrity as integrity

    grouped: list[str] = []
    real = integrity.repeated_keys
    monkeypatch.setattr(integrity, "repeated_keys",
                        lambda raw, table, limit=5: grouped.append(table) or real(raw, table))
    with connect(copied) as database:
        database.raw.execute("DELETE FROM _valuecrm_meta WHERE key LIKE 'unique_keys_rows:%'")
        check_unique_keys(database)
        assert grouped == ["orders", "order_lines"]
        check_unique_keys(database)  # same counts: one count(*) each, no grouping
        assert grouped == ["orders", "order_lines"]
    (repeated,) = _repeat_orders(copied, 1)  # the count moves: grouped again, and caught
    with connect(copied) as database, pytest.raises(DataError, match=repeated):
        check_unique_keys(database)
    assert grouped[2:] == ["orders"]


def test_orders_read_in_place_through_a_view_are_not_grouped(tmp_path: Path):
    with connect(tmp_path / "inplace.duckdb") as database:
        database.raw.execute("DROP TABLE orders")
        database.raw.execute("CREATE VIEW orders AS SELECT 'o1' AS order_id UNION ALL "
                             "SELECT 'o1'")
        check_unique_keys(database)  # the user's own files, as a table of another engine
