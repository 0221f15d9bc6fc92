"""Stored survey answers read back wide: one row per questionnaire, one column per question."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from valuecrm.errors import NotFoundError
from valuecrm.voice.stored_answers import survey_answers

ANSWERS = pd.DataFrame({
    "response_id": ["R1", "R1", "R1", "R2", "R2", "R3"],
    "question": ["nps", "satisfaction", "loyalty", "nps", "satisfaction", "nps"],
    "customer_id": ["C1", "C1", "C1", "C2", "C2", "C1"],
    "responded_at": pd.to_datetime(["2024-01-05"] * 3 + ["2024-02-01"] * 2 + ["2024-03-01"]),
    "survey": ["q1", "q1", "q1", "q1", "q1", "q2"],
    "score": [9.0, 8.0, 7.0, 3.0, None, 10.0],
})


@pytest.fixture
def answered(db):
    db.ingest("customers", pd.DataFrame({"customer_id": ["C1", "C2"]}))
    db.ingest("survey_responses", ANSWERS)
    return db


def test_one_row_per_questionnaire_one_column_per_question(answered) -> None:
    wide = survey_answers(answered)
    assert list(wide.columns) == ["response_id", "customer_id", "responded_at", "survey",
                                  "loyalty", "nps", "satisfaction"]
    assert list(wide.response_id) == ["R1", "R2", "R3"]
    r1 = wide.iloc[0]
    assert (r1.nps, r1.satisfaction, r1.loyalty) == (9.0, 8.0, 7.0)
    # an unanswered question and a question not asked are both missing
    assert wide.iloc[1].satisfaction != wide.iloc[1].satisfaction
    assert wide.iloc[2].loyalty != wide.iloc[2].loyalty


def test_filters_by_survey_question_and_date(answered) -> None:
    assert list(survey_answers(answered, survey="q2").response_id) == ["R3"]
    wide = survey_answers(answered, questions=["nps"], as_of=dt.date(2024, 2, 1))
    assert list(wide.columns) == ["response_id", "customer_id", "responded_at", "survey", "nps"]
    assert list(wide.nps) == [9.0, 3.0]


def test_an_unknown_survey_is_named(answered) -> None:
    with pytest.raises(NotFoundError, match="'q9'"):
        survey_answers(answered, survey="q9")
    assert survey_answers(answered, as_of=dt.date(2000, 1, 1)).empty
