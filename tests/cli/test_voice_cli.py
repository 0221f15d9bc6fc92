"""``valuecrm voice nps|pls`` on the mobi survey file (tests/data/mobi, GPL-3 test data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run

MOBI = Path(__file__).resolve().parent.parent / "data" / "mobi" / "mobi.csv"


def test_pls_prints_the_ecsi_estimate_as_json(monkeypatch, capsys):
    result = run(monkeypatch, capsys, "voice", "pls", "--model", "ecsi", str(MOBI),
                 "--bootstrap", "100", "--seed", "3", "--json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    paths = {(p["source"], p["target"]): p["coefficient"] for p in body["paths"]}
    assert paths[("Quality", "Satisfaction")] == pytest.approx(0.512024, abs=1e-4)
    assert body["indices"]["Satisfaction"] == pytest.approx(72.454, abs=1e-3)
    assert body["r_squared"]["Satisfaction"] == pytest.approx(0.681078, abs=1e-4)
    assert body["bootstrap"]["resamples"] == 100 and "percentile" in body["bootstrap"]["method"]
    assert "ACSI convention" in body["method"]


def test_nps_of_a_column_and_its_errors(monkeypatch, capsys, tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text("id,recommend\n1,10\n2,9\n3,7\n4,2\n5,\n", encoding="utf-8")
    result = run(monkeypatch, capsys, "voice", "nps", str(survey), "--column", "recommend",
                 "--json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert (body["nps"], body["promoters"], body["detractors"], body["n_missing"]) == (25.0, 2, 1,
                                                                                      1)
    text = run(monkeypatch, capsys, "voice", "nps", str(survey), "--column", "recommend")
    assert text.out.startswith("NPS 25.0 (95% interval")
    survey.write_text("id,recommend\n1,10\n2,12\n", encoding="utf-8")
    bad = run(monkeypatch, capsys, "voice", "nps", str(survey), "--column", "recommend")
    assert bad.code == 2 and "12" in bad.err and "'recommend'" in bad.err
    missing = run(monkeypatch, capsys, "voice", "pls", str(tmp_path / "nope.csv"))
    assert missing.code == 2 and "does not exist" in missing.err
