"""The report in Simplified Chinese: ``valuecrm report --lang zh-CN`` and
``build_report(..., lang="zh-CN")``; every heading, label and table header in Chinese, numbers
with thousands separators in both languages, and ``--pdf`` naming the CJK font package it needs
(issue 12, point 14)."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers.cli import run
from tests.helpers.web import ALLOWED_LATIN, stray_english

SECTIONS_ZH = ["客户基础", "RFM 分群", "客户终身价值（CLV）",
               "客户价值表：状态、生命周期、价值矩阵、金字塔", "行动名单：保留与赢回",
               "该信任哪个购买模型", "模型参数"]
# model names and the R / F score axes may stay as they are
ALLOWED = ALLOWED_LATIN | {"Pareto/NBD", "MBG/NBD", "Gamma", "MAE", "RMSE", "BIC", "P(alive))"}
# the report's own words: title, navigation, headings, figure labels and notes, captions, headers
OWN_WORDS = re.compile(r"<(h1|h2|nav|th|div class=\"label\"|div class=\"method\"|"
                       r"p class='caption')[^>]*>(.*?)</(?:h1|h2|nav|th|div|p)>", re.S)


def strays(html: str) -> list[tuple[str, str]]:
    found = []
    for tag, text in OWN_WORDS.findall(re.sub(r"<script.*?</script>", "", html, flags=re.S)):
        plain = re.sub(r"<[^>]+>", " ", text)
        found += [(tag, word) for word in stray_english(plain) if word not in ALLOWED]
    return found


@pytest.fixture(scope="module")
def reports(sample_db) -> dict[str, str]:
    from valuecrm.report.builder import build_report
    from valuecrm.store import connect

    with connect(sample_db, read_only=True) as database:
        return {lang: build_report(database, lang=lang).render() for lang in ("en", "zh-CN")}


def test_every_heading_label_and_header_is_chinese(reports):
    html = reports["zh-CN"]
    assert '<html lang="zh-CN">' in html
    assert re.findall(r"<h2>(.*?)</h2>", html) == SECTIONS_ZH
    assert strays(html) == []
    assert html.count("<b>方法：</b>") == html.count("<b>来源：</b>") == len(SECTIONS_ZH)
    assert "冠军客户" in html and "流失客户" in html  # label values, in Chinese
    # method notes are sentences in Chinese: no run of English words outside names and commands
    notes = re.findall(r'<div class="method-note">(.*?)</div>', html, flags=re.S)
    paragraphs = [p for note in notes for p in re.findall(r"<p>(.*?)</p>", note, flags=re.S)]
    assert len(paragraphs) > len(notes)  # a section may give its methods a paragraph each
    for note in (p for p in paragraphs if "<b>来源：</b>" not in p):
        words = re.sub(r"valuecrm[\w. -]*|\b[A-Z][\w/]*|exp\(log|floor|rank_min", " ", note)
        assert not re.search(r"\b[a-z]{3,}(?:\s+[a-z]{2,}){1,}", words), note
    assert strays(reports["en"]) != []  # the check finds English where there is some


def test_numbers_have_thousands_separators_in_both_languages(reports):
    assert "第 1 号快照，截至 1998-06-30（2,357 位客户）" in reports["zh-CN"]
    for html in reports.values():
        rows = re.findall(r"<tr>\s*<td>.*?</td>(.*?)</tr>", html, flags=re.S)  # not the ids
        cells = [c for row in rows for c in re.findall(r"<td>([\d,.\-]+)</td>", row)]
        assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", cell) for cell in cells)
        assert [c for c in cells if re.fullmatch(r"-?\d{4,}(\.\d+)?", c)] == []


def test_the_command_writes_the_chinese_report(monkeypatch, capsys, sample_db, tmp_path):
    out = tmp_path / "报告.html"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--lang", "zh-CN",
                 "--out", str(out), "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["sections"] == SECTIONS_ZH
    assert "<h1>valuecrm 报告：客户价值</h1>" in out.read_text("utf-8")
    wrong = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--lang", "fr",
                "--out", str(tmp_path / "fr.html"))
    assert wrong.code == 2 and "'--lang' parameter of valuecrm report must be one of en, zh-CN" \
        in wrong.err


def test_pdf_names_the_cjk_font_package_when_none_is_installed(monkeypatch, capsys, sample_db,
                                                               tmp_path):
    from valuecrm.report import pdf

    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])  # as on a machine without CJK fonts
    html, printed = tmp_path / "zh.html", tmp_path / "zh.pdf"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--lang", "zh-CN",
                 "--out", str(html), "--pdf", str(printed))
    assert result.code != 0 and "apt-get install fonts-noto-cjk" in result.err
    assert "--lang zh-CN" in result.err
    assert html.exists() and not printed.exists()


def test_the_font_check_asks_fontconfig():
    from valuecrm.report.pdf import cjk_fonts

    found = cjk_fonts()
    assert found is None or all(isinstance(name, str) and name for name in found)
