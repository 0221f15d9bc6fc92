"""The voice of the customer read layer on a generated database's stored answers, each figure
checked against an independent computation from the raw ``survey_responses`` rows."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from valuecrm.errors import DataError, NotFoundError, ParameterError
from valuecrm.store import connect
from valuecrm.views.voice_index import voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import (
    survey_status,
    voice_nps,
    voice_nps_by_segment,
    voice_nps_trend,
    voice_responses,
    voice_scores,
)
from valuecrm.voice.ipma import QUADRANTS


@pytest.fixture(scope="module")
def database(voice_db):
    with connect(voice_db, read_only=True) as db:
        yield db


@pytest.fixture(scope="module")
def wide(database) -> pd.DataFrame:
    """The answers pivoted by hand from the raw rows (not through the read layer)."""
    long = database.raw.execute("SELECT response_id, customer_id, responded_at, survey, "
                                "question, score FROM survey_responses").fetch_df()
    return long.pivot_table(index=["response_id", "customer_id", "responded_at", "survey"],
                            columns="question", values="score").reset_index()


def _nps(scores: pd.Series) -> tuple[float, int]:
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean()), len(scores)


def test_nps_overall_counts_every_stored_nps_answer(database, wide):
    found = voice_nps(database)
    expected, n = _nps(wide["nps"])
    assert found["n"] == n == 91
    assert found["nps"] == pytest.approx(expected)
    assert found["promoters"] == int((wide["nps"] >= 9).sum())
    p, d = found["promoter_share"], found["detractor_share"]
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    assert found["lower"] == pytest.approx(expected - 1.959964 * se, abs=1e-4)
    assert "customer_id" not in found and "answer_text" not in found


def test_nps_by_wave_and_quarter_split_the_answers(database, wide):
    waves = voice_nps_trend(database, by="wave")
    assert [g["period"] for g in waves["groups"]] == sorted(wide["survey"].unique())
    assert sum(g["n"] for g in waves["groups"]) == 91
    for group in waves["groups"]:
        expected, n = _nps(wide.loc[wide["survey"] == group["period"], "nps"])
        assert (group["nps"], group["n"]) == (pytest.approx(expected), n)
        assert group["lower"] <= group["nps"] <= group["upper"]
    quarters = voice_nps_trend(database, by="quarter")
    # the generator names each survey after the quarter of its answers: the same split
    assert [g["n"] for g in quarters["groups"]] == [g["n"] for g in waves["groups"]]
    assert quarters["groups"][0]["period"] == waves["groups"][0]["period"][4:].replace("q", "Q")
    change = waves["change"]
    assert change["difference"] == pytest.approx(waves["groups"][-1]["nps"]
                                                 - waves["groups"][-2]["nps"])
    with pytest.raises(ParameterError, match="wave or quarter"):
        voice_nps_trend(database, by="month")


def test_nps_by_segment_joins_the_latest_snapshot_on_customer_id(database, wide):
    found = voice_nps_by_segment(database)
    segments = database.raw.execute(
        "SELECT customer_id, rfm_segment FROM customer_value WHERE snapshot_id = ?",
        [found["snapshot_id"]]).fetch_df()
    joined = wide.merge(segments, on="customer_id")
    assert found["linked"] == len(joined) and found["unlinked"] == 91 - len(joined)
    for group in found["groups"]:
        expected, n = _nps(joined.loc[joined["rfm_segment"] == group["group"], "nps"])
        assert (group["nps"], group["n"]) == (pytest.approx(expected), n)
    by_status = voice_nps_by_segment(database, by="status")
    assert sum(g["n"] for g in by_status["groups"]) == found["linked"]
    assert "active" in {g["group"] for g in by_status["groups"]}


def test_csat_and_means_of_the_standard_questions(database, wide):
    found = {q["question"]: q for q in voice_scores(database)["questions"]}
    assert set(found) == {"image", "expectations", "perceived_quality", "perceived_value",
                          "satisfaction", "loyalty"}
    for question, row in found.items():
        answers = wide[question].dropna()
        assert row["csat"] == pytest.approx(100 * (answers >= 9).mean())
        assert row["mean"] == pytest.approx(answers.mean())
        assert row["mean_0_100"] == pytest.approx((answers.mean() - 1) / 9 * 100)


def test_the_single_item_index_is_the_rescaled_mean_and_paths_are_regressions(database, wide):
    found = voice_index(database)
    assert found["respondents"] == 91 and found["bootstrap"]["resamples"] >= 990
    for row in found["indices"]:
        # one question per construct: the 0-100 index is the mean answer rescaled
        assert row["index"] == pytest.approx((wide[row["question"]].mean() - 1) / 9 * 100)
        assert row["lower"] < row["index"] < row["upper"]
    # ... and the paths into Loyalty are the standardised regression on Image and Satisfaction
    numbers = wide[["image", "satisfaction", "loyalty"]]
    z = (numbers - numbers.mean()) / numbers.std()
    beta = np.linalg.lstsq(z[["image", "satisfaction"]].to_numpy(), z["loyalty"].to_numpy(),
                           rcond=None)[0]
    paths = {(p["source"], p["target"]): p["coefficient"] for p in found["paths"]}
    assert paths[("Image", "Loyalty")] == pytest.approx(beta[0], abs=1e-8)
    assert paths[("Satisfaction", "Loyalty")] == pytest.approx(beta[1], abs=1e-8)
    assert len(paths) == 10 and "one question" in found["model_note"]


def test_ipma_quadrants_follow_the_cuts(database):
    for target in ("Satisfaction", "Loyalty"):
        found = voice_ipma(database, target=target)
        drivers = {r["construct"] for r in found["table"]}
        assert drivers == ({"Image", "Expectation", "Quality", "Value"}
                           | ({"Satisfaction"} if target == "Loyalty" else set()))
        for row in found["table"]:
            high_i = row["importance"] >= found["importance_cut"]
            high_p = row["performance"] >= found["performance_cut"]
            expected = QUADRANTS[0 if high_i and high_p else 1 if high_i else
                                 3 if high_p else 2]
            assert row["quadrant"] == expected
    with pytest.raises(ParameterError):
        voice_ipma(database, target="Image")


def test_drivers_decompose_the_r_squared_of_nps(database, wide):
    found = voice_drivers(database)
    items = ["image", "expectations", "perceived_quality", "perceived_value", "satisfaction"]
    X = np.column_stack([np.ones(len(wide)), wide[items].to_numpy()])
    fitted = X @ np.linalg.lstsq(X, wide["nps"].to_numpy(), rcond=None)[0]
    r2 = 1 - ((wide["nps"] - fitted) ** 2).sum() / ((wide["nps"] - wide["nps"].mean()) ** 2).sum()
    assert found["r_squared"] == pytest.approx(r2)
    assert sum(r["importance"] for r in found["items"]) == pytest.approx(r2)
    assert sum(r["share"] for r in found["items"]) == pytest.approx(100)
    assert {r["item"] for r in found["items"]} == set(items)
    assert all(r["lower"] <= r["importance"] <= r["upper"] for r in found["items"])


def test_the_fits_are_kept_until_the_answers_change(voice_db, tmp_path):
    path = shutil.copy(voice_db, tmp_path / "crm.duckdb")
    with connect(path) as db:
        first = voice_index(db)
        assert voice_index(db) == first  # kept: the same answer
        db.ingest("survey_responses", pd.DataFrame({
            "response_id": ["NEW1"] * 6, "customer_id": ["C00000003"] * 6,
            "responded_at": pd.to_datetime(["2025-12-30"] * 6), "survey": ["extra"] * 6,
            "question": ["image", "expectations", "perceived_quality", "perceived_value",
                         "satisfaction", "loyalty"], "score": [1.0] * 6}))
        assert voice_index(db)["respondents"] == first["respondents"] + 1


def test_respondent_level_answers_carry_identity_and_text(database):
    found = voice_responses(database, limit=500)
    assert found["total"] == 91 and len(found["responses"]) == 91
    assert all(r["customer_id"] for r in found["responses"])
    assert any(r["answer_text"] for r in found["responses"])


def test_a_database_without_answers_says_how_to_load_them(empty_db):
    with connect(empty_db, read_only=True) as db:
        assert survey_status(db)["questionnaires"] == 0
        with pytest.raises(NotFoundError, match="No survey answers") as raised:
            voice_nps(db)
        assert "valuecrm ingest survey_responses" in str(raised.value)
        assert "valuecrm voice import FILE --model" in str(raised.value)
        with pytest.raises(NotFoundError):
            voice_index(db)


def test_too_few_respondents_for_the_model_is_a_clear_error(db):
    rng = np.random.default_rng(1)
    db.ingest("customers", pd.DataFrame({"customer_id": ["c1"]}))
    rows = [(f"R{i}", q, float(rng.integers(1, 11))) for i in range(12)
            for q in ("nps", "image", "expectations", "perceived_quality", "perceived_value",
                      "satisfaction", "loyalty")]
    db.ingest("survey_responses", pd.DataFrame(rows, columns=["response_id", "question",
                                                              "score"]).assign(
        responded_at=pd.Timestamp("2025-01-02"), survey="s1", customer_id="c1"))
    assert voice_nps(db)["n"] == 12
    with pytest.raises(DataError, match="12 respondents; it needs at least 40"):
        voice_index(db)
