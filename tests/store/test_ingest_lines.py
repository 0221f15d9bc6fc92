"""Line-level sales files (one row per product per invoice) load in one command, and the value
table on them equals an independent computation from the raw lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.line_files import RETAIL_DATE_FORMAT, retail_lines, write_retail_csv
from valuecrm import analyze
from valuecrm.errors import IngestError, SchemaError
from valuecrm.store import connect
from valuecrm.store.snapshots import read_snapshot

LINE_MESSAGE = ("this looks like one row per product line: map the product and quantity "
                "columns")


def _counts(db_path) -> dict[str, int]:
    with connect(db_path, read_only=True) as db:
        return {t: db.counts()[t] for t in ("customers", "orders", "guest_orders",
                                            "order_lines", "products")}


def _expected(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The value table's spend and RFM figures computed from the raw lines with pandas, by the
    rules of docs/line-items.md, independently of valuecrm's code."""
    lines = raw.drop_duplicates(keep="first")  # exact duplicate lines
    lines = lines[~lines["InvoiceNo"].str.startswith("A")]  # adjustments
    lines = lines[lines["UnitPrice"] >= 0].copy()  # negative prices
    lines["value"] = lines["Quantity"] * lines["UnitPrice"]
    lines = lines[~((lines["value"] == 0) & (lines["Quantity"] < 0))]  # stock corrections
    orders = lines.groupby("InvoiceNo").agg(
        customer=("CustomerID", "first"), when=("InvoiceDate", "min"),
        net=("value", "sum"), back=("Quantity", lambda q: bool((q < 0).all())))
    orders = orders[orders["customer"] != ""].reset_index()
    orders["returned"] = (orders["InvoiceNo"].str.startswith("C") | orders["back"]
                          | (orders["net"] < 0))
    orders["cents"] = (orders["net"] * 100).round().astype(int)
    as_of = orders["when"].max().normalize()
    bought = orders[~orders["returned"]]
    returned = orders[orders["returned"]]
    per = bought.groupby("customer").agg(
        n_purchases=("when", lambda w: w.dt.normalize().nunique()),
        gross=("cents", "sum"), last=("when", "max"))
    per["returns"] = returned.groupby("customer")["cents"].apply(
        lambda c: c.abs().sum()).reindex(per.index).fillna(0).astype(int)
    per["total_spend"] = per["gross"] / 100
    per["revenue"] = (per["gross"] - per["returns"]) / 100
    per["days_since_last"] = (as_of - per["last"].dt.normalize()).dt.days
    n = len(per)

    def score(goodness: pd.Series) -> pd.Series:  # 1 + floor(5 (rank - 1) / N), ties low
        rank = goodness.rank(method="min")
        return (1 + np.floor(5 * (rank - 1) / n)).astype(int)

    per["r_score"] = score(-per["days_since_last"])
    per["f_score"] = score(per["n_purchases"])
    per["m_score"] = score(per["gross"])
    return per, as_of


@pytest.mark.parametrize("seed", [0, 1])
def test_a_line_file_loads_in_one_command_and_matches_the_raw_lines(
        db_path, tmp_path, monkeypatch, capsys, seed):
    raw = retail_lines(seed)
    path = write_retail_csv(tmp_path / "Online Retail.csv", raw)
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders", str(path),
                 "--date-format", RETAIL_DATE_FORMAT, "--create-customers")
    assert result.code == 0, result.err
    assert "Guest lines (no customer)" in result.out
    assert "cancellation prefix 'C' (detected" in result.out
    expected, as_of = _expected(raw)
    with connect(db_path) as db:
        snapshot = analyze(db)
        table = read_snapshot(db).to_pandas().set_index("customer_id")
    assert snapshot.as_of == as_of.date()
    assert "gross" in snapshot.metadata["definitions"]["spend"]
    assert sorted(table.index) == sorted(expected.index)
    table = table.loc[expected.index]
    for column in ("n_purchases", "days_since_last", "r_score", "f_score", "m_score"):
        assert table[column].astype(int).tolist() == expected[column].tolist(), column
    assert np.allclose(table["total_spend"], expected["total_spend"], rtol=0, atol=1e-9)
    assert np.allclose(table["revenue"], expected["revenue"], rtol=0, atol=1e-9)
    assert (table["revenue"] < table["total_spend"]).any()  # some returns were netted


def test_the_report_counts_every_rule(db):
    lines = pd.DataFrame([
        ["1001", "85123A", "HEART HOLDER", 6, "2011-01-03 09:00", 2.55, "17850"],
        ["1001", "85123A", "HEART HOLDER", 6, "2011-01-03 09:00", 2.55, "17850"],  # duplicate
        ["1001", "POST", "POSTAGE", 1, "2011-01-03 09:00", 0, "17850"],  # free: kept
        ["1002", "71053", "LANTERN", 2, "2011-01-04 10:00", 3.39, ""],  # guest
        ["1003", "71053", "damaged", -5, "2011-01-04 11:00", 0, ""],  # stock correction
        ["A1004", "B", "Adjust bad debt", 1, "2011-01-05 12:00", -11062.06, ""],  # adjustment
        ["1005", "22752", "BOXES", 1, "2011-01-05 12:00", -7.65, "17850"],  # negative price
        ["C1006", "85123A", "HEART HOLDER", -2, "2011-01-06 12:00", 2.55, "17850"],  # return
    ], columns=["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                "UnitPrice", "CustomerID"])
    report = db.ingest("orders", lines, create_customers=True)
    counts = report.lines
    assert (counts.duplicate_lines, counts.adjustment_lines, counts.negative_price_lines,
            counts.stock_corrections, counts.zero_value_lines) == (1, 1, 1, 1, 1)
    assert (counts.orders, counts.purchases, counts.returns, counts.guest_orders,
            counts.guest_lines) == (2, 1, 1, 1, 1)
    assert counts.returns_by == {"prefix": 1}
    assert counts.customers == counts.new_customers == 1
    assert (counts.gross_sales, counts.returns_value, counts.net_sales) == (15.3, -5.1, 10.2)
    assert db.counts()["customers"] == 1  # the guest is no customer
    stored = db.raw.execute("SELECT order_id, customer_id, amount, status FROM orders "
                            "ORDER BY order_id").fetchall()
    assert stored == [("1001", "17850", 15.3, "completed"), ("C1006", "17850", -5.1, "returned")]
    assert db.raw.execute("SELECT order_id, amount FROM guest_orders").fetchall() == [
        ("1002", 6.78)]
    assert db.raw.execute("SELECT product_id, name, unit_price FROM products WHERE product_id "
                          "= '85123A'").fetchall() == [("85123A", "HEART HOLDER", 2.55)]
    assert db.raw.execute("SELECT count(*) FROM order_lines").fetchone()[0] == 4
    assert report.rows_rejected == 0 and report.bad_rows == []


def test_cancellations_by_negative_quantity_and_by_status_column(db):
    lines = pd.DataFrame([
        ["S-1", "P1", 2, "2024-01-02", 10.0, "c1", "completed"],
        ["S-2", "P1", -1, "2024-01-09", 10.0, "c1", "completed"],  # negative: a return
        ["S-3", "P2", 1, "2024-01-10", 5.0, "c1", "已退货"],  # status: a return
        ["S-4", "P2", 1, "2024-01-11", 5.0, "c1", "cancelled"],  # counts nowhere
    ], columns=["Order No", "SKU", "Qty", "Order Date", "Price", "Customer No", "Order Status"])
    report = db.ingest("orders", lines, create_customers=True)
    assert report.lines.cancel_prefix_how == ""  # no prefix in these order numbers
    assert report.lines.returns_by == {"negative": 1, "status": 1}
    stored = db.raw.execute("SELECT order_id, amount, status FROM orders ORDER BY order_id"
                            ).fetchall()
    assert stored == [("S-1", 20.0, "completed"), ("S-2", -10.0, "returned"),
                      ("S-3", -5.0, "returned"), ("S-4", 5.0, "cancelled")]


def test_a_second_load_of_the_same_file_changes_nothing(db, tmp_path):
    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(2))
    first = db.ingest("orders", path, date_format=RETAIL_DATE_FORMAT, create_customers=True)
    before = db.counts()
    amounts = db.raw.execute("SELECT sum(amount) FROM orders").fetchone()[0]
    second = db.ingest("orders", path, date_format=RETAIL_DATE_FORMAT, create_customers=True)
    assert db.counts() == before
    assert db.raw.execute("SELECT sum(amount) FROM orders").fetchone()[0] == amounts
    assert first.rows_inserted == second.rows_updated == first.lines.orders
    assert second.rows_inserted == 0


def test_a_bad_line_refuses_the_whole_file(db, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                    "1,P1,2,2024-01-02,3.50,c1\n"
                    "2,P1,two,2024-01-03,3.50,c1\n"
                    "3,P2,1,2024-01-03,1.00,c2\n"
                    "3,P3,1,2024-01-03,1.00,c3\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        db.ingest("orders", path, create_customers=True)
    reasons = [str(r) for r in refused.value.report.bad_rows]
    assert any("line 3, column quantity, value 'two'" in r for r in reasons)
    assert any("line 5" in r and "several customers: line 4 is of c2" in r for r in reasons)
    assert db.counts()["orders"] == db.counts()["order_lines"] == db.counts()["products"] == 0
    report = db.ingest("orders", path, create_customers=True, on_error="skip")
    assert report.rows_rejected == 2 and report.lines.orders == 2


def test_the_old_silent_path_now_stops_with_the_line_message(db_path, tmp_path, monkeypatch,
                                                              capsys):
    path = write_retail_csv(tmp_path / "Online Retail.csv", retail_lines(0))
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders", str(path),
                 "--map", "UnitPrice=amount", "--on-error", "skip", "--create-customers",
                 "--date-format", RETAIL_DATE_FORMAT)
    assert result.code == 2
    text = " ".join(result.err.split())
    assert LINE_MESSAGE in text
    assert "--map 'StockCode=product_id' --map 'Quantity=quantity'" in text
    assert "Nothing was written" in text
    assert _counts(db_path)["orders"] == 0


def test_the_key_guard_applies_to_any_table(db, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text("customer_id,city\nc1,Paris\nc1,Lyon\nc1,Nice\nc2,Lille\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"3 of 5 rows \(60%\)") as stopped:
        db.ingest("customers", _more(path))
    assert "does not hold one row per customer_id" in str(stopped.value)
    assert db.counts()["customers"] == 0
    report = db.ingest("customers", path, on_error="skip")  # a few repeats: warned, rejected
    assert any("repeat the customer_id of an earlier row" in w for w in report.warnings)
    assert report.rows_rejected == 2


def _more(path):
    """``path`` with one more repeated key: 3 of 5 rows repeat an earlier one."""
    more = path.with_name("more.csv")
    more.write_text(path.read_text(encoding="utf-8") + "c2,Metz\n", encoding="utf-8")
    return more


def test_a_dry_run_shows_what_the_file_would_become(db_path, tmp_path, monkeypatch, capsys):
    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(0))
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders", str(path),
                 "--date-format", RETAIL_DATE_FORMAT, "--create-customers", "--dry-run")
    text = " ".join(result.out.split())
    assert result.code == 0, result.err
    for part in ("Dry run, nothing was written", "of 40 customers (40 new)", "returns (",
                 "order lines and", "products", "Guest lines (no customer)",
                 "exact duplicate lines", "StockCode -> product_id (recognised)",
                 "Sample: the first 5 orders"):
        assert part in text, part
    assert all(n == 0 for n in _counts(db_path).values())


def test_the_line_counts_are_in_the_json_report(db_path, tmp_path, monkeypatch, capsys):
    import json

    path = write_retail_csv(tmp_path / "lines.csv", retail_lines(0))
    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "orders", str(path),
                 "--date-format", RETAIL_DATE_FORMAT, "--create-customers", "--json",
                 "--cancel-prefix", "")
    body = json.loads(result.out)
    assert body["lines"]["cancel_prefix"] == ""  # no prefix: C invoices are returns by sign
    assert body["lines"]["returns_by"]["negative"] == body["lines"]["returns"] > 0


def test_an_older_database_gains_the_guest_orders_table(db_path):
    import duckdb

    with connect(db_path) as db:
        db.raw.execute("DROP TABLE guest_orders")
        db.raw.execute("ALTER TABLE customer_value DROP COLUMN total_spend")
    with connect(db_path) as db:
        assert db.counts()["guest_orders"] == 0
        assert "total_spend" in db.table("customer_value").columns
    raw = duckdb.connect(str(db_path), read_only=True)
    try:
        assert raw.execute("SELECT count(*) FROM guest_orders").fetchone()[0] == 0
    finally:
        raw.close()


def test_lines_of_a_guest_order_may_be_loaded_on_their_own(db):
    db.ingest("orders", pd.DataFrame({"InvoiceNo": ["9"], "StockCode": ["P1"], "Quantity": [1],
                                      "InvoiceDate": ["2024-01-02"], "UnitPrice": [2.0],
                                      "CustomerID": [None]}))
    assert db.counts()["guest_orders"] == 1
    report = db.ingest("order_lines", pd.DataFrame({
        "order_id": ["9"], "line_no": [2], "product_id": ["P1"], "quantity": [3]}))
    assert report.rows_inserted == 1


def test_a_dry_run_of_a_file_that_repeats_its_keys_says_a_load_would_stop(db, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,customer_id,ordered_at,amount\n" + "".join(
        f"1,c1,2024-01-0{d},5\n" for d in range(1, 5)), encoding="utf-8")
    report = db.ingest("orders", path, dry_run=True, create_customers=True)
    assert report.warnings[0].startswith("'orders.csv': 3 of 4 rows (75%) repeat the order_id")
    assert "A load would stop here" in report.warnings[0]


def test_the_line_columns_and_rules_are_documented():
    from pathlib import Path

    from valuecrm.store.ingest.line_items import LINE_FILE

    text = (Path(__file__).parents[2] / "docs" / "line-items.md").read_text(encoding="utf-8")
    for column in LINE_FILE.column_names:
        assert f"| `{column}`" in text, column
    for rule in ("Exact duplicate", "Adjustment", "Negative price", "Stock correction",
                 "cancellation prefix", "Guest lines", "gross of returns", "net of returns"):
        assert rule in text, rule
    assert LINE_MESSAGE in " ".join(text.replace("> ", "").split())


def test_an_order_export_with_a_product_and_a_price_stays_an_order_file(db):
    """One row per order naming its main product: its Total is the amount, not qty x price;
    mapping a line column explicitly makes it a line file."""
    orders = pd.DataFrame({"Order No": ["1", "2"], "Customer No": ["c1", "c1"],
                           "Order Date": ["2024-01-02", "2024-01-03"], "SKU": ["P1", "P2"],
                           "Qty": [2, 1], "Price": [10.0, 5.0], "Total": [18.0, 5.0]})
    report = db.ingest("orders", orders, create_customers=True)
    assert report.lines is None and report.rows_inserted == 2
    assert db.raw.execute("SELECT sum(amount) FROM orders").fetchone()[0] == 23.0
    report = db.ingest("orders", orders, mapping={"Price": "unit_price"})
    assert report.lines is not None
    assert db.raw.execute("SELECT sum(amount) FROM orders").fetchone()[0] == 25.0


def test_a_line_load_that_fails_at_the_end_writes_nothing(db, tmp_path, monkeypatch):
    import valuecrm.store.ingest as ingest_package

    path = tmp_path / "lines.csv"
    path.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                    "1,P1,2,2024-01-02,3.50,c1\n"
                    "2,P1,two,2024-01-03,3.50,c1\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ingest_package, "write_rejects", broken)
    with pytest.raises(OSError, match="disk full"):
        db.ingest("orders", path, create_customers=True, on_error="skip")
    assert all(n == 0 for n in db.counts().values())
    monkeypatch.undo()
    report = db.ingest("orders", path, create_customers=True, on_error="skip")
    assert report.rows_loaded == 1 and tmp_path.joinpath("lines.rejects.csv").is_file()


def test_a_line_file_with_an_amount_column_is_read_as_lines_when_its_orders_repeat(db):
    """A till export: 单号, 商品编号, 数量, 单价, 金额 (the line's amount), several lines per
    order: read as lines (金额 is ignored; the value is 数量 x 单价)."""
    lines = pd.DataFrame({"单号": ["1", "1", "2"], "会员号": ["c1", "c1", "c2"],
                          "下单时间": ["2024-01-02", "2024-01-02", "2024-01-03"],
                          "商品编号": ["P1", "P2", "P1"], "数量": [2, 1, 1],
                          "单价": [3.0, 4.0, 3.0], "金额": [6.0, 4.0, 3.0]})
    report = db.ingest("orders", lines, create_customers=True)
    assert report.lines is not None and report.lines.orders == 2
    assert db.raw.execute("SELECT order_id, amount FROM orders ORDER BY 1").fetchall() == [
        ("1", 10.0), ("2", 3.0)]


def test_an_order_file_with_a_product_column_stops_at_its_first_repeated_order(db):
    """Few lines per invoice (1 repeat in 4 rows) is still a line file: no row is kept."""
    lines = pd.DataFrame({"InvoiceNo": ["1", "1", "2", "3"], "StockCode": ["P1", "P2", "P1",
                                                                             "P3"],
                          "Quantity": [1, 2, 1, 1], "InvoiceDate": ["2024-01-02"] * 4,
                          "UnitPrice": [1.0, 2.0, 1.0, 3.0], "CustomerID": ["c1"] * 4})
    with pytest.raises(SchemaError, match=r"1 of 4 rows \(25%\) repeat the order_id") as stopped:
        db.ingest("orders", lines, mapping={"UnitPrice": "amount"}, on_error="skip",
                  create_customers=True)
    assert LINE_MESSAGE in str(stopped.value)
    assert db.counts()["orders"] == 0

