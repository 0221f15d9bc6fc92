"""'valuecrm acquisition' and 'valuecrm referrals': the views as JSON or tables, with no
referral a clear answer, and errors in the words of the command line."""

from __future__ import annotations

import json

import pandas as pd

from tests.helpers.acquired import hand_made
from tests.helpers.cli import run
from tests.helpers.data import insert, orders_frame, store_snapshot
from valuecrm.store import connect
from valuecrm.views.acquisition import acquisition_sources, referral_list


def test_acquisition_json_is_the_view(db_path, monkeypatch, capsys):
    with connect(db_path) as database:
        hand_made(database)
        expected = acquisition_sources(database, "first_category", top=2)
    result = run(monkeypatch, capsys, "--db", str(db_path), "acquisition", "--by",
                 "first_category", "--top", "2", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(expected))
    result = run(monkeypatch, capsys, "--db", str(db_path), "acquisition")
    assert result.code == 0, result.err
    assert "store" in result.out and "Kruskal-Wallis" in result.out


def test_referrals_json_and_table(db_path, monkeypatch, capsys):
    with connect(db_path) as database:
        hand_made(database)
        expected = referral_list(database, joined_anyway=0.5, limit=20)
    result = run(monkeypatch, capsys, "--db", str(db_path), "referrals", "--joined-anyway",
                 "0.5", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(expected))
    result = run(monkeypatch, capsys, "--db", str(db_path), "referrals")
    assert result.code == 0, result.err
    assert "a1" in result.out and "385.00" in result.out  # the sum of CRV


def test_no_referral_is_a_clear_answer(db_path, monkeypatch, capsys):
    with connect(db_path) as database:
        insert(database, "orders", orders_frame([("c1", "2024-01-01", 5.0)]))
        store_snapshot(database, "2024-06-30", pd.DataFrame({"customer_id": ["c1"],
                                                             "clv": [3.0]}))
    result = run(monkeypatch, capsys, "--db", str(db_path), "referrals")
    assert result.code == 0, result.err
    assert "No referral is recorded up to 2024-06-30" in result.out


def test_bad_options_in_the_words_of_the_command_line(db_path, monkeypatch, capsys):
    with connect(db_path) as database:
        hand_made(database)
    result = run(monkeypatch, capsys, "--db", str(db_path), "acquisition", "--by", "weather")
    assert result.code == 2 and "--by must be one of signup_channel" in result.err
    result = run(monkeypatch, capsys, "--db", str(db_path), "referrals", "--joined-anyway", "2")
    assert result.code == 2 and "--joined-anyway must be a share from 0 to 1" in result.err
