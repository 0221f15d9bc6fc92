"""The "Loyalty / 会员忠诚计划" page: liability, breakage, tiers and moves, members against
non-members labelled as selection, and the what-if form, in both languages; viewers see
counts, analysts who changes tier; an empty ledger and bad form values give a clear page."""

from __future__ import annotations

import re

from tests.helpers.loyalty import loyalty_database, with_earlier_snapshot
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


def test_the_tier_moves_between_two_snapshots_in_both_languages(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    earlier = with_earlier_snapshot(path)
    for client, _ in signed_in(path, "moves-viewer", "viewer"):
        default = client.get("/loyalty", params={"lang": "en"}).text
        assert "Compare the tiers on the as-of dates of two snapshots" in default
        assert f'<option value="{earlier}">{earlier} · Dec 31, 2024</option>' in default
        assert "From Jun 1, 2024 to Jun 1, 2025." in default  # the default: the year to the
        # last ledger entry
        chosen = client.get("/loyalty", params={"lang": "zh-CN", "moves_from": earlier,
                                                "moves_to": 1}).text
        assert f'<option value="{earlier}" selected>' in chosen
        assert "比较两个快照截至日的会员等级" in chosen and "起始快照" in chosen
        assert "自 2024年12月31日 至 2025年12月31日。" in chosen
        assert "升级 1 人，降级 0 人，新入会 1 人。" in chosen
        assert stray_english(_visible(chosen)) == [], stray_english(_visible(chosen))
        assert f'<input type="hidden" name="moves_from" value="{earlier}">' in chosen
        short = client.get("/loyalty", params={"lang": "en", "moves_from": 1,
                                               "moves_to": 1}).text
        assert "From Dec 31, 2025 to Dec 31, 2025." in short
        assert "0 moved up, 0 moved down, 0 joined." in short
        missing = client.get("/loyalty", params={"moves_from": 9, "lang": "en"})
        assert missing.status_code == 404 and "There is no snapshot 9" in missing.text


def test_user_named_tiers_stay_as_written_among_chinese_words(tmp_path, monkeypatch):
    path = loyalty_database(tmp_path / "crm.duckdb")
    rules = tmp_path / "rules.yaml"
    rules.write_text("name: Club Aurora\ntiers:\n  levels:\n    - {name: Starter, min: 0}\n"
                     "    - {name: Aurora Plus, min: 1000}\n")
    monkeypatch.setenv("VALUECRM_LOYALTY_RULES", str(rules))
    for client, _ in signed_in(path, "named-viewer", "viewer"):
        html = client.get("/loyalty", params={"lang": "zh-CN"}).text
    assert "Aurora Plus" in html and "Club Aurora" in html  # user data, as written
    words = _visible(html)
    for name in ("Aurora Plus", "Club Aurora", "Starter"):
        words = words.replace(name, " ")
    assert stray_english(words) == [], stray_english(words)
