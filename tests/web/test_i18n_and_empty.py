"""Formats of the two languages, the zh-CN checker itself, and the page before any analysis."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from tests.helpers.web import stray_english
from valuecrm.interfaces.web.i18n import TEXT, Translator, pick_language


def test_numbers_and_dates_in_both_languages():
    en, zh = Translator("en"), Translator("zh-CN")
    assert en.number(1234.5, 1) == zh.number(1234.5, 1) == "1,234.5"
    assert en.date(dt.date(2024, 1, 5)) == "Jan 5, 2024"
    assert zh.date(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert zh.date("2024-11-30T10:00:00") == "2024年11月30日"
    assert zh.label("Champions") == "冠军客户" and en.label("at risk") == "At risk"
    assert zh.label("high value, low potential") == "高价值低潜力"
    assert en.number(float("nan")) == "–"


def test_every_chinese_label_is_free_of_english():
    leaks = {key: stray_english(chinese) for key, (_, chinese) in TEXT.items()
             if stray_english(chinese)}
    assert leaks == {}


def test_the_stray_english_check_catches_english():
    assert stray_english("客户 Customers 与 RFM、CLV、P(alive) 和 BetaGeo") == ["Customers"]


@pytest.mark.parametrize(("query", "cookie", "accept", "expected"), [
    ("zh-CN", "en", None, "zh-CN"), (None, "zh-CN", "en", "zh-CN"),
    (None, None, "zh-CN,zh;q=0.9", "zh-CN"), ("fr", None, "en-GB", "en"),
])
def test_language_choice(query, cookie, accept, expected):
    assert pick_language(query, cookie, accept) == expected


def test_no_snapshot_page_says_to_run_analyze(db_path):
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user
    from valuecrm.synthetic import generate

    generate(20, db=db_path, seed=1)
    with connect(db_path) as database:
        token = add_user(database.raw, "empty-admin", "admin")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    with TestClient(create_app(db_path)) as client:
        assert client.post("/login", data={"token": token}).status_code == 200
        for lang, phrase in (("en", "There is no analysis yet."), ("zh-CN", "尚无分析结果")):
            for path in ("/overview", "/rfm", "/value", "/lifecycle", "/models"):
                page = client.get(path, params={"lang": lang})
                assert page.status_code == 200
                assert phrase in page.text and "valuecrm analyze" in page.text
        assert client.get("/customers").status_code == 200
