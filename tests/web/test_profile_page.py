"""The "Who they are / 客户画像" page: the profile of valuecrm.views.profiles, in both languages,
with its two charts; a base without attributes says how to get them."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers.data import insert, orders_frame, store_snapshot
from tests.helpers.profiled import profiled_database
from tests.helpers.web import page_figures, page_text, signed_in, stray_english
from valuecrm.store import connect


def test_the_page_shows_the_profile_in_both_languages(db_path):
    with connect(db_path) as database:
        profiled_database(database)
    for client, _ in signed_in(db_path, "ana"):
        english = client.get("/profile?by=income_band&lang=en")
        chinese = client.get("/profile?by=income_band&lang=zh-CN")
        default = client.get("/profile?lang=en")
    assert english.status_code == chinese.status_code == 200
    text = page_text(english.text)
    assert "Who they are" in text and "Do the groups differ?" in text
    assert text.index("Under 15K") < text.index("15-24K") < text.index("250K+")
    assert "Kruskal-Wallis H" in text and "Cramér's V" in text
    figures = page_figures(english.text)
    assert figures["value"]["data"][0]["x"] == ["Under 15K", "15-24K", "250K+"]
    mix = figures["mix"]["data"]
    assert len(mix) == 8 and {trace["type"] for trace in mix} == {"bar"}
    assert sum(trace["y"][0] for trace in mix) == pytest.approx(1.0)  # one whole group
    zh = page_text(chinese.text)
    assert "客户画像" in zh and "收入段" in zh and "各组之间是否有差异" in zh
    assert stray_english(zh.replace("Under 15K", "").replace("K+", "")) == []
    assert 'option value="age" selected' in default.text  # age is the default attribute


def test_without_attributes_the_page_says_how_to_get_them(db_path):
    with connect(db_path) as database:
        insert(database, "customers", pd.DataFrame({"customer_id": ["a"]}))
        insert(database, "orders", orders_frame([("a", "2024-01-01", 5.0)]))
        store_snapshot(database, "2024-06-30", pd.DataFrame({"customer_id": ["a"]}))
    for client, _ in signed_in(db_path, "ana"):
        page = client.get("/profile?lang=zh-CN")
    assert page.status_code == 200
    assert "尚无取值多于一种的客户属性" in page.text
