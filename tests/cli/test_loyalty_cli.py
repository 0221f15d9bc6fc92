"""``valuecrm loyalty``: the read layer's answers as text or JSON, a rules file checked before
anything is read, and an empty ledger answered in words."""

from __future__ import annotations

import json

from tests.helpers.cli import run
from tests.helpers.loyalty import loyalty_database, with_earlier_snapshot
from valuecrm.store import connect
from valuecrm.views import loyalty

TRIPLE = ("earn:\n  bonus_categories: {Electronics: 3}\ntiers:\n  levels:\n"
          "    - {name: bronze, min: 0}\n    - {name: silver, min: 1000}\n"
          "    - {name: gold, min: 1500}\n")


def test_summary_json_is_the_view_and_the_text_names_the_figures(tmp_path, monkeypatch,
                                                                  capsys):
    path = loyalty_database(tmp_path / "crm.duckdb")
    with connect(path, read_only=True) as database:
        expected = loyalty.loyalty_overview(database)
    result = run(monkeypatch, capsys, "--db", str(path), "loyalty", "summary", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(expected))
    text = run(monkeypatch, capsys, "--db", str(path), "loyalty", "summary").out
    assert "400 points outstanding x 0.01 = liability 4.00" in text
    assert "breakage 33.3% over 1 closed cohorts" in text


def test_members_tiers_and_value(tmp_path, monkeypatch, capsys):
    path = loyalty_database(tmp_path / "crm.duckdb")
    members = run(monkeypatch, capsys, "--db", str(path), "loyalty", "members", "--json")
    assert [r["customer_id"] for r in json.loads(members.out)["rows"]] == ["A", "C", "B"]
    tiers = run(monkeypatch, capsys, "--db", str(path), "loyalty", "tiers", "--from",
                "2024-12-31").out
    assert "1 up, 0 down, 1 same, 1 joined" in tiers
    value = run(monkeypatch, capsys, "--db", str(path), "loyalty", "value").out
    assert "selection, not effect" in value and "non-members" in value


def test_what_if_with_a_rules_file(tmp_path, monkeypatch, capsys):
    path = loyalty_database(tmp_path / "crm.duckdb")
    rules = tmp_path / "triple.yaml"
    rules.write_text(TRIPLE, encoding="utf-8")
    result = run(monkeypatch, capsys, "--db", str(path), "loyalty", "what-if", "--rules",
                 str(rules), "--as-of", "2025-12-31", "--members", "--json")
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert found["difference"]["points_net"] == 400
    assert found["members"] == [{"customer_id": "A", "tier_current": "silver",
                                 "tier_changed": "gold", "qualifying_current": 1300.0,
                                 "qualifying_changed": 1700.0}]
    text = run(monkeypatch, capsys, "--db", str(path), "loyalty", "what-if", "--rules",
               str(rules), "--as-of", "2025-12-31", "--members").out
    assert "1 members change tier (1 up, 0 down)" in text and "A  silver -> gold" in text


def test_a_bad_rules_file_exits_2_naming_file_key_and_value(tmp_path, monkeypatch, capsys):
    path = loyalty_database(tmp_path / "crm.duckdb")
    bad = tmp_path / "bad.yaml"
    bad.write_text("tiers:\n  levels:\n    - {name: a, min: 0}\n    - {name: b, min: 500}\n"
                   "    - {name: c, min: 200}\n", encoding="utf-8")
    checked = run(monkeypatch, capsys, "loyalty", "check", str(bad))
    assert checked.code == 2
    assert f"{bad}: tiers.levels[2].min is 200: the tiers overlap or are out of order" in (
        checked.err)
    before = connect(path, read_only=True)
    counts = before.counts()
    before.close()
    tried = run(monkeypatch, capsys, "--db", str(path), "loyalty", "what-if", "--rules", str(bad))
    assert tried.code == 2 and "tiers.levels[2].min" in tried.err
    with connect(path, read_only=True) as database:
        assert database.counts() == counts
    good = tmp_path / "good.yaml"
    good.write_text(TRIPLE, encoding="utf-8")
    ok = run(monkeypatch, capsys, "loyalty", "check", str(good))
    assert ok.code == 0 and "valid" in ok.out and "Electronics x3" in ok.out


def test_an_empty_ledger_is_answered_in_words(tmp_path, monkeypatch, capsys):
    path = loyalty_database(tmp_path / "crm.duckdb", ledger=False)
    for command in ("summary", "members", "tiers", "value"):
        result = run(monkeypatch, capsys, "--db", str(path), "loyalty", command)
        assert result.code == 0, (command, result.err)
        assert "The loyalty ledger is empty" in result.out, command
    as_json = run(monkeypatch, capsys, "--db", str(path), "loyalty", "summary", "--json")
    assert json.loads(as_json.out)["empty"] is True


def test_tier_moves_between_two_snapshots(tmp_path, monkeypatch, capsys):
    path = loyalty_database(tmp_path / "crm.duckdb")
    earlier = with_earlier_snapshot(path)
    moved = run(monkeypatch, capsys, "--db", str(path), "loyalty", "tiers", "--from-snapshot",
                str(earlier), "--to-snapshot", "2025-12-31").out
    assert "Tier moves from 2024-12-31 to 2025-12-31: 1 up, 0 down, 1 same, 1 joined" in moved
    same = json.loads(run(monkeypatch, capsys, "--db", str(path), "loyalty", "tiers",
                          "--from-snapshot", str(earlier), "--json").out)
    with connect(path, read_only=True) as database:
        assert same == loyalty.tier_moves(database, start="2024-12-31")
    both = run(monkeypatch, capsys, "--db", str(path), "loyalty", "tiers", "--from",
               "2024-12-31", "--from-snapshot", str(earlier))
    assert both.code == 2 and "Give --from or --from-snapshot, not both." in both.err
    missing = run(monkeypatch, capsys, "--db", str(path), "loyalty", "tiers", "--to-snapshot",
                  "9")
    assert missing.code != 0 and "There is no snapshot 9" in missing.err
