"""``valuecrm evaluate-holdout``: the holdout evaluation of valuecrm.evaluate_holdout on the
database's orders (the CDNOW sample: calibration to 1997-09-30, holdout to 1998-06-30)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from tests.helpers.data import CDNOW_CALIBRATION_END

ARGS = ("evaluate-holdout", "--calibration-end", CDNOW_CALIBRATION_END,
        "--observation-end", "1998-06-30", "--bootstrap", "100")


@pytest.fixture(scope="module")
def cdnow(analysed_db) -> str:
    return str(analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None))


def test_json_is_the_library_figures(monkeypatch, capsys, cdnow):
    from valuecrm import evaluate_holdout
    from valuecrm.datasets import load_cdnow

    code, out, err = run(monkeypatch, capsys, "--db", cdnow, *ARGS, "--json")
    assert code == 0, err
    found = json.loads(out)
    expected = evaluate_holdout(load_cdnow(sample=True), calibration_end=CDNOW_CALIBRATION_END,
                                observation_end="1998-06-30", n_bootstrap=100)
    assert found["customers"] == found["population"] == 2357
    assert found["holdout_weeks"] == 39
    assert found["chosen"] == expected.best_name
    for row, (_, theirs) in zip(found["ranking"], expected.ranking.iterrows(), strict=True):
        assert row["model"] == theirs["model"]
        for key in ("mae", "rmse", "total_error", "tracking_error", "rmse_gap_lower"):
            assert row[key] == pytest.approx(theirs[key], rel=1e-9), key
    assert found["tracking"]["weeks"] == list(range(1, 40))
    assert found["tracking"]["actual"][-1] == 1882


def test_text_names_each_model_and_the_reason(monkeypatch, capsys, cdnow):
    code, out, err = run(monkeypatch, capsys, "--db", cdnow, *ARGS[:5], "--model", "betageo",
                         "--model", "ParetoNBD", "--bootstrap", "50")
    assert code == 0, err
    assert "calibration up to 1997-09-30, holdout to 1998-06-30 (39 weeks), 2,357 customers" in out
    assert "BetaGeo" in out and "ParetoNBD" in out and "ModifiedBetaGeo" not in out
    assert "1,882 actual" in out and "chosen on the holdout, decided by" in out


def test_dates_are_checked_in_the_options_words(monkeypatch, capsys, cdnow):
    code, _, err = run(monkeypatch, capsys, "--db", cdnow, "evaluate-holdout",
                       "--calibration-end", "1998-07-01", "--observation-end", "1998-06-30")
    assert code == 2 and "must end before the holdout ends" in err
    assert "--calibration-end" in err
    code, _, err = run(monkeypatch, capsys, "--db", cdnow, "evaluate-holdout",
                       "--calibration-end", "1997-09-30", "--observation-end", "1999-01-01")
    assert code == 2 and "cannot end after the last order, 1998-06-30" in err
    assert "--observation-end" in err
    code, _, err = run(monkeypatch, capsys, "--db", cdnow, "evaluate-holdout",
                       "--calibration-end", "soon")
    assert code == 2 and "--calibration-end must be" in err


def test_a_sample_of_the_customers_is_said(monkeypatch, capsys, cdnow):
    """--sample evaluates a seeded random sample drawn in the database, as the library does."""
    from valuecrm import evaluate_holdout
    from valuecrm.datasets import load_cdnow

    code, out, err = run(monkeypatch, capsys, "--db", cdnow, *ARGS[:5], "--bootstrap", "0",
                         "--sample", "300", "--json")
    assert code == 0, err
    found = json.loads(out)
    expected = evaluate_holdout(load_cdnow(sample=True), calibration_end=CDNOW_CALIBRATION_END,
                                observation_end="1998-06-30", n_bootstrap=0, sample=300)
    assert (found["customers"], found["population"]) == (300, 2357)
    assert found["tracking"]["actual"][-1] == expected.tracking["actual_cumulative"].iloc[-1]
    assert "sample of 300 of 2,357 customers" in found["method"]
    code, out, err = run(monkeypatch, capsys, "--db", cdnow, *ARGS[:5], "--bootstrap", "0",
                         "--sample", "300")
    assert code == 0, err
    assert "(39 weeks), a random sample of 300 of 2,357 customers." in out
