"""The report's "Where valuable customers come from" section and the overview's equity with
referral value, in both languages, from the same views as the CLI, API and dashboard."""

from __future__ import annotations

import re

import valuecrm
from valuecrm.views.acquisition import referral_summary


def _section(html: str, title: str) -> str:
    start = html.rindex(f">{title}<")  # the heading, not the table of contents
    end = html.find("<section", start)
    return html[start:end if end > 0 else None]


def test_the_section_and_the_overview_figure(acquired_db):
    with valuecrm.connect(acquired_db, read_only=True) as database:
        english = valuecrm.build_report(database).render()
        chinese = valuecrm.build_report(database, lang="zh-CN").render()
        referrals = referral_summary(database)
    section = _section(english, "Where valuable customers come from")
    assert "Mean CLV by signup channel, with its 95% interval" in section
    assert "Kruskal-Wallis H" in section and "Kumar, Petersen &amp; Leone" in section
    with_referrals = f"{referrals['equity_with_referrals']:,.0f}"
    assert with_referrals in section and f"{referrals['crv']:,.0f}" in section
    # the overview keeps customer equity and shows the other figure beside it, labelled
    overview = english[:english.rindex(">Where valuable customers come from<")]
    assert "customer equity with referral value" in overview and with_referrals in overview
    assert re.search(r"counts each\s+referred customer twice", english)
    zh = _section(chinese, "有价值的客户从哪里来")
    assert "各注册渠道的客户数与价值" in zh and "含推荐价值的客户资产" in zh and "门店" in zh


def test_no_referral_and_one_source_leave_the_section_out(db):
    import pandas as pd

    from tests.helpers.data import insert, orders_frame, store_snapshot
    from valuecrm.report.acquisition_section import acquisition_section
    from valuecrm.report.html import Report

    insert(db, "orders", orders_frame([("c1", "2024-01-01", 5.0)]))
    store_snapshot(db, "2024-06-30", pd.DataFrame({"customer_id": ["c1"], "clv": [3.0]}))
    report = Report("t")
    assert acquisition_section(report, db, 1, source="s") is False and not report.sections
