"""The cross-sell page (top rules by lift, a chart, cross-buying by segment; for analysts the
next best products with campaign-list downloads) in both languages, and the actions tried on
a segment, tier or status shown where those groups are (RFM, value and overview pages)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pandas as pd
import pytest

from tests.helpers.campaigns import campaign_database
from tests.helpers.web import signed_in, stray_english
from valuecrm.actions.campaigns import (
    assign_campaign,
    launch_campaign,
    measure_campaign,
    plan_campaign,
)
from valuecrm.store import connect
from valuecrm.synthetic.campaign_responses import plant_campaign_responses


@pytest.fixture(scope="module")
def base(web_data, tmp_path_factory):
    path = tmp_path_factory.mktemp("cross-sell-page") / "crm.duckdb"
    shutil.copy(web_data.path, path)
    return path


def test_viewers_see_rules_and_figures_but_no_customer(base):
    for client, _ in signed_in(base, "xs-viewer", "viewer"):
        english = client.get("/cross-sell", params={"lang": "en"})
        assert english.status_code == 200
        html = english.text
        assert "Cross-buying by segment" in html and "Champions" in html
        assert "Association rules at the category level" in html and "chart-rules" in html
        assert "Per-customer lists are for analysts" in html
        assert "/cross-sell/next-best.csv" not in html and 'href="/customers/C' not in html
        assert client.get("/cross-sell/next-best.csv").status_code == 403
        chinese = client.get("/cross-sell", params={"lang": "zh-CN", "level": "product"}).text
        assert "交叉销售" in chinese and "各细分的交叉购买" in chinese and "冠军客户" in chinese
        assert "商品层级的关联规则" in chinese
        assert 'href="/cross-sell"' in chinese  # in the navigation, group "act and check"


def test_analysts_get_the_next_best_products_and_downloads(base):
    for client, _ in signed_in(base, "xs-analyst", "analyst"):
        html = client.get("/cross-sell", params={"lang": "en"}).text
        assert "Next best products" in html and 'href="/customers/C' in html
        for kind in ("next-best", "up-sell"):
            csv = client.get(f"/cross-sell/{kind}.csv")
            assert csv.status_code == 200 and csv.text.startswith("\ufeffcustomer_id,rank,")
            parquet = client.get(f"/cross-sell/{kind}.parquet")
            frame = pd.read_parquet(io.BytesIO(parquet.content))
            assert len(frame) == len(csv.text.strip().splitlines()) - 1
    with connect(base, read_only=True) as database:
        audit = database.raw.execute("SELECT target FROM _valuecrm_audit WHERE action = 'export' "
                                     "AND target LIKE 'cross-sell/%'").fetchall()
    assert {t for (t,) in audit} == {"cross-sell/next-best", "cross-sell/up-sell"}


def test_the_page_words_are_chinese():
    from valuecrm.interfaces.web.i18n import TEXT

    for key in ("cross_sell", "cross_buying", "mean_categories", "multi_category_share",
                "main_category_share", "top_rules", "next_best_products", "actions_tried",
                "no_actions_tried", "lists_for_analysts"):
        assert stray_english(TEXT[key][1]) == [], key


def test_a_groups_page_shows_the_actions_tried_on_it(tmp_path):
    path = campaign_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        plan_campaign(database, name="Loyal cross-sell", kind="cross_sell", channel="email",
                      target="segment:Loyal", start="2025-01-01", campaign_id="K1")
        assign_campaign(database, "K1", control_share=0.3, seed=1)
        launch_campaign(database, "K1")
        plant_campaign_responses(database, "K1", lift=0.2, seed=1)
        measure_campaign(database, "K1", as_of=dt.datetime(2025, 3, 1))
        plan_campaign(database, name="VIP upgrade", kind="up_sell", channel="sms",
                      target="tier:VIP", campaign_id="K2")
        effect = database.raw.execute("SELECT difference, ci_low FROM campaign_results "
                                      "WHERE campaign_id = 'K1' AND outcome = 'purchase'"
                                      ).fetchone()
    for client, _ in signed_in(path, "page-viewer", "viewer"):
        rfm = client.get("/rfm", params={"lang": "en"}).text
        assert "Actions tried on these groups" in rfm and "Loyal cross-sell" in rfm
        assert f"{effect[0]:+.4f} [{effect[1]:+.4f}," in rfm and "VIP upgrade" not in rfm
        value = client.get("/value", params={"lang": "zh-CN"}).text
        assert "对这些客户群尝试过的行动" in value and "VIP upgrade" in value
        assert "未评估" in value and "Loyal cross-sell" not in value
        overview = client.get("/overview", params={"lang": "en"}).text
        assert "No campaign has targeted these groups yet." in overview


def test_products_are_shown_by_name_with_their_id(base):
    from valuecrm.views import cross_sell

    with connect(base, read_only=True) as database:
        names = dict(database.raw.execute("SELECT product_id, name FROM products").fetchall())
        rule = cross_sell.rules(database, level="product", min_support=0.001,
                                max_len=2, top=20)["rules"][0]
        offer = cross_sell.next_best(database)["customers"][0]
    name = names[rule["consequent"]]
    assert name and name != rule["consequent"]
    for client, _ in signed_in(base, "xs-names", "analyst"):
        for lang in ("en", "zh-CN"):
            html = client.get("/cross-sell", params={"lang": lang, "level": "product"}).text
            assert f'<span title="{rule["consequent"]}">{name}</span>' in html
            assert f'<small class="note">{rule["consequent"]}</small>' in html
            chart = re.search(r'id="figure-rules">(.*?)</script>', html, re.S).group(1)
            assert name in chart and rule["consequent"] not in chart
            assert (f'title="{offer["product"]}">{offer["product_name"]}<br><small class="note">'
                    f'{offer["product"]}</small>') in html
