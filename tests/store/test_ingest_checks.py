"""Row checks of Database.ingest: every bad input gets a precise message and nothing is written
in reject mode; skip mode loads exactly the good rows and writes the rejects file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from valuecrm.errors import IngestError, ParameterError, SchemaError

HEADER = "order_id,customer_id,ordered_at,amount,status"


def orders_csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def count(db, table: str) -> int:
    return int(db.raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def refused(db, table: str, source, **options) -> IngestError:
    before = db.counts()
    with pytest.raises(IngestError) as caught:
        db.ingest(table, source, **options)
    assert db.counts() == before, "a refused file must not change any table"
    return caught.value


@pytest.fixture
def shop(db):
    """A database with customers c1 and c2."""
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1'), ('c2')")
    return db


def test_good_file_loads_every_row(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10.5,completed",
                        "o2,c2,2024-01-06 12:30:00,20,completed")
    report = shop.ingest("orders", source)
    assert (report.rows_read, report.rows_inserted, report.rows_rejected) == (2, 2, 0)
    assert count(shop, "orders") == 2
    assert report.format == "csv" and report.encoding == "utf-8"


def test_missing_required_column_lists_found_and_expected(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,10", header="order_id,customer_id,amount")
    with pytest.raises(SchemaError) as caught:
        shop.ingest("orders", source)
    text = str(caught.value)
    assert "'orders.csv' has no column for ordered_at" in text
    assert "Columns found: order_id, customer_id, amount" in text
    assert "Expected: order_id, customer_id, ordered_at, amount (required)" in text
    assert count(shop, "orders") == 0


def test_non_date_names_file_line_column_and_value(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c1,next tuesday,10,completed")
    error = refused(shop, "orders", source)
    assert error.status == 422
    assert "'orders.csv' was refused: 1 of 2 rows are bad" in error.message
    assert "line 3, column ordered_at, value 'next tuesday': not a date/time" in error.message
    bad = error.report.bad_rows
    assert [(b.line, b.column, b.value) for b in bad] == [(3, "ordered_at", "next tuesday")]


def test_text_in_an_amount(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,ten euros,completed")
    error = refused(shop, "orders", source)
    assert "line 2, column amount, value 'ten euros': not an amount of money" in error.message


def test_duplicated_order_ids_name_the_first_line(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c1,2024-01-05,10,completed", "o1,c2,2024-01-06,11,completed",
                        "o1,c2,2024-01-07,12,completed")
    error = refused(shop, "orders", source)
    rows = [(b.line, b.column, b.value, b.reason) for b in error.report.bad_rows]
    assert rows == [
        (4, "order_id", "o1", "duplicate order_id: the same key as line 2"),
        (5, "order_id", "o1", "duplicate order_id: the same key as line 2"),
    ]


def test_order_for_unknown_customer(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c404,2024-01-05,10,completed")
    error = refused(shop, "orders", source)
    assert ("line 3, column customer_id, value 'c404': customer 'c404' does not exist"
            in error.message)
    assert "create_customers=True" in error.message  # Python's words (CLI: test_ingest_cli)


def test_create_customers_adds_bare_customers_and_counts_them(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c404,2024-01-05,10,completed", "o3,c404,2024-01-06,5,completed",
                        "o4,c405,2024-01-06,5,completed")
    report = shop.ingest("orders", source, create_customers=True)
    assert report.customers_created == 2
    assert report.rows_inserted == 4
    assert count(shop, "customers") == 4
    assert "Created 2 customers" in report.summary()


def test_future_dates_are_rejected(shop, tmp_path):
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).strftime("%Y-%m-%d")
    source = orders_csv(tmp_path / "orders.csv", f"o1,c1,{tomorrow},10,completed")
    error = refused(shop, "orders", source)
    assert f"line 2, column ordered_at, value '{tomorrow}': in the future" in error.message


def test_negative_amount_only_on_returned_orders(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,-10,returned",
                        "o2,c1,2024-01-05,-10,completed")
    error = refused(shop, "orders", source)
    assert [(b.line, b.column, b.reason) for b in error.report.bad_rows] == [
        (3, "amount", "negative amount is allowed only when status is 'returned'")]


def test_choices_accept_any_case_and_store_the_declared_spelling(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,-10,RETURNED",
                        "o2,c1,2024-01-05,10, Completed ")
    shop.ingest("orders", source)
    stored = shop.raw.execute("SELECT status FROM orders ORDER BY order_id").fetchall()
    assert stored == [("returned",), ("completed",)]
    bad = orders_csv(tmp_path / "bad.csv", "o3,c1,2024-01-05,10,shipped")
    error = refused(shop, "orders", bad)
    assert "value 'shipped': not one of: completed, returned, cancelled" in error.message


def test_minimum_and_maximum_from_the_schema(db, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text("customer_id,birth_year\nc1,1985\nc2,1850\nc3,2200\n", encoding="utf-8")
    error = refused(db, "customers", source)
    assert [(b.line, b.reason) for b in error.report.bad_rows] == [
        (3, "below the minimum 1900"), (4, "above the maximum 2100")]


def test_required_value_empty(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,,2024-01-05,10,completed")
    error = refused(shop, "orders", source)
    assert "line 2, column customer_id, value empty: required value is empty" in error.message


@pytest.mark.parametrize(("text", "amount"), [
    ("1,234.50", 1234.5), ("$12", 12.0), ("¥1,200", 1200.0), ("￥88.8", 88.8),
    ("USD 1,000,000.25", 1000000.25), ("€ 7", 7.0), ("(12.00)", -12.0), ("-$3.5", -3.5),
    ("1200元", 1200.0), (" 42 ", 42.0),
])
def test_money_with_separators_and_currency_symbols(shop, tmp_path, text, amount):
    source = orders_csv(tmp_path / "orders.csv", f'o1,c1,2024-01-05,"{text}",returned')
    shop.ingest("orders", source)
    assert shop.raw.execute("SELECT amount FROM orders").fetchone()[0] == pytest.approx(amount)


@pytest.mark.parametrize(("text", "reason"), [
    ("€3,50", "ambiguous decimal comma"), ("1.234,50", "not an amount of money"),
    ("12,34,567", "not an amount of money"), ("$", "not an amount of money"),
])
def test_ambiguous_or_malformed_money_is_refused(shop, tmp_path, text, reason):
    source = orders_csv(tmp_path / "orders.csv", f'o1,c1,2024-01-05,"{text}",completed')
    error = refused(shop, "orders", source)
    assert error.report.bad_rows[0].value == text
    assert error.report.bad_rows[0].reason.startswith(reason)


@pytest.mark.parametrize(("text", "stored"), [
    ("2024-01-05 10:00:00+08:00", "2024-01-05 02:00:00"),
    ("2024-01-05T10:00:00Z", "2024-01-05 10:00:00"),
    ("2024-01-05 01:30-0500", "2024-01-05 06:30:00"),
    ("2024-01-05T23:15:00.5+05:30", "2024-01-05 17:45:00.5"),
    ("2024-01-05 10:00 UTC", "2024-01-05 10:00:00"),
    ("2024/1/5", "2024-01-05 00:00:00"),
    ("20240105", "2024-01-05 00:00:00"),
    ("2024-01-05", "2024-01-05 00:00:00"),
])
def test_time_zones_convert_to_naive_utc(shop, tmp_path, text, stored):
    source = orders_csv(tmp_path / "orders.csv", f"o1,c1,{text},10,completed")
    shop.ingest("orders", source)
    value = shop.raw.execute("SELECT ordered_at FROM orders").fetchone()[0]
    assert value == pd.Timestamp(stored).to_pydatetime()


def test_stated_date_format(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,05/01/2024 10:00,10,completed",
                        "o2,c1,31/12/2023 23:00 +0100,10,completed")
    shop.ingest("orders", source, date_format="%d/%m/%Y %H:%M %z")
    stored = shop.raw.execute("SELECT ordered_at FROM orders ORDER BY order_id").fetchall()
    assert stored == [(dt.datetime(2024, 1, 5, 10),), (dt.datetime(2023, 12, 31, 22),)]
    with pytest.raises(ParameterError, match="'date_format' parameter of ingest"):
        shop.ingest("orders", source, date_format="%Q")


def test_margin_defaults_to_amount_minus_cost(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,100,30,",
                        "o2,c1,2024-01-05,100,30,50",
                        header="order_id,customer_id,ordered_at,amount,cost,margin")
    shop.ingest("orders", source)
    margins = shop.raw.execute("SELECT margin FROM orders ORDER BY order_id").fetchall()
    assert margins == [(70.0,), (50.0,)]


def test_mapping_explicit_and_automatic(shop, tmp_path):
    source = tmp_path / "export.csv"
    source.write_text("Order No,Customer ID,ORDERED AT, Amount ,Remark\n"
                      "o1,c1,2024-01-05,10,hello\n", encoding="utf-8")
    report = shop.ingest("orders", source, mapping={"Order No": "order_id"})
    assert report.rows_inserted == 1
    assert report.warnings == ["ignored 1 column(s) that the orders table does not have: "
                               "Remark."]
    with pytest.raises(SchemaError, match="the orders table has no column 'nope'"):
        shop.ingest("orders", source, mapping={"Order No": "nope"})


def test_skip_mode_loads_good_rows_and_writes_rejects(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c1,soon,abc,completed", "o3,c2,2024-01-06,5,completed",
                        "o4,c404,2024-01-06,5,completed")
    report = shop.ingest("orders", source, on_error="skip")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 2, 2)
    assert sorted(r[0] for r in shop.raw.execute("SELECT order_id FROM orders").fetchall()) == [
        "o1", "o3"]
    rejects = tmp_path / "orders.rejects.csv"
    assert report.rejects_path == str(rejects)
    with rejects.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert [r["line"] for r in rows] == ["3", "5"]
    assert rows[0]["order_id"] == "o2" and rows[0]["column"] == "ordered_at; amount"
    assert "not a date/time" in rows[0]["reason"] and "not an amount" in rows[0]["reason"]
    assert rows[1]["reason"].startswith("customer 'c404' does not exist")
    logged = shop.raw.execute("SELECT table_name, mode, rows_inserted, rows_rejected "
                              "FROM _valuecrm_loads").fetchall()
    assert logged == [("orders", "skip", 2, 2)]


def test_skip_mode_on_a_dataframe_keeps_rejects_in_the_report(shop):
    frame = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["c1", "c1"],
                          "ordered_at": ["2024-01-05", "bad"], "amount": [1.0, 2.0]})
    report = shop.ingest("orders", frame, on_error="skip")
    assert report.rejects_path is None and report.rows_loaded == 1
    assert [(b.line, b.column) for b in report.bad_rows] == [(3, "ordered_at")]


def test_loading_twice_adds_no_duplicates_and_updates(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c2,2024-01-06,20,completed")
    first = shop.ingest("orders", source)
    second = shop.ingest("orders", source)
    assert (first.rows_inserted, first.rows_updated) == (2, 0)
    assert (second.rows_inserted, second.rows_updated) == (0, 2)
    assert count(shop, "orders") == 2
    overlap = orders_csv(tmp_path / "more.csv", "o2,c2,2024-01-06,25,completed",
                         "o3,c2,2024-01-07,30,completed")
    third = shop.ingest("orders", overlap)
    assert (third.rows_inserted, third.rows_updated) == (1, 1)
    amounts = dict(shop.raw.execute("SELECT order_id, amount FROM orders").fetchall())
    assert amounts == {"o1": 10.0, "o2": 25.0, "o3": 30.0}
    assert count(shop, "_valuecrm_loads") == 3


def test_update_keeps_columns_the_file_does_not_have(shop, tmp_path):
    shop.ingest("orders", orders_csv(tmp_path / "a.csv", "o1,c1,2024-01-05,10,completed,web",
                                     header=HEADER + ",channel"))
    shop.ingest("orders", orders_csv(tmp_path / "b.csv", "o1,c1,2024-01-05,12,completed"))
    assert shop.raw.execute("SELECT amount, channel FROM orders").fetchone() == (12.0, "web")


def test_every_problem_is_counted_but_the_report_keeps_a_bounded_list(shop, tmp_path):
    rows = [f"o{i},c1,never,10,completed" for i in range(1200)]
    error = refused(shop, "orders", orders_csv(tmp_path / "orders.csv", *rows))
    report = error.report
    assert report.bad_row_count == 1200 and report.rows_rejected == 1200
    assert len(report.bad_rows) == 1000
    assert "... and 1,150 more problem(s) (1,200 in all)." in error.message
    assert error.message.count("not a date/time") == 50


def test_bad_arguments(shop, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    with pytest.raises(ParameterError, match="'on_error' parameter of ingest must be"):
        shop.ingest("orders", source, on_error="ignore")
    with pytest.raises(SchemaError, match="There is no table 'order'"):
        shop.ingest("order", source)


def test_load_settings_are_restored(shop, tmp_path):
    setting = "SELECT current_setting('memory_limit'), current_setting('enable_progress_bar')"
    before = shop.raw.execute(setting).fetchone()
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    shop.ingest("orders", source, memory_limit="64MB")
    assert shop.raw.execute(setting).fetchone() == before
    temporary = shop.raw.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary")
    assert temporary.fetchone()[0] == 0, "staging tables must be dropped"


def test_memory_limit_is_set_for_the_load_and_checked(shop, tmp_path):
    from valuecrm.store.ingest import _load_settings

    with _load_settings(shop.raw, "512MB"):
        cap = shop.raw.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert cap == "488.2 MiB"  # 512e6 bytes, as DuckDB shows it
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    for wrong in ("lots", "1 gigabyte", "10MB", "-1GB"):
        with pytest.raises(ParameterError, match="'memory_limit' parameter of ingest must be "
                                                 "a size such as 1GB, 512MB or 2GiB, at least "
                                                 "64MB"):
            shop.ingest("orders", source, memory_limit=wrong)
    assert shop.ingest("orders", source, memory_limit="2GiB").rows_inserted == 1
