"""``valuecrm report --pdf``: the report printed by Debian's Chromium through Playwright, and a
clear message when either is missing."""

from __future__ import annotations

import re
import sys

import pytest

from tests.helpers.cli import run


def test_pdf_has_the_report_pages(monkeypatch, capsys, sample_db, tmp_path):
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--out", str(html),
                 "--pdf", str(pdf))
    assert result.code == 0, result.err
    assert f"PDF written to {pdf.resolve()}" in result.out
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = max(int(n) for n in re.findall(rb"/Count (\d+)", data))
    assert pages >= 3  # six sections, nine charts: more than a couple of A4 pages
    assert len(data) > 50_000


def test_missing_chromium_says_what_to_install(monkeypatch, capsys, sample_db, tmp_path):
    monkeypatch.setenv("VALUECRM_CHROMIUM", str(tmp_path / "no-chromium"))
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--out", str(html),
                 "--pdf", str(pdf))
    assert result.code == 1
    assert "does not exist" in result.err and "Chromium" in result.err
    assert html.exists() and not pdf.exists()  # the HTML report is kept


def test_missing_playwright_says_what_to_install(monkeypatch, tmp_path):
    from valuecrm.report.pdf import PDFUnavailableError, write_pdf

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    (tmp_path / "r.html").write_text("<p>x</p>")
    with pytest.raises(PDFUnavailableError, match="playwright") as raised:
        write_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    assert "pip install 'valuecrm[pdf]'" in raised.value.hint
