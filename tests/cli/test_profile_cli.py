"""``valuecrm profile``: the same answer as valuecrm.views.profiles, as a table or JSON, and
errors in the words of the command line."""

from __future__ import annotations

import json

from tests.helpers.cli import run
from tests.helpers.profiled import profiled_database
from valuecrm.store import connect
from valuecrm.views.profiles import customer_profile, segment_profile


def _profiled(db_path):
    with connect(db_path) as database:
        profiled_database(database)
        return customer_profile(database, "age"), segment_profile(database, "Champions")


def test_profile_json_is_the_view(db_path, monkeypatch, capsys):
    expected, _ = _profiled(db_path)
    result = run(monkeypatch, capsys, "--db", str(db_path), "profile", "--by", "age", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(expected))


def test_profile_prints_the_groups_and_the_tests(db_path, monkeypatch, capsys):
    _profiled(db_path)
    result = run(monkeypatch, capsys, "--db", str(db_path), "profile", "--by", "income_band",
                 "--measures", "orders,spend")
    assert result.code == 0, result.err
    assert result.out.index("Under 15K") < result.out.index("15-24K") < result.out.index("250K+")
    assert "Kruskal-Wallis" in result.out and "epsilon squared" in result.out


def test_profile_of_a_segment(db_path, monkeypatch, capsys):
    _, expected = _profiled(db_path)
    result = run(monkeypatch, capsys, "--db", str(db_path), "profile", "--segment",
                 "Champions", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(expected))


def test_an_unknown_attribute_or_measure_is_bad_input(db_path, monkeypatch, capsys):
    _profiled(db_path)
    result = run(monkeypatch, capsys, "--db", str(db_path), "profile", "--by", "height")
    assert result.code == 2
    assert "no customer attribute 'height'" in result.err and "age" in result.err
    result = run(monkeypatch, capsys, "--db", str(db_path), "profile", "--measures", "joy")
    assert result.code == 2 and "--measures must be" in result.err
