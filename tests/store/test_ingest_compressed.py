"""Files as shops send them: gzip and zip, Excel workbooks of several sheets, product codes
with letters, descriptions in other encodings; errors name the file, member or sheet and row."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.cli import run
from valuecrm.errors import IngestError, SourceError
from valuecrm.store import connect

PRODUCTS = pd.DataFrame({
    "product_id": ["85123A", "POST", "22423", "C2"],
    "name": ["WHITE HANGING HEART T-LIGHT HOLDER", "POSTAGE", "Crème brûlée dish", "运费"],
    "unit_price": ["2.55", "18.00", "12.75", "40.00"],
})


def products(db) -> dict[str, str]:
    return dict(db.raw.execute("SELECT product_id, name FROM products").fetchall())


def gzipped(path: Path, data: bytes) -> Path:
    with gzip.open(path, "wb") as out:
        out.write(data)
    return path


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8", sep: str = ",") -> bytes:
    return frame.to_csv(index=False, sep=sep).encode(encoding)


@pytest.mark.parametrize(("name", "sep"), [("products.csv.gz", ","), ("products.tsv.gz", "\t"),
                                         ("PRODUCTS.CSV.GZ", ",")])
def test_gzip_text_loads_like_the_plain_file(db, tmp_path, name, sep):
    source = gzipped(tmp_path / name, csv_bytes(PRODUCTS, sep=sep))
    report = db.ingest("products", source)
    assert report.rows_inserted == 4 and report.format == name.split(".")[1].lower()
    assert products(db) == dict(zip(PRODUCTS.product_id, PRODUCTS.name, strict=True))


def test_gzip_jsonl_loads(db, tmp_path):
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in PRODUCTS.to_dict("records"))
    report = db.ingest("products", gzipped(tmp_path / "p.jsonl.gz", lines.encode()))
    assert report.rows_inserted == 4 and products(db)["C2"] == "运费"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "latin-1"])
def test_gzip_in_another_encoding_is_detected_and_read(db, tmp_path, encoding):
    frame = PRODUCTS if encoding != "latin-1" else PRODUCTS[PRODUCTS.product_id != "C2"]
    source = gzipped(tmp_path / "p.csv.gz", csv_bytes(frame, encoding))
    report = db.ingest("products", source, encoding="latin-1" if encoding == "latin-1" else None)
    assert report.encoding == ("utf-16" if encoding == "utf-16" else encoding)
    assert products(db)["22423"] == "Crème brûlée dish"
    if encoding != "latin-1":
        assert products(db)["C2"] == "运费"


def test_gzip_bad_row_line_counts_blank_lines(db, tmp_path):
    text = "product_id,name,unit_price\nA1,one,1\n\nA2,two,lots\n"
    with pytest.raises(IngestError) as caught:
        db.ingest("products", gzipped(tmp_path / "p.csv.gz", text.encode()))
    [bad] = caught.value.report.bad_rows
    assert (bad.line, bad.column, bad.value) == (4, "unit_price", "lots")
    assert "'p.csv.gz' was refused" in caught.value.message


def test_gzip_rejects_file_is_named_after_the_data(db, tmp_path):
    text = "product_id,name,unit_price\nA1,one,1\nA2,two,lots\n"
    report = db.ingest("products", gzipped(tmp_path / "p.csv.gz", text.encode()),
                       on_error="skip")
    assert report.rows_inserted == 1 and Path(report.rejects_path).name == "p.rejects.csv"


def test_gzip_of_parquet_is_refused_with_advice(db, tmp_path):
    source = gzipped(tmp_path / "p.parquet.gz", b"PAR1")
    with pytest.raises(SourceError, match=re.escape("gzip-compressed .csv, .tsv and .jsonl")):
        db.ingest("products", source)


def test_damaged_gzip_is_a_source_error(db, tmp_path):
    source = tmp_path / "p.csv.gz"
    source.write_bytes(gzip.compress(csv_bytes(PRODUCTS))[:40])
    with pytest.raises(SourceError, match=re.escape("'p.csv.gz'")):
        db.ingest("products", source)


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_one_file_loads_it(db, tmp_path):
    source = zipped(tmp_path / "export.zip", {"__MACOSX/._products.csv": b"x",
                                              "data/products.csv": csv_bytes(PRODUCTS, "gb18030")})
    report = db.ingest("products", source)
    assert report.rows_inserted == 4 and report.encoding == "gb18030"
    assert products(db)["C2"] == "运费"


def test_zip_with_several_files_lists_them_and_loads_the_one_named(db, tmp_path):
    source = zipped(tmp_path / "export.zip", {"products.csv": csv_bytes(PRODUCTS),
                                              "readme.txt": b"hello"})
    with pytest.raises(SourceError) as caught:
        db.ingest("products", source)
    assert "holds 2 files: products.csv, readme.txt" in caught.value.message
    assert "member" in caught.value.hint and "--member" not in caught.value.hint
    assert db.ingest("products", source, member="products.csv").rows_inserted == 4
    with pytest.raises(SourceError,
                       match=re.escape("no file named 'nope.csv'; it holds: products.csv")):
        db.ingest("products", source, member="nope.csv")


def test_zip_bad_row_names_the_member_and_the_archive(db, tmp_path):
    text = b"product_id,name,unit_price\nA1,one,1\nA2,two,lots\n"
    source = zipped(tmp_path / "export.zip", {"products.csv": text})
    with pytest.raises(IngestError) as caught:
        db.ingest("products", source)
    assert "'products.csv' in 'export.zip' was refused" in caught.value.message
    assert "line 3, column unit_price, value 'lots'" in caught.value.message


def test_member_of_a_file_that_is_not_a_zip_is_refused(db, tmp_path):
    source = tmp_path / "p.csv"
    source.write_bytes(csv_bytes(PRODUCTS))
    with pytest.raises(SourceError, match="member names a file inside a zip archive"):
        db.ingest("products", source, member="p.csv")


def workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    with pd.ExcelWriter(path) as writer:
        for title, frame in sheets.items():
            frame.to_excel(writer, sheet_name=title, index=False)
    return path


def test_excel_sheets_with_the_same_columns_are_stacked(db, tmp_path):
    second = PRODUCTS.iloc[2:][["unit_price", "name", "product_id"]]  # same columns, other order
    source = workbook(tmp_path / "p.xlsx", {"2009-2010": PRODUCTS.iloc[:2], "2010-2011": second,
                                            "Notes": pd.DataFrame({"note": ["from the till"]})})
    report = db.ingest("products", source)
    assert report.rows_inserted == 4
    assert products(db) == dict(zip(PRODUCTS.product_id, PRODUCTS.name, strict=True))
    [warning] = report.warnings
    assert "Sheet 'Notes' of 'p.xlsx' was not loaded" in warning
    assert "alone with sheet 'Notes'" in warning


def test_excel_named_sheet_is_the_only_one_read(db, tmp_path):
    source = workbook(tmp_path / "p.xlsx", {"a": PRODUCTS.iloc[:1], "b": PRODUCTS.iloc[1:]})
    assert db.ingest("products", source, sheet="b").rows_inserted == 3
    assert "85123A" not in products(db)


def test_bad_row_of_a_stacked_workbook_names_its_sheet_and_row(db, tmp_path):
    bad = PRODUCTS.iloc[2:].assign(unit_price=["12.75", "lots"])
    source = workbook(tmp_path / "p.xlsx", {"Year 1": PRODUCTS.iloc[:2], "Year 2": bad})
    with pytest.raises(IngestError) as caught:
        db.ingest("products", source)
    [row] = caught.value.report.bad_rows
    assert (row.sheet, row.line, row.column, row.value) == ("Year 2", 3, "unit_price", "lots")
    assert "sheet 'Year 2', row 3, column unit_price, value 'lots'" in caught.value.message
    assert caught.value.report.to_dict()["bad_rows"][0]["sheet"] == "Year 2"
    report = db.ingest("products", source, on_error="skip")
    rejects = pd.read_csv(report.rejects_path, dtype=str, encoding="utf-8-sig")
    assert rejects[["sheet", "line", "column"]].values.tolist() == [["Year 2", "3", "unit_price"]]


def test_cli_member_and_sheet_options(db_path, tmp_path, monkeypatch, capsys):
    connect(db_path).close()
    archive = zipped(tmp_path / "export.zip", {"a.csv": csv_bytes(PRODUCTS.iloc[:2]),
                                               "b.csv": csv_bytes(PRODUCTS.iloc[2:])})
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "products", str(archive))
    assert result.code == 2 and "--member NAME" in result.err
    result = run(monkeypatch, capsys, "--db", str(db_path), "ingest", "products", str(archive),
                 "--member", "b.csv", "--json")
    assert result.code == 0 and json.loads(result.out)["rows_inserted"] == 2
