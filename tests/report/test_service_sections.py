"""The report's complaints-and-recovery and journey sections: on a generated shop (complaints,
interactions) both appear in English and Chinese with the views' figures, methods and sources;
on CDNOW (no complaints, no interactions) they are left out (tests/report/test_report_zh.py
pins that section list)."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers.web import ALLOWED_LATIN, stray_english
from valuecrm.analysis import analyze
from valuecrm.report.builder import build_report
from valuecrm.store import connect
from valuecrm.synthetic import generate
from valuecrm.views.voice_service import recovery

pytestmark = pytest.mark.slow  # generates and analyses a 300-customer shop (about 20 s)

# authors of the cited papers and the estimator's name stay as they are in Chinese text
CITED = {"Tax", "Brown", "Chandrashekaran", "Smith", "Bolton", "Wagner", "McCollough",
         "Bharadwaj", "de", "Matos", "Henrique", "Rossi", "HC"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("service-report") / "shop.duckdb"
    generate(300, db=path, seed=5)
    with connect(path) as database:
        analyze(database)
        reports = {lang: build_report(database, lang=lang).render() for lang in ("en", "zh-CN")}
        found = recovery(database)
    return reports, found


def _section(html: str, title: str) -> str:
    start = html.index(f"<h2>{title}</h2>")
    return html[start:html.index("</section>", start)]


def test_both_sections_in_english_with_the_views_figures(shop):
    reports, found = shop
    recovery_html = _section(reports["en"], "Complaints and service recovery")
    assert f"{found['rates']['complaints']:,} complaints" in recovery_html
    assert "HC3" in recovery_html and "The complaints and orders tables of" in recovery_html
    assert "Service-recovery paradox: " + found["retention"]["paradox"]["verdict"] \
        in recovery_html
    journey_html = _section(reports["en"], "Touchpoints and the journey")
    assert "From first contact to first order" in journey_html
    assert "latest interaction within 30 days" in journey_html


def test_chinese_sections_have_no_stray_english(shop):
    reports, _ = shop
    for title in ("投诉与服务补救", "接触点与客户旅程"):
        section = _section(reports["zh-CN"], title)
        text = html.unescape(re.sub(r"<script.*?</script>|<[^>]+>", " ", section, flags=re.S))
        text = re.sub(r"/\S+\.duckdb", " ", text)  # the database's path
        stray = [w for w in stray_english(text) if w not in ALLOWED_LATIN | CITED]
        assert stray == [], stray
        assert "<b>方法：</b>" in section and "<b>来源：</b>" in section
