"""The perceived value and satisfaction x loyalty parts of the report's "Voice of the customer /
客户之声" section, in both languages: their tables are the read layer's figures."""

from __future__ import annotations

import re

import pytest

from valuecrm.report.voice_value_parts import loyalty_quadrants, perceived_value
from valuecrm.report.words import ReportWords
from valuecrm.store import connect
from valuecrm.store.snapshots import get_snapshot

TITLES = {"en": "Voice of the customer", "zh-CN": "客户之声"}


@pytest.fixture(scope="module")
def sections(voice_db, tmp_path_factory) -> dict[str, str]:
    from valuecrm.report.builder import build_report

    folder = tmp_path_factory.mktemp("voice-value-report")
    found = {}
    with connect(voice_db, read_only=True) as database:
        for lang, title in TITLES.items():
            html = build_report(database, lang=lang).write(folder / f"{lang}.html").read_text(
                "utf-8")
            found[lang] = next(s for s in re.findall(r"<section id=\"s\d+\">(.*?)</section>",
                                                     html, flags=re.S)
                               if f"<h2>{title}</h2>" in s)
    return found


@pytest.fixture(scope="module")
def views(voice_db):
    with connect(voice_db, read_only=True) as database:
        sid = get_snapshot(database).snapshot_id
        return perceived_value(database, sid), loyalty_quadrants(database, sid)


@pytest.mark.parametrize("lang", list(TITLES))
def test_the_value_and_loyalty_parts_in_both_languages(sections, views, lang):
    section, t = sections[lang], ReportWords(lang)
    value, quadrants = views
    assert t("voice_value_dim_functional") in section and t("voice_loyalty_defector") in section
    for w in value["weights"]:
        assert f"{w['coefficient']:.3f}".rstrip("0") in section
    assert f"{value['mean_value']:.2f}" in section
    for q in quadrants["quadrants"]:
        assert f"<td>{q['customers']}</td>" in section or f">{q['customers']}<" in section
    assert "Jones &amp; Sasser 1995" in section
