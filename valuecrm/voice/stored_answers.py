"""Survey answers stored in the database, read back as survey tools export them: wide.

The ``survey_responses`` table is long (one row per question answered); the analyses of this
package (NPS, PLS, drivers) take one row per questionnaire and one column per question. This is
the one place that turns the stored long form into that wide form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from valuecrm.errors import NotFoundError
from valuecrm.store.database import Database

# the columns that describe a questionnaire rather than answer a question
RESPONSE_COLUMNS = ("response_id", "customer_id", "responded_at", "survey")


def survey_answers(db: Database, *, survey: str | Sequence[str] | None = None,
                   questions: Sequence[str] | None = None,
                   as_of: dt.date | dt.datetime | None = None) -> pd.DataFrame:
    """One row per questionnaire: ``response_id, customer_id, responded_at, survey`` and one
    numeric column per question code (NaN where the question was not answered).

    ``survey`` keeps one survey (or several); ``questions`` keeps those question codes;
    ``as_of`` keeps answers given up to that moment (a date means its end). Rows are ordered by
    ``responded_at`` then ``response_id``, so the same database gives the same frame.
    """
    t = db.table("survey_responses")
    if survey is not None:
        wanted = [survey] if isinstance(survey, str) else list(survey)
        t = t.filter(t.survey.isin(wanted))
    if questions is not None:
        t = t.filter(t.question.isin(list(questions)))
    if as_of is not None:
        end = as_of if isinstance(as_of, dt.datetime) else \
            dt.datetime.combine(as_of, dt.time.max)
        t = t.filter(t.responded_at <= end)
    long = t.select("response_id", "customer_id", "responded_at", "survey", "question",
                    "score").to_pandas()
    if long.empty:
        if survey is not None:
            raise NotFoundError(f"No stored survey answers for survey {survey!r}. Load a survey "
                                "first ('valuecrm ingest survey_responses FILE'), or leave the "
                                "survey out to use every stored answer.")
        return pd.DataFrame(columns=[*RESPONSE_COLUMNS, *(questions or ())])
    # a questionnaire's own facts: the first row's (they repeat on every answer)
    facts = (long.sort_values(["response_id", "question"])
             .drop_duplicates("response_id")[list(RESPONSE_COLUMNS)].set_index("response_id"))
    scores = long.pivot_table(index="response_id", columns="question", values="score",
                              aggfunc="first", dropna=False)
    order = list(questions) if questions is not None else sorted(scores.columns)
    wide = facts.join(scores.reindex(columns=order)).reset_index()
    wide.columns.name = None
    return wide.sort_values(["responded_at", "response_id"], kind="stable").reset_index(drop=True)


def answers_state(db: Database) -> tuple[int, str | None, str | None]:
    """What the stored answers are now: their count, the last answer's time and a digest of
    every (response, question, score, survey); figures computed from the answers are kept
    while it stays the same."""
    count, last, digest = db.raw.execute(
        "SELECT count(*), max(responded_at)::VARCHAR, "
        "sum(hash(response_id, question, score, survey))::VARCHAR FROM survey_responses"
    ).fetchone()
    return int(count), last, digest
