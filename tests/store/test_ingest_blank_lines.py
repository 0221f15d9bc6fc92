"""Blank lines between CSV records (DuckDB skips them) must not shift the reported line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from valuecrm.errors import IngestError
from valuecrm.store.ingest.lines import has_inner_blank_lines


def bad_lines(db, path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(IngestError) as caught:
        db.ingest("customers", path)
    return [(row.line, row.reason) for row in caught.value.report.bad_rows]


def test_duplicate_after_blank_lines_and_a_multiline_field(db, tmp_path, batches):
    path = tmp_path / "customers.csv"
    path.write_text('customer_id,name\nC1,Ann\n\nC2,Bob\n\n\nC3,\nC4,"two\n\nlines"\nC1,again\n',
                    encoding="utf-8")
    [(line, reason)] = bad_lines(db, path)
    assert line == 11 and "same key as line 2" in reason


@pytest.fixture(params=["one batch", "batches of 2"])
def batches(request, monkeypatch) -> None:
    """The record lines written in one batch, or two records at a time."""
    from valuecrm.store.ingest import lines

    if request.param == "batches of 2":
        monkeypatch.setattr(lines, "RECORDS_PER_BATCH", 2)


def test_malformed_row_after_blank_lines(db, tmp_path, batches):
    path = tmp_path / "customers.csv"
    path.write_text('customer_id,name\nC1,"a\nb"\n\nC2,Bob,extra\nC3,x\nC3,y\n', encoding="utf-8")
    rows = bad_lines(db, path)
    assert rows[0][0] == 5 and rows[0][1].startswith("malformed row")
    assert rows[1][0] == 7 and "same key as line 6" in rows[1][1]


def test_skip_mode_after_blank_lines_loads_the_good_rows(db, tmp_path, batches):
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name\r\n\r\nC1,Ann\r\n\r\nC1,dup\r\nC2,Bob\r\n", encoding="utf-8")
    report = db.ingest("customers", path, on_error="skip")
    assert report.rows_loaded == 2
    assert [(row.line, row.column) for row in report.bad_rows] == [(5, "customer_id")]


@pytest.mark.parametrize(("text", "expected"), [
    ("a\n1\n2\n", False), ("a\n1\n2\n\n\n", False), ("a\n\n1\n", True), ("a\r\n1\r\n\r\n2", True),
])
def test_blank_line_detection_ignores_trailing_blank_lines(tmp_path, text, expected):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    assert has_inner_blank_lines(path) is expected


def test_a_clean_file_is_read_once_and_a_bad_gzip_row_keeps_its_line(db, tmp_path, monkeypatch):
    """Line numbers are worked out only for a file with a bad row: a clean gzip file is not
    decompressed a second time in Python to look for blank lines."""
    import gzip

    from valuecrm.store.ingest import csv_reader

    walks: list[Path] = []

    def counted(path: Path) -> bool:
        walks.append(path)
        return has_inner_blank_lines(path)

    monkeypatch.setattr(csv_reader, "has_inner_blank_lines", counted)
    clean, bad = tmp_path / "clean.csv.gz", tmp_path / "bad.csv.gz"
    clean.write_bytes(gzip.compress(b"customer_id,name\nC1,Ann\n\nC2,Bob\n"))
    bad.write_bytes(gzip.compress(b"customer_id,name\nC3,Ann\n\n\nC3,Bob\n"))
    assert db.ingest("customers", clean).rows_loaded == 2
    assert walks == []
    assert bad_lines(db, bad) == [(5, "duplicate customer_id: the same key as line 2")]
    assert walks == [bad]
