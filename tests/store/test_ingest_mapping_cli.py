"""``valuecrm ingest`` with --value, --mapping-file and --dry-run, and messages in the CLI's
words (issue 12, points 7 and 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run
from valuecrm.store import connect

ORDERS = ("订单号,客户编号,下单时间,金额,状态\n"
          "O1,C1,2024-01-05,10,已完成\nO2,C1,2024-01-06,20,Finished\n")


@pytest.fixture
def shop(db_path: Path) -> str:
    with connect(db_path) as db:
        db.raw.execute("INSERT INTO customers (customer_id) VALUES ('C1')")
    return str(db_path)


def counts(path: str) -> dict[str, int]:
    with connect(path) as db:
        return db.counts()


def test_a_refusal_names_the_cli_options_and_a_value_mapping(shop, tmp_path, monkeypatch,
                                                             capsys):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS, encoding="gbk")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source))
    assert result.code == 3
    assert "Recognised: column '订单号' as order_id" in result.err
    assert "load the 1 good row with --on-error skip" in result.err
    assert "on_error" not in result.err  # the CLI's words, not the function's
    assert "--value 'status:Finished=completed'" in result.err


def test_value_option_loads_and_the_summary_says_what_was_recognised(shop, tmp_path,
                                                                     monkeypatch, capsys):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS, encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--value", "status:Finished=completed")
    assert result.code == 0, result
    assert "loaded 2 (2 new, 0 updated), rejected 0" in result.out
    assert "status '已完成' as completed (1 row)" in result.out
    assert counts(shop)["orders"] == 2


def test_dry_run_shows_mappings_counts_and_sample_and_writes_nothing(shop, tmp_path,
                                                                     monkeypatch, capsys):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("values:\n  status:\n    finished: completed\n", encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--mapping-file", str(mapping), "--dry-run")
    assert result.code == 0, result
    assert "Dry run, nothing was written" in result.out
    assert "2 good (2 new, 0 updating a stored row), 0 rejected" in result.out
    assert "下单时间 -> ordered_at (recognised)" in result.out
    assert "status: 'Finished' -> completed (1 row, given)" in result.out
    assert "Sample" in result.out and "2024-01-06 00:00:00" in result.out
    assert counts(shop)["orders"] == 0
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--dry-run", "--json")
    body = json.loads(result.out)
    assert result.code == 0 and body["dry_run"] is True and body["rows_rejected"] == 1
    assert body["values"] == [{"column": "status", "value": "已完成", "to": "completed",
                               "how": "recognised", "rows": 1}]
    assert counts(shop)["orders"] == 0


def test_bad_value_option_and_bad_mapping_file_exit_2(shop, tmp_path, monkeypatch, capsys):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS, encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--value", "status:Finished=finished")
    assert result.code == 2
    assert ("--value 'status:Finished=finished': 'finished' is not a value of orders.status"
            in result.err)
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--value", "status=completed")
    assert result.code == 2 and "--value must be COLUMN:VALUE=STORED" in result.err
    mapping = tmp_path / "map.json"
    mapping.write_text('{"columns": {"订单号": "order_no"}}', encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source),
                 "--mapping-file", str(mapping))
    assert result.code == 2
    assert ("'map.json': columns[\"订单号\"]: the orders table has no column 'order_no'"
            in result.err)
    assert counts(shop)["orders"] == 0


def test_no_good_row_never_offers_to_load_zero_rows(shop, tmp_path, monkeypatch, capsys):
    source = tmp_path / "orders.csv"
    source.write_text("order_id,customer_id,ordered_at,amount\no1,nobody,2024-01-05,10\n",
                      encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", shop, "ingest", "orders", str(source))
    assert result.code == 3
    assert "0 good rows" not in result.err
    assert "no row is good, so --on-error skip would load nothing" in result.err
    assert "use --create-customers" in result.err
