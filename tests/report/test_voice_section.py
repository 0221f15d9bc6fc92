"""The report's "Voice of the customer / 客户之声" section on a generated database with survey
answers, in both languages: its figures are the read layer's; a database without answers has
no such section (test_report.py: the CDNOW sample's titles)."""

from __future__ import annotations

import re

import pytest

from valuecrm.store import connect
from valuecrm.views.voice_index import voice_index
from valuecrm.views.voice_scores import voice_nps

TITLES = {"en": "Voice of the customer", "zh-CN": "客户之声"}
QUADRANTS = {"en": ("keep up the good work", "concentrate here", "low priority",
                    "possible overkill"),
             "zh-CN": ("继续保持", "重点改进", "次要改进", "可能过度投入")}


@pytest.fixture(scope="module")
def reports(voice_db, tmp_path_factory) -> dict[str, str]:
    from valuecrm.report.builder import build_report

    folder = tmp_path_factory.mktemp("voice-report")
    with connect(voice_db, read_only=True) as database:
        return {lang: build_report(database, lang=lang).write(folder / f"{lang}.html")
                .read_text("utf-8") for lang in TITLES}


@pytest.fixture(scope="module")
def views(voice_db):
    with connect(voice_db, read_only=True) as database:
        return voice_nps(database), voice_index(database)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_section_in_both_languages(reports, views, lang):
    sections = re.findall(r"<section id=\"s\d+\">(.*?)</section>", reports[lang], flags=re.S)
    voice = [s for s in sections if f"<h2>{TITLES[lang]}</h2>" in s]
    assert len(voice) == 1
    section = voice[0]
    nps, index = views
    assert f"{nps['nps']:.1f}" in section and f"{nps['lower']:.1f}" in section
    satisfaction = next(i for i in index["indices"] if i["construct"] == "Satisfaction")
    assert f"{satisfaction['index']:.1f}" in section
    assert section.count("Plotly.newPlot") == 3  # the NPS band, the index, the IPMA
    for name in QUADRANTS[lang]:
        assert name in section, name
    method, source = ("<b>Method:</b>", "<b>Source:</b>") if lang == "en" else ("方法", "来源")
    assert method in section and source in section
    if lang == "zh-CN":
        assert "PLS 路径模型" in section and "Shapley（LMG）" in section


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_each_method_is_a_paragraph_of_its_own(reports, lang):
    from valuecrm.i18n.voice import REPORT_VOICE_METHOD

    section = next(s for s in re.findall(r"<section id=\"s\d+\">(.*?)</section>", reports[lang],
                                         flags=re.S) if f"<h2>{TITLES[lang]}</h2>" in s)
    note = re.search(r'<div class="method-note">(.*?)</div>', section, flags=re.S).group(1)
    assert note.count("<p>") == len(REPORT_VOICE_METHOD) + 1  # the methods, then the source
