"""Extra columns of a customers file are kept as typed customer attributes (schema version 2)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from valuecrm.store import SCHEMA_VERSION, connect


def _attributes(db) -> dict[tuple[str, str], tuple[str, str]]:
    rows = db.raw.execute("SELECT customer_id, name, value, type FROM customer_attributes"
                          ).fetchall()
    return {(c, n): (v, t) for c, n, v, t in rows}


def test_extra_columns_are_kept_with_their_inferred_types(db, tmp_path: Path):
    path = tmp_path / "customers.csv"
    path.write_text("Customer ID,Age Band,Kids,Score,Member,Since,Gender\n"
                    "a,19-24,1,1.5,yes,2020-01-02,female\n"
                    "b,,2,2,no,2021-03-04,male\n"
                    "c,65+,,-3e2,yes,2022-05-06,\n", encoding="utf-8")
    report = db.ingest("customers", path)
    assert report.attributes == {"age_band": "string", "kids": "integer", "score": "number",
                                 "member": "boolean", "since": "date"}
    assert report.attribute_values == 13
    assert "Kept 5 extra columns as customer attributes" in report.summary()
    assert not any(w.startswith("ignored") for w in report.warnings)
    got = _attributes(db)
    assert got[("a", "age_band")] == ("19-24", "string")
    assert ("b", "age_band") not in got and ("c", "kids") not in got
    assert got[("c", "score")] == ("-3e2", "number")
    assert db.raw.execute("SELECT gender FROM customers WHERE customer_id = 'a'"
                          ).fetchone() == ("female",)


def test_loading_again_replaces_values_and_an_empty_value_removes_one(db):
    db.ingest("customers", pd.DataFrame({"customer_id": ["a", "b"], "tier": ["x", "y"],
                                         "age": ["30", "40"]}))
    report = db.ingest("customers", pd.DataFrame({"customer_id": ["a", "b"],
                                                  "tier": ["z", None]}))
    assert report.attributes == {"tier": "string"}
    got = _attributes(db)
    assert got[("a", "tier")] == ("z", "string")
    assert ("b", "tier") not in got
    assert got[("b", "age")] == ("40", "integer")  # a column absent from the file is kept


def test_a_dry_run_says_which_attributes_it_would_keep_and_writes_none(db):
    report = db.ingest("customers", pd.DataFrame({"customer_id": ["a"], "age": ["30"]}),
                       dry_run=True)
    assert report.attributes == {"age": "integer"}
    assert "Kept 1 extra column as customer attributes: age (integer)." in report.summary()
    assert _attributes(db) == {}


def test_rejected_rows_keep_no_attributes(db):
    frame = pd.DataFrame({"customer_id": ["a", "b"], "birth_year": ["1980", "not a year"],
                          "age": ["40", "50"]})
    db.ingest("customers", frame, on_error="skip")
    assert set(_attributes(db)) == {("a", "age")}


def test_other_tables_still_warn_about_columns_they_ignore(db):
    db.ingest("customers", pd.DataFrame({"customer_id": ["a"]}))
    report = db.ingest("products", pd.DataFrame({"product_id": ["p"], "colour": ["red"]}))
    assert any("ignored 1 column(s)" in w for w in report.warnings)


def test_a_version_1_database_is_migrated(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as raw:
        raw.execute("CREATE TABLE _valuecrm_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        raw.execute("INSERT INTO _valuecrm_meta VALUES ('schema_version', '1')")
        raw.execute("CREATE TABLE products (product_id VARCHAR NOT NULL, name VARCHAR, "
                    "category VARCHAR, subcategory VARCHAR, brand VARCHAR, unit_price DOUBLE, "
                    "unit_cost DOUBLE, PRIMARY KEY (product_id))")
        raw.execute("INSERT INTO products (product_id, category) VALUES ('p1', 'tea')")
    with connect(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        db.ingest("products", pd.DataFrame({"product_id": ["p1"], "department": ["drinks"]}))
        assert db.raw.execute("SELECT category, department FROM products").fetchall() == [
            ("tea", "drinks")]
        assert db.counts()["customer_attributes"] == 0
        assert db.counts()["coupon_redemptions"] == 0
