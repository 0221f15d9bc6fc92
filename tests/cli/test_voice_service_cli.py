"""``valuecrm voice recovery|journey`` on a small generated database: the JSON is the view's,
the text names the verdict and the methods, and an empty database says "no complaints yet"."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from valuecrm.store import connect
from valuecrm.synthetic import generate
from valuecrm.views.voice_service import journey, recovery


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    path = tmp_path_factory.mktemp("voice-service") / "crm.duckdb"
    generate(300, db=path, seed=5)
    return path


def test_recovery_json_is_the_view(crm, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(crm), "voice", "recovery", "--days", "60",
                 "--success", "6", "--json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    with connect(crm, read_only=True) as database:
        expected = json.loads(json.dumps(recovery(database, days=60, success_threshold=6)))
    assert body == expected
    assert body["retention"]["days"] == 60 and body["retention"]["success_threshold"] == 6
    assert "HC3" in body["justice"]["method"]


def test_recovery_text_names_the_verdict_and_methods(crm, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(crm), "voice", "recovery")
    assert result.code == 0, result.err
    assert "Complaints:" in result.out and "per 100 orders" in result.out
    assert "Service-recovery paradox: " in result.out
    assert "outcome_justice" in result.out and "Tax, Brown & Chandrashekaran" in result.out


def test_journey_json_and_text(crm, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(crm), "voice", "journey", "--json")
    assert result.code == 0, result.err
    with connect(crm, read_only=True) as database:
        assert json.loads(result.out) == json.loads(json.dumps(journey(database)))
    text = run(monkeypatch, capsys, "--db", str(crm), "voice", "journey")
    assert "By stage" in text.out and "Funnel from first contact" in text.out
    assert "Where complaints arise" in text.out


def test_empty_database_says_no_complaints_yet(empty_db, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(empty_db), "voice", "recovery")
    assert result.code == 0, result.err
    assert result.out.startswith("No complaints yet")
    journey_text = run(monkeypatch, capsys, "--db", str(empty_db), "voice", "journey")
    assert journey_text.code == 0 and "No interactions yet" in journey_text.out


def test_bad_days_is_refused(crm, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(crm), "voice", "recovery", "--days", "0")
    assert result.code == 2 and "--days" in result.err
