"""Common Chinese and English column names and values are recognised, values can be mapped
(options, a mapping file), and a dry run shows what a load would do (issue 12, point 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from valuecrm.errors import IngestError, ParameterError, SchemaError
from valuecrm.store.ingest import CLI
from valuecrm.store.ingest.mapping import normalise
from valuecrm.store.ingest.synonyms import HEADERS, VALUES
from valuecrm.store.schema import TABLES

CUSTOMERS = ("客户编号,姓名,性别,城市,手机,邮箱,出生年份\n"
             "C1,王小明,男,上海,13812345678,wang@example.com,1990\n"
             "C2,李华,女,北京,13900000000,li@example.com,1985\n"
             "C3,张伟,保密,广州,,,\n")
ORDERS = ("订单号,客户编号,下单时间,金额,状态\n"
          "O1,C1,2024-01-05 10:00,100,已完成\n"
          "O2,C1,2024-02-05 10:00,50,已取消\n"
          "O3,C2,2024-03-05 10:00,-20,已退货\n"
          "O4,C2,2024-03-06 10:00,30,退款\n"
          "O5,C3,2024-03-07 10:00,80,交易成功\n"
          "O6,C3,2024-03-08 10:00,70,已完成\n")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_every_column_has_a_chinese_name_and_no_name_is_ambiguous():
    for table in TABLES.values():
        names = HEADERS[table.name]
        assert set(names) == set(table.column_names), table.name
        seen: dict[str, str] = {}
        for column, synonyms in names.items():
            assert any("\u4e00" <= ch <= "\u9fff" for s in synonyms for ch in s), column
            for synonym in synonyms:
                key = normalise(synonym)
                assert key not in table.column_names, (table.name, synonym)
                assert seen.setdefault(key, column) == column, (table.name, synonym)


def test_every_recognised_value_is_a_canonical_one():
    for column, by_value in VALUES.items():
        owners = [t.column(column) for t in TABLES.values() if column in t.column_names]
        allowed = {c for spec in owners for c in spec.choices} | {""}
        assert set(by_value) <= allowed, column


def test_chinese_headers_and_values_load_from_gbk_files(db, tmp_path):
    """The analyst's files: Chinese headers, 男/女 and 已完成, exported by Chinese Excel."""
    customers = db.ingest("customers", write(tmp_path / "客户.csv", CUSTOMERS, "gbk"))
    orders = db.ingest("orders", write(tmp_path / "订单.csv", ORDERS, "gbk"))
    assert customers.encoding == "gb18030" and customers.rows_loaded == 3
    assert orders.rows_loaded == 6 and orders.rows_rejected == 0
    assert {(u.source, u.column, u.how) for u in orders.columns} == {
        ("订单号", "order_id", "recognised"), ("客户编号", "customer_id", "recognised"),
        ("下单时间", "ordered_at", "recognised"), ("金额", "amount", "recognised"),
        ("状态", "status", "recognised")}
    assert {(u.value, u.to, u.rows) for u in orders.values} == {
        ("已完成", "completed", 2), ("已取消", "cancelled", 1), ("已退货", "returned", 1),
        ("退款", "returned", 1), ("交易成功", "completed", 1)}
    assert "status '已完成' as completed (2 rows)" in orders.summary()
    assert "gender '保密' as no value (1 row)" in customers.summary()
    stored = db.raw.execute("SELECT customer_id, gender, city, phone FROM customers "
                            "ORDER BY 1").fetchall()
    assert stored == [("C1", "male", "上海", "13812345678"), ("C2", "female", "北京",
                      "13900000000"), ("C3", None, "广州", None)]
    assert db.raw.execute("SELECT status, count(*) FROM orders GROUP BY 1 ORDER BY 1"
                          ).fetchall() == [("cancelled", 1), ("completed", 3), ("returned", 2)]


def test_english_headers_from_excel(db, tmp_path):
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    path = tmp_path / "orders.xlsx"
    pd.DataFrame({"Order No": ["o1", "o2"], "Customer ID": ["c1", "c1"],
                  "Order Date": ["2024-01-05", "2024-01-06"], "Total": [10.5, 20],
                  "Order Status": ["Completed", "Refunded"]}).to_excel(path, index=False)
    report = db.ingest("orders", path)
    assert report.rows_loaded == 2
    assert {u.source: (u.column, u.how) for u in report.columns} == {
        "Order No": ("order_id", "recognised"), "Customer ID": ("customer_id", "name"),
        "Order Date": ("ordered_at", "recognised"), "Total": ("amount", "recognised"),
        "Order Status": ("status", "recognised")}
    assert [(u.value, u.to, u.how) for u in report.values] == [("Refunded", "returned",
                                                                 "recognised")]


def test_the_paid_amount_wins_over_the_order_amount_and_it_is_said(db, tmp_path):
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    source = write(tmp_path / "o.csv", "订单号,客户编号,下单时间,订单金额,实付金额\n"
                                       "o1,c1,2024-01-05,100,90\n")
    report = db.ingest("orders", source)
    assert ("实付金额", "amount", "recognised") in {(u.source, u.column, u.how)
                                                    for u in report.columns}
    assert any("订单金额 could also be amount; 实付金额 was used" in w for w in report.warnings)
    assert db.raw.execute("SELECT amount FROM orders").fetchone()[0] == 90


def test_given_value_mappings_win_and_an_empty_one_stores_no_value(db, tmp_path):
    source = write(tmp_path / "c.csv", "id,sex\na,M.\nb,F.\nc,x\nd,男\n")
    report = db.ingest("customers", source, mapping={"id": "customer_id", "sex": "gender"},
                       values={"gender": {"m.": "Male", "F.": "female", "X": "",
                                          "男": "other"}})
    assert report.rows_loaded == 4
    assert db.raw.execute("SELECT gender FROM customers ORDER BY customer_id").fetchall() == [
        ("male",), ("female",), (None,), ("other",)]
    assert {(u.value, u.to, u.how, u.rows) for u in report.values} == {
        ("M.", "male", "given", 1), ("F.", "female", "given", 1), ("x", "", "given", 1),
        ("男", "other", "given", 1)}


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_mapping_file_holds_columns_and_values(db, tmp_path, suffix):
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    body = {"columns": {"单据": "order_id"}, "values": {"gender": {"M.": "male"}},
            "orders": {"values": {"status": {"OK": "completed", "no": "cancelled"}}},
            "customers": {"columns": {"unused": "name"}}}
    text = json.dumps(body, ensure_ascii=False) if suffix == "json" else (
        "columns:\n  单据: order_id\nvalues:\n  gender: {M.: male}\norders:\n  values:\n"
        "    status: {OK: completed, no: cancelled}\ncustomers:\n  columns: {unused: name}\n")
    mapping = write(tmp_path / f"map.{suffix}", text)
    source = write(tmp_path / "o.csv", "单据,客户编号,下单时间,金额,状态\n"
                                       "o1,c1,2024-01-05,10,ok\no2,c1,2024-01-06,5,No\n")
    report = db.ingest("orders", source, mapping_file=mapping)
    assert report.rows_loaded == 2  # 'no' stays text in YAML: not the boolean false
    assert ("单据", "order_id", "given") in {(u.source, u.column, u.how) for u in report.columns}
    assert db.raw.execute("SELECT status FROM orders ORDER BY 1").fetchall() == [
        ("cancelled",), ("completed",)]


def test_options_win_over_the_mapping_file(db, tmp_path):
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    mapping = write(tmp_path / "map.yaml", "values:\n  status:\n    ok: cancelled\n")
    source = write(tmp_path / "o.csv", "order_id,customer_id,ordered_at,amount,status\n"
                                       "o1,c1,2024-01-05,10,ok\n")
    db.ingest("orders", source, mapping_file=mapping, values={"status": {"ok": "completed"}})
    assert db.raw.execute("SELECT status FROM orders").fetchone()[0] == "completed"


def test_bad_mappings_name_the_file_the_column_and_the_value(db, tmp_path):
    source = write(tmp_path / "c.csv", "customer_id,性别\na,男\n")
    mapping = write(tmp_path / "map.yaml", "values:\n  gender:\n    男: man\n")
    with pytest.raises(SchemaError) as bad_value:
        db.ingest("customers", source, mapping_file=mapping)
    assert str(bad_value.value.message) == (
        "'map.yaml': values[\"gender\"][\"男\"]: 'man' is not a value of customers.gender, "
        "so '男' cannot be read as it.")
    assert "female, male, other" in bad_value.value.hint
    with pytest.raises(SchemaError, match=r'values\["sex"\]\["m"\]: the customers table has '
                                          r"no column 'sex'"):
        db.ingest("customers", source, values={"sex": {"m": "male"}})
    with pytest.raises(SchemaError, match=r"--map 'a=b': the customers table has no column "
                                          "'b'"):
        from valuecrm.interfaces.commands.ingest import parse_mappings

        db.ingest("customers", source, mapping=parse_mappings(["a=b"]), wording=CLI)
    broken = write(tmp_path / "broken.yaml", "columns: [a, b\n")
    with pytest.raises(ParameterError, match=r"The mapping file 'broken\.yaml' is not valid YAML"):
        db.ingest("customers", source, mapping_file=broken)
    assert db.counts()["customers"] == 0


def test_a_dry_run_shows_the_mappings_counts_and_a_sample_and_writes_nothing(db, tmp_path):
    db.ingest("customers", write(tmp_path / "c.csv", CUSTOMERS))
    db.ingest("orders", write(tmp_path / "first.csv", ORDERS.split("\n", 2)[0] + "\n"
                              + ORDERS.split("\n")[1] + "\n"))
    bad = ORDERS + "O7,C9,2024-03-09 10:00,5,已完成\n"
    source = write(tmp_path / "orders.csv", bad)
    before = db.counts()
    loads = db.raw.execute("SELECT count(*) FROM _valuecrm_loads").fetchone()[0]
    report = db.ingest("orders", source, dry_run=True)  # reject mode: no refusal raised
    assert report.dry_run and report.rows_read == 7 and report.rows_rejected == 1
    assert (report.rows_inserted, report.rows_updated) == (5, 1)  # O1 is already stored
    assert report.bad_rows[0].value == "C9"
    assert report.sample[0] == {"order_id": "O1", "customer_id": "C1",
                                "ordered_at": "2024-01-05 10:00:00", "amount": 100.0,
                                "status": "completed"}
    assert len(report.sample) == 5
    text = report.summary()
    assert text.startswith("Dry run, nothing was written")
    assert "状态 -> status (recognised)" in text and "A load would refuse the whole file" in text
    assert db.counts() == before
    assert db.raw.execute("SELECT count(*) FROM _valuecrm_loads").fetchone()[0] == loads
    assert not (tmp_path / "orders.rejects.csv").exists()
    assert json.loads(json.dumps(report.to_dict()))["columns"][0] == {
        "source": "订单号", "column": "order_id", "how": "recognised"}


def test_a_refusal_with_no_good_row_does_not_offer_to_load_them(db, tmp_path):
    source = write(tmp_path / "o.csv", "order_id,customer_id,ordered_at,amount\n"
                                       "o1,nobody,2024-01-05,10\n")
    with pytest.raises(IngestError) as refused:
        db.ingest("orders", source, wording=CLI)
    assert "0 good rows" not in refused.value.hint
    assert "no row is good, so --on-error skip would load nothing" in refused.value.hint
    assert "on_error=" not in refused.value.hint


def test_a_refused_value_hints_at_mapping_it_in_the_users_words(db, tmp_path):
    db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
    source = write(tmp_path / "o.csv", "order_id,customer_id,ordered_at,amount,status\n"
                                       "o1,c1,2024-01-05,10,completed\n"
                                       "o2,c1,2024-01-05,10,Finished\n")
    with pytest.raises(IngestError) as refused:
        db.ingest("orders", source, wording=CLI)
    hint = refused.value.hint
    assert "load the 1 good row with --on-error skip: the bad ones then go to o.rejects.csv" in hint
    assert "--value 'status:Finished=completed'" in hint
    with pytest.raises(IngestError) as refused:
        db.ingest("orders", source)
    assert "on_error='skip'" in refused.value.hint
    assert "values={\"status\": {\"Finished\": \"completed\"}}" in refused.value.hint


def test_the_mapping_file_example_in_the_docs_works(db, tmp_path):
    doc = (Path(__file__).parents[2] / "docs" / "schema.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    mapping = write(tmp_path / "map.yaml", example)
    customers = db.ingest("customers", write(tmp_path / "c.csv", "客户编号,性别\nA,M.\nB,-\n"),
                          mapping_file=mapping)
    source = write(tmp_path / "o.csv", "单据号,客户编号,下单时间,成交金额,状态\n"
                                       "o1,A,2024-01-05,10,已付款\n")
    orders = db.ingest("orders", source, mapping_file=mapping)
    assert customers.rows_loaded == 2 and orders.rows_loaded == 1
    assert db.raw.execute("SELECT gender FROM customers ORDER BY 1").fetchall() == [
        ("male",), (None,)]
    assert db.raw.execute("SELECT order_id, amount, status FROM orders").fetchall() == [
        ("o1", 10.0, "completed")]
