"""The report's cross-sell section on a generated base with a catalogue: the cross-buying
figures of the read layer, the category rules, in both languages; left out when no product
has a category (the CDNOW reports of test_report.py)."""

from __future__ import annotations

import re

import pytest

from tests.helpers.web import stray_english
from valuecrm.views import cross_sell


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.store import connect
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("report-cross-sell") / "crm.duckdb"
    generate(300, db=path, seed=5)
    with connect(path) as database:
        analyze(database, config=AnalysisConfig(candidates=("BetaGeo",)))
    return path


def _section(html: str, title: str) -> str:
    start = html.rindex(title)  # the heading, after the navigation
    return html[start:html.index("</section>", start)]


@pytest.mark.slow
def test_the_section_shows_the_read_layer_figures(base):
    from valuecrm.report.builder import build_report
    from valuecrm.store import connect

    with connect(base, read_only=True) as database:
        english = build_report(database).render()
        chinese = build_report(database, lang="zh-CN").render()
        buying = cross_sell.cross_buying(database)
        rules = cross_sell.rules(database, level="category", min_support=0.01, top=15)
    section = _section(english, "Cross-sell: how broadly customers buy")
    figures = buying["figures"]
    assert f"{figures['mean_categories']:.2f} / 8" in section
    assert f"{figures['multi_category_share']:.1%}" in section
    assert "Cross-buying by RFM segment" in section and "Champions" in section
    assert f"{rules['n_rules']:,} category rules from {rules['n_baskets']:,} baskets" in section
    assert "Method:" in english and "Verhoef &amp; Donkers 2005" in section
    zh = _section(chinese, "交叉销售：客户购买的广度")
    assert "各 RFM 细分的交叉购买" in zh and "冠军客户" in zh and "提升度" in zh
    labels = re.findall(r"<div class=\"label\">(.*?)</div>", zh)
    assert labels and all(stray_english(label) == [] for label in labels)
