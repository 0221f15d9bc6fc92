"""The campaigns page: every campaign with its status, effect and decision, in both languages,
for every role (it holds no personal data)."""

from __future__ import annotations

import datetime as dt

from tests.helpers.campaigns import campaign_database
from tests.helpers.web import signed_in, stray_english
from valuecrm.actions.campaigns import (
    assign_campaign,
    decide_campaign,
    launch_campaign,
    measure_campaign,
    plan_campaign,
)
from valuecrm.store import connect
from valuecrm.synthetic.campaign_responses import plant_campaign_responses


def test_the_campaigns_page_lists_status_effect_and_decision(tmp_path):
    path = campaign_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        plan_campaign(database, name="Spring win-back", kind="winback", channel="email",
                      target="segment:Loyal", start="2025-01-01", campaign_id="K1")
        assign_campaign(database, "K1", control_share=0.3, seed=1)
        launch_campaign(database, "K1")
        plant_campaign_responses(database, "K1", lift=0.2, seed=1)
        measure_campaign(database, "K1", as_of=dt.datetime(2025, 3, 1))
        decide_campaign(database, "K1", "scale", "It works.")
        plan_campaign(database, name="Later", kind="loyalty", channel="sms",
                      target="tier:VIP", campaign_id="K2")
    for client, _ in signed_in(path, "page-viewer", "viewer"):
        english = client.get("/campaigns", params={"lang": "en"}).text
        assert "Spring win-back" in english and "scale" in english and "not measured" in english
        assert "@example.com" not in english and "Customer 1" not in english
        chinese = client.get("/campaigns", params={"lang": "zh-CN"}).text
        assert "营销活动" in chinese and "扩大" in chinese and "已评估" not in chinese
        assert "已决策" in chinese and "已计划" in chinese and "未评估" in chinese
        assert 'href="/campaigns"' in chinese


def test_the_page_words_are_chinese():
    from valuecrm.interfaces.web.i18n import TEXT

    for key in ("campaigns", "campaigns_intro", "no_campaigns", "effect_ci", "not_measured",
                "no_control_group"):
        assert stray_english(TEXT[key][1]) == [], key


def test_a_campaign_without_a_control_group_says_it_cannot_be_measured(tmp_path):
    """Campaigns sent to chosen customers only (the Complete Journey's) are not 'not measured
    yet': they cannot be measured, and the page says why."""
    path = campaign_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        plan_campaign(database, name="Mailer", kind="other", channel="mail",
                      target="segment:Loyal", campaign_id="K9")
        database.raw.execute("INSERT INTO campaign_members (campaign_id, customer_id, \"group\") "
                             "SELECT 'K9', customer_id, 'treatment' FROM customers LIMIT 5")
    for client, _ in signed_in(path, "page-viewer", "viewer"):
        english = client.get("/campaigns", params={"lang": "en"}).text
        assert "no control group: not measurable" in english and "selection, not effect" in english
        chinese = client.get("/campaigns", params={"lang": "zh-CN"}).text
        assert "无对照组：无法评估效果" in chinese
