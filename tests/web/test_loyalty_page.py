"""The "Loyalty / 会员忠诚计划" page: liability, breakage, tiers and moves, members against
non-members labelled as selection, and the what-if form, in both languages; viewers see
counts, analysts who changes tier; an empty ledger and bad form values give a clear page."""

from __future__ import annotations

import re

from tests.helpers.loyalty import loyalty_database
from tests.helpers.web import signed_in, stray_english

WHAT_IF = {"what_if": "true", "bonus_category": "Electronics", "bonus_multiplier": "3",
           "tier_min": "0,1000,1500,15000", "months": "12"}


def _visible(html: str) -> str:
    """The page's words, without scripts, code, the category list and the user's name."""
    html = re.sub(r"<(script|pre|select)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<span class="raw">[^<]*</span>', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_page_in_both_languages_with_the_what_if(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    for client, _ in signed_in(path, "page-analyst", "analyst"):
        english = client.get("/loyalty", params={"lang": "en", **WHAT_IF})
        assert english.status_code == 200
        text = english.text
        assert 'href="/loyalty"' in text and "Points liability" in text
        assert "Selection, not effect:" in text and "Tier moves" in text
        assert 'id="chart-tier_mix"' in text and 'id="chart-tier_moves"' in text
        assert "1 members would change tier (1 up, 0 down)." in text
        assert 'href="/customers/A"' in text  # the analyst sees who moves
        chinese = client.get("/loyalty", params={"lang": "zh-CN", **WHAT_IF}).text
        assert "会员忠诚计划" in chinese and "积分负债" in chinese and "这是自选择差异" in chinese
        assert stray_english(_visible(chinese)) == [], stray_english(_visible(chinese))


def test_viewers_see_the_counts_but_not_who_moves(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    for client, _ in signed_in(path, "page-viewer", "viewer"):
        text = client.get("/loyalty", params={"lang": "en", **WHAT_IF}).text
        assert "1 members would change tier" in text
        assert "/customers/A" not in text and "example.com" not in text
        assert "Analysts and administrators see who changes tier." in text


def test_bad_form_values_are_shown_not_crashed(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    for client, _ in signed_in(path, "page-analyst", "analyst"):
        answer = client.get("/loyalty", params={**WHAT_IF, "tier_min": "0,5000,1000"})
        assert answer.status_code == 200
        assert "the tiers overlap or are out of order" in answer.text
        assert "members would change tier" not in answer.text


def test_an_empty_ledger_gives_a_clear_page(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb", ledger=False)
    for client, _ in signed_in(path, "page-viewer", "viewer"):
        for lang, words in (("en", "The loyalty ledger is empty"), ("zh-CN", "积分流水为空")):
            answer = client.get("/loyalty", params={"lang": lang, **WHAT_IF})
            assert answer.status_code == 200 and words in answer.text
            assert "valuecrm ingest loyalty_ledger" in answer.text


def test_the_page_words_are_chinese():
    from valuecrm.interfaces.web.i18n import TEXT

    keys = [k for k in TEXT if k.startswith(("loyalty", "tier_", "what_if", "rules_"))]
    assert len(keys) > 10
    for key in keys:
        assert stray_english(TEXT[key][1]) == [], key
