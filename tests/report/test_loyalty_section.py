"""The report's loyalty section: the read layer's figures as of the snapshot's day, the
members against non-members labelled as selection, in both languages; left out for an empty
ledger."""

from __future__ import annotations

from tests.helpers.loyalty import loyalty_database
from valuecrm.report.builder import build_report
from valuecrm.store import connect


def _section(report, title):
    return next((s for s in report.sections if s.title == title), None)


def test_the_section_shows_liability_cohorts_tiers_and_selection(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        english = build_report(database)
        chinese = build_report(database, lang="zh-CN")
    section = _section(english, "Loyalty programme")
    assert "3 members hold 400 points; at 0.01 a point the points liability is 4.00" in (
        section.intro)
    html = english.render()
    assert "Selection, not effect" in html and "Tier moves from 2024-12-31 to 2025-12-31" in html
    assert "year issued" in html and "33.3%" in html
    zh = chinese.render()
    assert "会员忠诚计划" in zh and "这是自选择差异" in zh and "银卡" in zh


def test_an_empty_ledger_leaves_the_section_out(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb", ledger=False)
    with connect(path) as database:
        report = build_report(database)
    assert _section(report, "Loyalty programme") is None
