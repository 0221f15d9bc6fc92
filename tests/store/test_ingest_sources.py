"""Sources of Database.ingest: file formats, encodings, whole-file problems, line numbers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from valuecrm.errors import IngestError, SourceError

CUSTOMERS = pd.DataFrame({
    "customer_id": ["c1", "c2", "c3"],
    "name": ["张伟", "王芳", "Zoë"],
    "signup_at": ["2024-01-05 08:00:00", "2024-02-01 00:00:00", "2024-03-01 10:00:00"],
    "birth_year": [1980, 1990, 2000],
})


def names(db) -> dict[str, str]:
    return dict(db.raw.execute("SELECT customer_id, name FROM customers").fetchall())


def test_gbk_csv_from_chinese_excel_is_detected(db, tmp_path):
    source = tmp_path / "客户.csv"
    CUSTOMERS.to_csv(source, index=False, encoding="gbk", errors="replace")
    report = db.ingest("customers", source)
    assert report.encoding == "gb18030"
    assert names(db)["c1"] == "张伟" and names(db)["c2"] == "王芳"


def test_gbk_after_a_long_ascii_start_is_still_read(db, tmp_path):
    """The sample is plain ASCII; the Chinese names come after it (DuckDB then finds bad UTF-8)."""
    rows = [f"a{i},name {i}" for i in range(20_000)] + ["c1,张伟", "c2,王芳"]
    source = tmp_path / "late.csv"
    source.write_bytes(("customer_id,name\n" + "\n".join(rows) + "\n").encode("gbk"))
    report = db.ingest("customers", source)
    assert report.encoding == "gb18030" and report.rows_inserted == 20_002
    assert names(db)["c2"] == "王芳"


def test_stated_encoding_wins(db, tmp_path):
    source = tmp_path / "latin.csv"
    source.write_bytes("customer_id,name\nc1,Zoë Müller\n".encode("latin-1"))
    db.ingest("customers", source, encoding="latin-1")
    assert names(db) == {"c1": "Zoë Müller"}


def test_utf8_with_bom(db, tmp_path):
    source = tmp_path / "bom.csv"
    CUSTOMERS.to_csv(source, index=False, encoding="utf-8-sig")
    report = db.ingest("customers", source)
    assert report.rows_inserted == 3 and report.encoding == "utf-8-sig"
    assert names(db)["c3"] == "Zoë"


def test_utf16_unicode_text_from_excel(db, tmp_path):
    source = tmp_path / "unicode.tsv"
    CUSTOMERS.to_csv(source, index=False, sep="\t", encoding="utf-16")
    assert db.ingest("customers", source).rows_inserted == 3
    assert names(db)["c1"] == "张伟"


@pytest.mark.parametrize("suffix", [".tsv", ".parquet", ".xlsx", ".jsonl"])
def test_every_format_loads(db, tmp_path, suffix):
    source = tmp_path / f"customers{suffix}"
    if suffix == ".tsv":
        CUSTOMERS.to_csv(source, index=False, sep="\t")
    elif suffix == ".parquet":
        CUSTOMERS.assign(signup_at=pd.to_datetime(CUSTOMERS.signup_at)).to_parquet(source)
    elif suffix == ".xlsx":
        CUSTOMERS.assign(signup_at=pd.to_datetime(CUSTOMERS.signup_at)).to_excel(
            source, index=False)
    else:
        source.write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                    for r in CUSTOMERS.to_dict("records")) + "\n",
                          encoding="utf-8")
    report = db.ingest("customers", source)
    assert report.rows_inserted == 3 and report.format == suffix[1:]
    stored = db.raw.execute("SELECT customer_id, name, birth_year, signup_at FROM customers "
                            "ORDER BY customer_id").fetchall()
    assert [row[:3] for row in stored] == [("c1", "张伟", 1980), ("c2", "王芳", 1990),
                                           ("c3", "Zoë", 2000)]
    assert str(stored[0][3]) == "2024-01-05 08:00:00"


def test_xlsx_lines_are_sheet_rows(db, tmp_path):
    source = tmp_path / "customers.xlsx"
    frame = pd.DataFrame({"customer_id": ["c1", None, "c3"], "birth_year": [1980, None, 1700]})
    frame.to_excel(source, index=False)  # row 3 is blank and skipped
    with pytest.raises(IngestError) as caught:
        db.ingest("customers", source)
    assert [(b.line, b.column) for b in caught.value.report.bad_rows] == [(4, "birth_year")]


def test_jsonl_lines(db, tmp_path):
    source = tmp_path / "customers.jsonl"
    source.write_text('{"customer_id": "c1", "birth_year": 1980}\n'
                      '{"customer_id": "c2", "birth_year": "old"}\n', encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        db.ingest("customers", source)
    assert [(b.line, b.value) for b in caught.value.report.bad_rows] == [(2, "old")]


def test_header_only_file_loads_nothing_with_a_warning(db, tmp_path):
    source = tmp_path / "orders.csv"
    source.write_text("order_id,customer_id,ordered_at,amount\n", encoding="utf-8")
    report = db.ingest("orders", source)
    assert (report.rows_read, report.rows_loaded) == (0, 0)
    assert report.warnings == ["'orders.csv' has a header but no rows: nothing to load."]


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b""), "The file 'orders.csv' is empty (0 bytes)."),
    (lambda p: p.write_bytes(bytes(range(256)) * 40),
     "'orders.csv' is not a text CSV: it contains binary data"),
    (lambda p: None, "does not exist."),
])
def test_unusable_files_are_source_errors(db, tmp_path, make, message):
    source = tmp_path / "orders.csv"
    make(source)
    with pytest.raises(SourceError) as caught:
        db.ingest("orders", source)
    assert message in caught.value.message
    assert caught.value.status == 400
    assert db.counts()["orders"] == 0


def test_zip_file_named_csv_is_not_text(db, tmp_path):
    source = tmp_path / "orders.csv"
    CUSTOMERS.to_excel(source.with_suffix(".xlsx"), index=False)
    source.write_bytes(source.with_suffix(".xlsx").read_bytes())
    with pytest.raises(SourceError, match="is not a text CSV"):
        db.ingest("customers", source)


def test_unknown_extension_lists_the_known_ones(db, tmp_path):
    source = tmp_path / "customers.xls"
    source.write_bytes(b"whatever")
    with pytest.raises(SourceError) as caught:
        db.ingest("customers", source)
    assert "cannot read .xls files ('customers.xls')" in caught.value.message
    assert ".csv" in caught.value.message and "save it as .xlsx" in caught.value.hint


def test_broken_parquet_is_a_source_error(db, tmp_path):
    source = tmp_path / "customers.parquet"
    source.write_text("not parquet", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot be read as parquet"):
        db.ingest("customers", source)


def test_line_numbers_follow_quoted_newlines_and_malformed_rows(db, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text(
        "customer_id,name,birth_year\n"    # line 1
        'c1,"two\nlines",1980\n'           # lines 2-3
        "c2,extra,1980,oops\n"             # line 4: too many fields
        "c3,ok,1850\n"                     # line 5: below minimum
        'c4,"three\nmore\nlines",1700\n'   # lines 6-8
        "c5,ok,1600\n",                    # line 9
        encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        db.ingest("customers", source)
    report = caught.value.report
    assert report.rows_read == 5 and report.rows_rejected == 4
    assert [(b.line, b.column, b.value) for b in report.bad_rows] == [
        (4, "", "c2,extra,1980,oops"), (5, "birth_year", "1850"), (6, "birth_year", "1700"),
        (9, "birth_year", "1600")]
    assert report.bad_rows[0].reason.startswith("malformed row: Expected Number of Columns: 3")
    skipped = db.ingest("customers", source, on_error="skip")
    assert skipped.rows_loaded == 1
    rejects = pd.read_csv(tmp_path / "customers.rejects.csv", dtype=str)
    assert rejects["line"].tolist() == ["4", "5", "6", "9"]
    assert rejects["reason"][0].endswith(": c2,extra,1980,oops")


def test_rejects_of_a_gbk_file_open_in_excel(db, tmp_path):
    source = tmp_path / "customers.csv"
    source.write_bytes("customer_id,name,birth_year\nc1,张伟,1980\nc2,王芳,1800\n".encode("gbk"))
    db.ingest("customers", source, on_error="skip")
    rejects = (tmp_path / "customers.rejects.csv").read_bytes()
    assert rejects.startswith(b"\xef\xbb\xbf")
    assert "c2,王芳,1800,3,birth_year,below the minimum 1900" in rejects.decode("utf-8-sig")
