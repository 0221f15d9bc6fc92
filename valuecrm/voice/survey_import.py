"""A survey export (wide, or the long ``survey_responses`` form) loaded into the database.

The file is read as its tool exports it (Qualtrics, SurveyMonkey, 问卷星: one row per
respondent, one column per item; CSV in any detected encoding, or Excel), checked against its
model file (:mod:`.survey_model`), turned long (one row per answer) and written to
``survey_responses`` in one transaction by the table load of :mod:`valuecrm.store.ingest`.

Rules:

- **Rows** are named as a spreadsheet names them: the header is row 1, the first respondent
  row 2. Qualtrics' two extra header rows (question text, ``{"ImportId": ...}``) are skipped.
- **A bad row** (an answer that is not a number or is outside its item's declared scale, an
  empty or repeated respondent id, a time that is not a time, an unknown customer, no answer at
  all) refuses the whole file with ``on_error="reject"`` (nothing written), or is left out with
  ``on_error="skip"`` (every good row loaded, the bad ones listed, and beside a file copied to
  ``<stem>.rejects.csv`` with their reason).
- **Whole-file checks** always refuse: a column the model names that the file lacks, a
  construct whose only item has the same answer from everyone, fewer respondents than the PLS
  model needs (the ten-times rule).
- **Missing answers**: an empty cell stores nothing (the question counts as not answered). The
  model's ``missing`` rule applies when a model reads the answers: ``drop`` leaves out a
  respondent missing any item of the model, ``mean`` fills in the item's mean.
- **Identity**: ``response_id`` is ``<survey>:<respondent id>`` (or ``<survey>:<row>``), so two
  surveys that number respondents 1, 2, 3... never overwrite each other; loading the same file
  again updates its rows. ``customer_id`` is empty for an anonymous survey or an empty cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, IngestError, ParameterError, SchemaError
from valuecrm.store.database import Database
from valuecrm.store.ingest.rejects import rejects_path
from valuecrm.store.ingest.report import SHOWN_BAD_ROWS, BadRow, plural
from valuecrm.voice.answers import Scale, infer_scale
from valuecrm.voice.survey_file import read_survey
from valuecrm.voice.survey_model import SurveyModel, as_model

ON_ERROR = ("reject", "skip")
FIRST_ROW = 2  # the spreadsheet row of the first respondent (the header is row 1)


@dataclass
class SurveyImport:
    """What :func:`import_survey` did."""

    survey: str
    source: str
    mode: str
    respondents_read: int = 0
    respondents_loaded: int = 0
    respondents_rejected: int = 0
    answers_stored: int = 0
    linked_to_customers: int = 0
    anonymous: int = 0
    customers_created: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    rejects_path: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["bad_rows"] = [asdict(b) | {"row": b.line} for b in self.bad_rows]
        return out

    def summary(self) -> str:
        return (f"{self.survey}: {plural(self.respondents_loaded, 'respondent')} loaded "
                f"({self.linked_to_customers:,} linked to customers, {self.anonymous:,} "
                f"anonymous), {plural(self.answers_stored, 'answer')} stored"
                + (f"; {plural(self.respondents_rejected, 'row')} left out"
                   if self.respondents_rejected else "") + ".")


def _label(source: Any) -> str:
    return "the DataFrame" if isinstance(source, pd.DataFrame) else repr(Path(source).name)


def _skip_qualtrics_headers(frame: pd.DataFrame, report: SurveyImport) -> pd.DataFrame:
    """Qualtrics puts the question texts and ``{"ImportId": ...}`` under the header."""
    head = frame.head(2).astype(str)
    marked = [i for i in range(len(head))
              if head.iloc[i].str.startswith('{"ImportId"').any()]
    if not marked:
        return frame
    report.warnings.append(f"skipped {plural(marked[-1] + 1, 'row')} under the header "
                           "(Qualtrics question texts and import ids).")
    return frame.iloc[marked[-1] + 1:]


def _check_columns(frame: pd.DataFrame, model: SurveyModel, label: str) -> None:
    absent = [c for c in model.columns if c not in frame.columns]
    if absent:
        raise SchemaError(
            f"{model.file} names the column {absent[0]!r}, which {label} does not have"
            + (f" (nor {', '.join(map(repr, absent[1:]))})" if len(absent) > 1 else "")
            + f". Columns there: {', '.join(map(str, list(frame.columns)[:30]))}.",
            hint="Correct the column name in the model file, or pick the file with that column.",
            file=label.strip("'"), column=absent[0])


class _Problems:
    """Bad cells found so far, by frame position."""

    def __init__(self, frame: pd.DataFrame, rows: np.ndarray) -> None:
        self.frame, self.rows = frame, rows
        self.found: list[tuple[int, int, str, str | None, str]] = []  # (pos, order, col, ...)

    def add(self, mask: np.ndarray, column: str, reason: str, order: int) -> None:
        values = self.frame[column] if column in self.frame.columns else None
        for pos in np.flatnonzero(mask):
            value = None if values is None or pd.isna(values.iloc[pos]) else str(
                values.iloc[pos])
            self.found.append((int(pos), order, column, value, reason))

    def bad_rows(self) -> list[BadRow]:
        return [BadRow(int(self.rows[pos]), column, value, reason)
                for pos, _, column, value, reason in sorted(self.found, key=lambda f: f[:2])]

    @property
    def positions(self) -> set[int]:
        return {f[0] for f in self.found}


def _scores(frame: pd.DataFrame, model: SurveyModel, problems: _Problems,
            report: SurveyImport) -> pd.DataFrame:
    scores = pd.DataFrame(index=frame.index)
    unscaled: dict[str, Scale] = {}
    for order, item in enumerate(model.items):
        raw = frame[item]
        text = raw.astype("string").str.strip().replace("", pd.NA)
        values = pd.to_numeric(text, errors="coerce")
        problems.add((values.isna() & text.notna()).to_numpy(), item, "not a number", order)
        low, high = model.scales.get(item, (None, None))
        if low is not None:
            outside = ((values < low) | (values > high)).fillna(False).to_numpy()
            problems.add(outside, item, f"outside the item's scale {low:g}-{high:g}", order)
        else:  # no scale declared: the smallest usual scale holding its answers, said
            unscaled[item] = infer_scale(values.min(), values.max())
        scores[item] = values.astype(float)
    if unscaled:
        shown = ", ".join(f"{item} {low:g}-{high:g}" for item, (low, high) in
                          list(unscaled.items())[:10])
        report.warnings.append(f"no scale declared for {plural(len(unscaled), 'item')}, read "
                               f"on the smallest usual scale holding their answers: {shown}"
                               + (" ..." if len(unscaled) > 10 else "") + ". Declare them "
                               "(scale: or scales: in the model file) to have answers checked.")
    return scores


def _ids(frame: pd.DataFrame, column: str | None) -> pd.Series | None:
    if column is None:
        return None
    ids = frame[column].astype("string").str.strip().replace("", pd.NA)
    return ids.str.replace(r"\.0$", "", regex=True)  # 1001.0 read from Excel -> 1001


def _times(frame: pd.DataFrame, model: SurveyModel, problems: _Problems) -> pd.Series:
    if model.time is None:
        when = model.date or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        return pd.Series(pd.Timestamp(when), index=frame.index)
    raw = frame[model.time]
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    problems.add(raw.isna().to_numpy(), model.time, "no time given", -3)
    problems.add((parsed.isna() & raw.notna()).to_numpy(), model.time, "not a date or time",
                 -3)
    return parsed


def _check_whole(scores: pd.DataFrame, model: SurveyModel, label: str) -> None:
    """The checks that refuse a file whatever ``on_error`` says (on the rows to be loaded)."""
    for construct, items in model.constructs.items():
        if len(items) == 1:
            answered = scores[items[0]].dropna()
            if len(answered) > 1 and answered.nunique() == 1:
                raise DataError(
                    f"{label}, column {items[0]!r}: the only item of the construct "
                    f"{construct!r} has the same answer, {answered.iloc[0]:g}, from every "
                    "respondent: it measures nothing.",
                    hint="Give the construct more items, or leave it out of the model file.",
                    file=label.strip("'"), column=items[0], value=float(answered.iloc[0]))
    if model.paths:
        from valuecrm.voice.pls_structure import minimum_respondents

        model_layout = model.pls_model()._layout()
        need = minimum_respondents(model_layout)
        complete = int(scores[model.items].notna().all(axis=1).sum()) \
            if model.missing == "drop" else len(scores)
        if complete < need:
            raise DataError(
                f"{label} has {plural(complete, 'respondent')} who answered every item of the "
                f"model, fewer than the {need} its PLS model needs (ten times the largest "
                "number of arrows into a construct; Hair et al. 2017).",
                hint="Collect more answers, simplify the model, or use missing: mean.",
                file=label.strip("'"))


def _known_customers(db: Database, ids: pd.Series) -> set[str]:
    wanted = sorted(set(ids.dropna()))
    if not wanted:
        return set()
    import ibis

    t = db.table("customers")
    asked = ibis.memtable(pd.DataFrame({"customer_id": wanted}))
    found = t.semi_join(asked, "customer_id").select("customer_id").to_pandas()
    return set(found.customer_id)


def _long_form(frame: pd.DataFrame, model: SurveyModel, scores: pd.DataFrame,
               keys: pd.Series, customers: pd.Series | None, times: pd.Series) -> pd.DataFrame:
    parts = []
    for item in [*model.items, *model.text]:
        is_text = item in model.text and item not in model.items
        values = (frame[item].astype("string").str.strip().replace("", pd.NA) if is_text
                  else scores[item])
        answered = values.notna()
        parts.append(pd.DataFrame({
            "response_id": keys[answered], "question": item,
            "customer_id": (customers[answered] if customers is not None
                            else pd.Series(pd.NA, index=keys.index, dtype="string")[answered]),
            "responded_at": times[answered], "survey": model.survey,
            "score": np.nan if is_text else values[answered],
            "answer_text": values[answered] if is_text else pd.NA,
        }))
    long = pd.concat(parts, ignore_index=True)
    long["score"] = long["score"].astype(float)
    for column in ("customer_id", "answer_text"):
        long[column] = long[column].astype("string")
    return long


def import_survey(db: Database, source: str | Path | pd.DataFrame,
                  model: SurveyModel | Mapping[str, Any] | str | Path, *,
                  on_error: str = "reject", create_customers: bool = False,
                  sheet: str | None = None) -> SurveyImport:
    """Load a wide survey export into ``survey_responses`` (rules in the module docstring).

    ``model`` is the model file (YAML/JSON path), its parsed mapping, or a
    :class:`.SurveyModel`. ``create_customers`` adds the customers that the file names and the
    database lacks instead of refusing their rows. A long file (columns ``response_id``,
    ``question``, ``score``...) loads as the ``survey_responses`` table does, its scores checked
    against the model's scales. Raises :class:`IngestError` (with the report) when a row is bad
    and ``on_error="reject"``.
    """
    if on_error not in ON_ERROR:
        raise ParameterError.of("on_error", "import_survey", "'reject' or 'skip'", on_error)
    spec = as_model(model)
    label = _label(source)
    frame = (source if isinstance(source, pd.DataFrame)
             else read_survey(source, sheet=sheet, text=True))
    report = SurveyImport(survey=spec.survey, mode=on_error,
                          source="<DataFrame>" if isinstance(source, pd.DataFrame)
                          else str(source))
    if {"response_id", "question", "score"} <= set(frame.columns):
        return _import_long(db, frame, spec, report, label, on_error, create_customers)
    read = len(frame)
    frame = _skip_qualtrics_headers(frame, report).reset_index(drop=True)
    _check_columns(frame, spec, label)
    rows = np.arange(len(frame)) + FIRST_ROW + (read - len(frame))
    problems = _Problems(frame, rows)
    scores = _scores(frame, spec, problems, report)
    times = _times(frame, spec, problems)
    respondents = _ids(frame, spec.respondent)
    if respondents is None:
        width = len(str(rows.max(initial=0)))  # zero-padded: text order is row order
        keys = pd.Series([f"{spec.survey}:{r:0{width}d}" for r in rows], index=frame.index,
                         dtype="string")
    else:
        problems.add(respondents.isna().to_numpy(), spec.respondent, "no respondent id", -2)
        problems.add((respondents.duplicated(keep=False) & respondents.notna()).to_numpy(),
                     spec.respondent, "the respondent id is on several rows", -2)
        keys = (spec.survey + ":" + respondents).astype("string")
    customers = _ids(frame, spec.customer)
    if customers is not None and not create_customers:
        known = _known_customers(db, customers)
        unknown = customers.notna() & ~customers.isin(known)
        problems.add(unknown.to_numpy(), spec.customer,
                     "no such customer in the database (load the customers first, or create "
                     "them)", -1)
    problems.add(scores.isna().all(axis=1).to_numpy(), spec.items[0],
                 "the respondent answered no item", 99)
    report.respondents_read = len(frame)
    report.bad_rows = problems.bad_rows()
    bad = problems.positions
    report.respondents_rejected = len(bad)
    if bad and on_error == "reject":
        raise _refusal(report, label)
    good = np.array([i not in bad for i in range(len(frame))], dtype=bool)
    _check_whole(scores[good], spec, label)
    if bad and not isinstance(source, pd.DataFrame):
        target = rejects_path(Path(source).expanduser())
        rejected = frame[~good].copy()
        reasons = {}
        for b in report.bad_rows:
            reasons.setdefault(b.line, f"{b.column}: {b.reason}")
        rejected.insert(0, "row", rows[~good])
        rejected["reason"] = [reasons[int(r)] for r in rows[~good]]
        rejected.to_csv(target, index=False, encoding="utf-8-sig")
        report.rejects_path = str(target)
    long = _long_form(frame[good], spec, scores[good], keys[good],
                      None if customers is None else customers[good], times[good])
    written = db.ingest("survey_responses", long, create_customers=create_customers)
    report.customers_created = written.customers_created
    report.respondents_loaded = int(good.sum())
    report.answers_stored = int(long.score.notna().sum())
    linked = 0 if customers is None else int(customers[good].notna().sum())
    report.linked_to_customers, report.anonymous = linked, report.respondents_loaded - linked
    return report


def _refusal(report: SurveyImport, label: str) -> IngestError:
    lines = [f"  row {b.line}, column {b.column!r}, value "
             f"{'empty' if b.value is None else repr(b.value)}: {b.reason}"
             for b in report.bad_rows[:SHOWN_BAD_ROWS]]
    more = len(report.bad_rows) - SHOWN_BAD_ROWS
    message = "\n".join([
        f"{label} was refused: {report.respondents_rejected:,} of "
        f"{report.respondents_read:,} respondent rows are bad, so nothing was written to "
        "survey_responses.", *lines, *([f"  ... and {more:,} more"] if more > 0 else [])])
    good = report.respondents_read - report.respondents_rejected
    hint = ("Fix these rows and load again" + (
        f", or load the {plural(good, 'good row')} and leave the bad ones out (on_error="
        "'skip')." if good else "."))
    return IngestError(message, report=report, hint=hint)


def _import_long(db: Database, frame: pd.DataFrame, spec: SurveyModel, report: SurveyImport,
                 label: str, on_error: str, create_customers: bool) -> SurveyImport:
    """A long file: each score checked against its question's declared scale, then loaded as
    the ``survey_responses`` table (the survey column filled with the model's name)."""
    long = frame.copy()
    if "survey" not in long.columns:
        long["survey"] = spec.survey
    score = pd.to_numeric(long["score"], errors="coerce")
    problems = _Problems(long, np.arange(len(long)) + FIRST_ROW)
    for question, (low, high) in spec.scales.items():
        outside = ((long["question"] == question) & ((score < low) | (score > high))).fillna(
            False).to_numpy()
        problems.add(outside, "score", f"outside the scale {low:g}-{high:g} of {question!r}", 0)
    report.respondents_read = int(long["response_id"].nunique())
    report.bad_rows = problems.bad_rows()
    bad_ids = set(long["response_id"].iloc[sorted(problems.positions)])
    report.respondents_rejected = len(bad_ids)
    if bad_ids and on_error == "reject":
        raise _refusal(report, label)
    long = long[~long["response_id"].isin(bad_ids)]
    written = db.ingest("survey_responses", long, on_error=on_error,
                        create_customers=create_customers)
    report.customers_created = written.customers_created
    report.respondents_loaded = int(long["response_id"].nunique())
    report.answers_stored = written.rows_inserted + written.rows_updated
    if "customer_id" in long.columns:
        linked = int(long.dropna(subset=["customer_id"])["response_id"].nunique())
    else:
        linked = 0
    report.linked_to_customers, report.anonymous = linked, report.respondents_loaded - linked
    return report
