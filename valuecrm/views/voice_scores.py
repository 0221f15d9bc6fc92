"""The voice of the customer from the stored answers: NPS overall, over time and by segment,
CSAT and mean scores (:mod:`valuecrm.voice.scores`), for every interface.

``valuecrm voice nps`` (without a FILE), ``GET /api/voice/nps``, the dashboard's "Voice of the
customer" page and the report's section all show what these functions return. They read the
``survey_responses`` table (question ``nps`` on 0-10, the other standard questions on 1-10) and
return aggregates only: never a respondent's identity or free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.store.snapshots import VALUE_TABLE, get_snapshot
from valuecrm.views._plain import plain, records
from valuecrm.voice import csat, mean_score, nps, nps_difference
from valuecrm.voice.scores import NPSResult
from valuecrm.voice.specifications import STORED_QUESTIONS
from valuecrm.voice.stored_answers import survey_answers

NPS_QUESTION = "nps"
RATED_QUESTIONS = tuple(STORED_QUESTIONS)  # answered 1-10
RATED_SCALE = (1, 10)
TIME_GROUPINGS = ("wave", "quarter")
HOW_TO_LOAD = ("Load survey answers first: a survey tool's export (one row per respondent) with "
               "'valuecrm voice import FILE --model MODEL.yaml' (docs/surveys.md), or answers in "
               "long form with 'valuecrm ingest survey_responses FILE' (one row per question "
               "answered: response_id, question, score, customer_id, responded_at, survey; "
               "question 'nps' on 0-10), or generate a database with 'valuecrm generate'.")
SOURCE = "stored survey answers (table survey_responses)"


def survey_status(database: Any, survey: str | None = None) -> dict[str, Any]:
    """How many questionnaires and answers are stored, in which surveys, and when: what a page
    checks before it shows any figure (``questionnaires`` 0: nothing to show). ``names``: every
    stored survey, in the order of its first answer; with ``survey``, the counts and dates are
    that survey's (a name not stored is a NotFoundError naming those that are)."""
    names = [r[0] for r in database.raw.execute(
        "SELECT survey FROM survey_responses WHERE survey IS NOT NULL GROUP BY survey "
        "ORDER BY min(responded_at), survey").fetchall()]
    if survey is not None and survey not in names:
        raise NotFoundError(f"No survey named {survey!r} is stored.",
                            hint=("Choose one of: " + ", ".join(names) + ".") if names
                            else HOW_TO_LOAD)
    where, params = ("WHERE survey = ?", [survey]) if survey is not None else ("", [])
    row = database.raw.execute(
        "SELECT count(DISTINCT response_id), count(*), count(DISTINCT survey), "
        "min(responded_at), max(responded_at), count(DISTINCT response_id) FILTER "
        f"(WHERE question = 'nps') FROM survey_responses {where}", params).fetchone()
    return plain({"questionnaires": row[0], "answers": row[1], "surveys": row[2],
                  "first": row[3], "last": row[4], "nps_answers": row[5], "survey": survey,
                  "names": names, "how_to_load": HOW_TO_LOAD})


def answers_of(database: Any, survey: str | None, questions: Sequence[str]) -> pd.DataFrame:
    found = survey_answers(database, survey=survey, questions=list(questions))
    if found.empty:
        raise NotFoundError("No survey answers are stored in this database.", hint=HOW_TO_LOAD)
    return found


def _nps_answers(database: Any, survey: str | None) -> pd.DataFrame:
    found = answers_of(database, survey, [NPS_QUESTION])
    found = found[found[NPS_QUESTION].notna()]
    if found.empty:
        raise NotFoundError("No stored questionnaire answers the NPS question "
                            f"({NPS_QUESTION!r}, 0-10).", hint=HOW_TO_LOAD)
    return found


def voice_nps(database: Any, *, survey: str | None = None, level: float = 0.95
              ) -> dict[str, Any]:
    """The NPS of every stored answer to the ``nps`` question (of one ``survey`` if given):
    counts, shares, the NPS and its interval (:func:`valuecrm.voice.nps`)."""
    found = _nps_answers(database, survey)
    result = nps(found[NPS_QUESTION], level=level).to_dict()
    return plain({"question": NPS_QUESTION, "survey": survey, **result,
                  "first": found["responded_at"].min(), "last": found["responded_at"].max(),
                  "source": SOURCE})


def _period(found: pd.DataFrame, by: str) -> pd.Series:
    if by == "wave":
        return found["survey"].fillna("(no survey name)")
    stamps = pd.to_datetime(found["responded_at"])
    return stamps.dt.year.astype(str) + "Q" + stamps.dt.quarter.astype(str)


def voice_nps_trend(database: Any, *, by: str = "wave", survey: str | None = None,
                    level: float = 0.95) -> dict[str, Any]:
    """The NPS of each survey wave (``by="wave"``: the stored survey name) or calendar quarter
    of the answer (``"quarter"``), oldest first, each its own sample with its interval; and the
    change from the previous period to the last with its interval
    (:func:`valuecrm.voice.nps_difference`)."""
    if by not in TIME_GROUPINGS:
        raise ParameterError.of("by", "voice_nps_trend", "wave or quarter", by)
    found = _nps_answers(database, survey)
    found = found.assign(period=_period(found, by))
    periods = (found.groupby("period")["responded_at"].agg(["min", "max"])
               .sort_values(["min", "max"]))
    groups = []
    for name, span in periods.iterrows():
        answers = found.loc[found["period"] == name, NPS_QUESTION]
        result = nps(answers, level=level).to_dict()
        result.pop("method")
        groups.append({"period": name, "first": span["min"], "last": span["max"], **result})
    change = None
    if len(periods) >= 2:
        before, last = periods.index[-2], periods.index[-1]
        change = {"from": before, "to": last, **nps_difference(
            found.loc[found["period"] == before, NPS_QUESTION],
            found.loc[found["period"] == last, NPS_QUESTION], level=level)}
    return plain({"by": by, "survey": survey, "level": level, "groups": groups,
                  "change": change, "source": SOURCE,
                  "method": NPSResult.method + " Each period is its own sample; "
                  + ("a wave is the stored survey name." if by == "wave" else
                     "a quarter is the calendar quarter of the answer.")})


def voice_nps_by_segment(database: Any, *, by: str = "rfm_segment",
                         snapshot: int | str | None = None, survey: str | None = None,
                         level: float = 0.95) -> dict[str, Any]:
    """The NPS of each group (``by``: rfm_segment, status, stage, quadrant, tier...) of a
    snapshot of the customer value table (the latest by default), the answers joined to it on
    customer_id: each respondent counted in the group the customer holds in that snapshot.
    Answers of anonymous respondents or of customers outside the snapshot are counted in
    ``unlinked``."""
    column = GROUPINGS.get(by)
    if column is None:
        raise ParameterError.of("by", "voice_nps_by_segment",
                                "one of " + ", ".join(GROUPINGS), by)
    found = _nps_answers(database, survey)
    chosen = get_snapshot(database, snapshot)
    groups_of = database.raw.execute(
        f"SELECT customer_id, {column} AS grp FROM {VALUE_TABLE} WHERE snapshot_id = ? AND "
        "customer_id IN (SELECT DISTINCT customer_id FROM survey_responses)",
        [chosen.snapshot_id]).fetch_df()
    linked = found.merge(groups_of, on="customer_id", how="inner")
    linked = linked[linked["grp"].notna()]
    groups = []
    for name, answers in linked.groupby("grp", sort=True):
        result = nps(answers[NPS_QUESTION], level=level).to_dict()
        result.pop("method")
        groups.append({"group": name, **result})
    groups.sort(key=lambda g: -g["n"])
    return plain({"by": by, "snapshot_id": chosen.snapshot_id, "as_of": chosen.as_of,
                  "survey": survey, "level": level, "groups": groups,
                  "linked": len(linked), "unlinked": len(found) - len(linked),
                  "source": SOURCE, "method": NPSResult.method + (
                      f" Respondents joined on customer_id to snapshot {chosen.snapshot_id} "
                      f"({chosen.as_of}); each group its own sample.")})


def voice_scores(database: Any, *, survey: str | None = None, level: float = 0.95
                 ) -> dict[str, Any]:
    """Per standard 1-10 question: CSAT (top-2-box: the share answering 9 or 10, Wilson
    interval) and the mean answer (t interval, and on 0-100)."""
    found = answers_of(database, survey, RATED_QUESTIONS)
    rows = []
    for question in RATED_QUESTIONS:
        answers = found[question].dropna()
        if answers.empty:
            continue
        top = csat(answers, scale=RATED_SCALE, top=2, level=level)
        mean = mean_score(answers, scale=RATED_SCALE, level=level)
        rows.append({"question": question, "construct": STORED_QUESTIONS[question],
                     "n": top["n"], "csat": top["csat"], "csat_lower": top["lower"],
                     "csat_upper": top["upper"], "mean": mean["mean"],
                     "mean_lower": mean["lower"], "mean_upper": mean["upper"],
                     "mean_0_100": mean["mean_0_100"]})
    return plain({"survey": survey, "level": level, "scale": list(RATED_SCALE),
                  "questions": records(pd.DataFrame(rows)) if rows else [],
                  "source": SOURCE,
                  "method": "CSAT: share of answers 9-10 on the 1-10 scale (top-2-box), in %, "
                            "Wilson score interval; mean answer with a t interval, and on 0-100 "
                            "= (mean - 1) / 9 x 100."})


def voice_responses(database: Any, *, survey: str | None = None, limit: int = 100,
                    offset: int = 0) -> dict[str, Any]:
    """Questionnaires one by one, newest first: who answered (customer_id), when, in which
    survey, every answer and the free text. Personal data: for analysts and admins only (the
    interfaces refuse viewers, :mod:`valuecrm.views.privacy`)."""
    if not (isinstance(limit, int) and 1 <= limit <= 1000):
        raise ParameterError.of("limit", "voice_responses", "an int from 1 to 1000", limit)
    found = survey_answers(database, survey=survey)
    total = len(found)
    page = found.iloc[::-1].iloc[offset:offset + limit]
    texts = database.raw.execute(
        "SELECT response_id, string_agg(answer_text, ' | ' ORDER BY question) FROM "
        "survey_responses WHERE answer_text IS NOT NULL AND response_id IN (SELECT unnest(?)) "
        "GROUP BY response_id", [list(page["response_id"])]).fetchall()
    page = page.assign(answer_text=page["response_id"].map(dict(texts)))
    return plain({"survey": survey, "total": total, "limit": limit, "offset": offset,
                  "responses": records(page), "source": SOURCE})
