"""The acquisition and referral value section of the "Who they are / 客户画像" page: the answers
of valuecrm.views.acquisition, in both languages, with its charts; no referral says so."""

from __future__ import annotations

import pandas as pd

from tests.helpers.acquired import hand_made
from tests.helpers.data import insert, orders_frame, store_snapshot
from tests.helpers.web import page_figures, page_text, signed_in, stray_english
from valuecrm.store import connect


def test_the_section_in_both_languages(db_path):
    with connect(db_path) as database:
        hand_made(database)
    for client, _ in signed_in(db_path, "ana"):
        english = client.get("/profile?lang=en&source=first_category")
        chinese = client.get("/profile?lang=zh-CN")
        bad = client.get("/profile?source=weather")
    assert english.status_code == chinese.status_code == 200
    text = page_text(english.text)
    assert "Where valuable customers come from" in text and "Do the sources differ?" in text
    assert 'option value="first_category" selected' in english.text
    figures = page_figures(english.text)
    assert figures["acquisition"]["data"][0]["x"] == ["Home", "Apparel", "Books"]
    assert figures["acquisition"]["data"][0]["y"] == [200.0, 100 / 3, 100.0]
    assert figures["acquisition_equity"]["data"][0]["y"][0] == 400 / 600
    assert "Equity with referral value (CLV + CRV)" in text and "985" in text
    assert "66.7% of customer equity is held by customers who came by referral" in text
    assert "Kumar, Petersen & Leone" in text
    zh = page_text(chinese.text)
    assert "有价值的客户从哪里来" in zh and "门店" in zh and "未记录" in zh
    assert "含推荐价值的客户资产" in zh and "推荐价值" in zh
    assert stray_english(zh) == []
    assert bad.status_code == 422


def test_no_referral_says_so(db_path):
    with connect(db_path) as database:
        insert(database, "customers", pd.DataFrame({"customer_id": ["a"],
                                                    "signup_channel": ["web"]}))
        insert(database, "orders", orders_frame([("a", "2024-01-01", 5.0)]))
        store_snapshot(database, "2024-06-30", pd.DataFrame({"customer_id": ["a"],
                                                             "clv": [4.0]}))
    for client, _ in signed_in(db_path, "ana"):
        english = client.get("/profile?lang=en")
        chinese = client.get("/profile?lang=zh-CN")
    assert english.status_code == chinese.status_code == 200
    assert "No referral is recorded up to" in page_text(english.text)
    assert "没有推荐记录" in page_text(chinese.text)
