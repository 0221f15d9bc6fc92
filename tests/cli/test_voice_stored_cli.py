"""``valuecrm voice nps|pls|drivers`` on the database's stored answers (no FILE) print what the
read layer returns; options of the other form are refused (the FILE form: test_voice_cli.py)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from valuecrm.store import connect
from valuecrm.views.voice_index import voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import voice_nps, voice_nps_by_segment, voice_nps_trend


@pytest.fixture(scope="module")
def views(voice_db):
    with connect(voice_db, read_only=True) as db:
        return {"nps": voice_nps(db), "wave": voice_nps_trend(db, by="wave"),
                "quarter": voice_nps_trend(db, by="quarter"),
                "segment": voice_nps_by_segment(db), "index": voice_index(db),
                "drivers": voice_drivers(db), "ipma": voice_ipma(db, target="Loyalty")}


@pytest.mark.parametrize(("args", "view"), [
    ((), "nps"), (("--by", "wave"), "wave"), (("--by", "quarter"), "quarter"),
    (("--by", "segment"), "segment")])
def test_voice_nps_on_the_stored_answers(voice_db, views, args, view, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "nps", *args, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == views[view]
    text = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "nps", *args)
    assert text.code == 0 and "Method: NPS = 100" in text.out
    if view == "nps":
        assert text.out.startswith(f"NPS {views['nps']['nps']:.1f} (95% interval")
    else:
        assert len(text.out.splitlines()) >= len(views[view]["groups"]) + 2


def test_voice_pls_and_drivers_on_the_stored_answers(voice_db, views, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "pls", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == views["index"]
    text = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "pls").out
    satisfaction = next(i for i in views["index"]["indices"] if i["construct"] == "Satisfaction")
    assert f"Satisfaction (satisfaction): {satisfaction['index']:.1f}" in text
    assert "Model: ECSI structure" in text
    drivers = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "drivers", "--json")
    assert json.loads(drivers.out) == views["drivers"]
    ipma = run(monkeypatch, capsys, "--db", str(voice_db), "voice", "drivers", "--ipma",
               "loyalty", "--json")
    assert json.loads(ipma.out) == views["ipma"]


@pytest.mark.parametrize(("args", "message"), [
    (("voice", "nps", "--column", "x"), "--column works only with a FILE"),
    (("voice", "nps", "--by", "month"), "--by must be one of segment, wave, quarter"),
    (("voice", "pls", "--model", "ecsi"), "--model works only with a FILE"),
    (("voice", "drivers", "--ipma", "Image"), "--ipma must be Satisfaction or Loyalty"),
    (("voice", "nps", "--survey", "nps-1999q1"), "No stored survey answers for survey"),
])
def test_bad_options_are_named(voice_db, args, message, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(voice_db), *args)
    assert result.code == 2, result
    assert message in result.err


def test_a_file_without_its_column_is_refused(tmp_path, monkeypatch, capsys):
    survey = tmp_path / "survey.csv"
    survey.write_text("recommend\n10\n", encoding="utf-8")
    result = run(monkeypatch, capsys, "voice", "nps", str(survey))
    assert result.code == 2 and "--column" in result.err


def test_a_database_without_answers_says_how_to_load_them(empty_db, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "--db", str(empty_db), "voice", "nps")
    assert result.code == 2, result
    assert "No survey answers are stored" in result.err
    assert "valuecrm ingest survey_responses FILE" in result.err
