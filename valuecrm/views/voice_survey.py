"""The voice of the customer from stored surveys: one function per figure, shared by the CLI
(``valuecrm voice pls|quadrants|value``), the API (``/api/voice/...``) and the pages.

- :func:`stored_surveys`: the surveys stored, with their respondents;
- :func:`stored_pls`: a model file's PLS path model on a stored survey;
- :func:`quadrant_summary` / :func:`quadrant_customers` / :func:`export_quadrants`: the
  satisfaction x loyalty quadrants (Jones & Sasser 1995) joined to the latest snapshot's
  value table (counts and value by quadrant; the customer list; its CSV / Parquet file);
- :func:`perceived_value_summary`: customer perceived value, its dimension weights with
  intervals, by segment and by survey wave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.store.database import Database
from valuecrm.store.snapshots import get_snapshot, read_snapshot
from valuecrm.voice.quadrants import (
    DEFAULT_LOYALTY,
    DEFAULT_SATISFACTION,
    DEFAULT_THRESHOLD,
    LOYALTY_QUADRANTS,
    METHOD,
    loyalty_quadrants,
)
from valuecrm.voice.stored_answers import survey_answers
from valuecrm.voice.survey_figures import model_file_pls, perceived_value_figures
from valuecrm.voice.survey_file import records
from valuecrm.voice.survey_model import SurveyModel, as_model

# the top 20% of the customer pyramid (valuecrm.segments.pyramid): "high value"
HIGH_VALUE_TIERS = ("VIP", "key", "ordinary")
VALUE_COLUMNS = ("clv", "clv_lower", "clv_upper", "net_value", "p_alive", "tier", "value_class",
                 "rfm_class_code", "status")
SEGMENT_COLUMNS = ("tier", "value_class", "rfm_class_code", "rfm_segment", "status",
                   "lifecycle_stage", "quadrant", "strategy", "loyalty_stage")
EXPORT_FORMATS = ("csv", "parquet")


def stored_surveys(db: Database) -> dict[str, Any]:
    """The surveys stored: per survey, respondents, those linked to customers, questions and
    the first and last answer (no respondent is named)."""
    t = db.table("survey_responses")
    per = t.group_by("survey").aggregate(
        respondents=t.response_id.nunique(), linked=t.customer_id.nunique(),
        linked_respondents=t.response_id.nunique(where=t.customer_id.notnull()),
        questions=t.question.nunique(), first=t.responded_at.min(),
        last=t.responded_at.max()).order_by("survey").to_pandas()
    per = per.drop(columns="linked").assign(first=per["first"].astype(str),
                                            last=per["last"].astype(str))
    return {"surveys": records(per)}


def stored_pls(db: Database, survey: str | None,
               model: SurveyModel | Mapping[str, Any] | str | Path, *, scheme: str = "path",
               bootstrap: int = 0, seed: int | None = None) -> dict[str, Any]:
    """The model file's PLS path model fitted on the stored answers of ``survey`` (every
    stored survey if None; reversed items turned round, the model's missing-answer rule
    applied)."""
    spec = as_model(model)
    answers = survey_answers(db, survey=survey, questions=spec.items)
    return {"survey": survey, **model_file_pls(answers, spec, scheme=scheme,
                                               bootstrap=bootstrap, seed=seed)}


def file_pls(path: str | Path, model: SurveyModel | Mapping[str, Any] | str | Path, *,
             scheme: str = "path", bootstrap: int = 0, seed: int | None = None
             ) -> dict[str, Any]:
    """The model file's PLS path model fitted on a wide survey file (no database)."""
    from valuecrm.voice.survey_file import read_survey

    spec = as_model(model)
    return {"file": str(path), **model_file_pls(read_survey(path), spec, scheme=scheme,
                                                bootstrap=bootstrap, seed=seed)}


def _of_customers(rows: Any, customers: pd.Series, columns: list[str]) -> pd.DataFrame:
    """The value rows of ``customers`` (a join in the engine, not a list in the query)."""
    import ibis

    wanted = ibis.memtable(pd.DataFrame({"customer_id": customers.astype(str).unique()}))
    return rows.semi_join(wanted, "customer_id").select(*columns).to_pandas()


def _quadrant_table(db: Database, survey: str | Sequence[str] | None, satisfaction: str,
                    loyalty: str, satisfaction_threshold: float, loyalty_threshold: float,
                    snapshot: int | str | None) -> tuple[pd.DataFrame, Any]:
    answers = survey_answers(db, survey=survey, questions=[satisfaction, loyalty])
    placed = loyalty_quadrants(answers, satisfaction=satisfaction, loyalty=loyalty,
                               satisfaction_threshold=satisfaction_threshold,
                               loyalty_threshold=loyalty_threshold)
    try:
        found = get_snapshot(db, snapshot)
    except NotFoundError:
        if snapshot is not None:
            raise
        return placed.assign(**{c: None for c in VALUE_COLUMNS}, high_value=None), None
    rows = read_snapshot(db, found.snapshot_id)
    value = _of_customers(rows, placed.customer_id, ["customer_id", *VALUE_COLUMNS])
    joined = placed.merge(value, on="customer_id", how="left")
    joined["high_value"] = joined["tier"].isin(HIGH_VALUE_TIERS).where(joined["tier"].notna())
    return joined, found


def quadrant_summary(db: Database, *, survey: str | Sequence[str] | None = None,
                     satisfaction: str = DEFAULT_SATISFACTION, loyalty: str = DEFAULT_LOYALTY,
                     satisfaction_threshold: float = DEFAULT_THRESHOLD,
                     loyalty_threshold: float = DEFAULT_THRESHOLD,
                     snapshot: int | str | None = None) -> dict[str, Any]:
    """Customers per quadrant (count, share, mean answers) and their value in the latest
    snapshot (mean and total CLV, how many are high value). No customer is named."""
    table, found = _quadrant_table(db, survey, satisfaction, loyalty, satisfaction_threshold,
                                   loyalty_threshold, snapshot)
    rows = []
    for name in LOYALTY_QUADRANTS:
        part = table[table.quadrant == name]
        clv = pd.to_numeric(part["clv"], errors="coerce")
        rows.append({
            "quadrant": name, "customers": len(part),
            "share": len(part) / len(table) if len(table) else None,
            "mean_satisfaction": float(part.satisfaction.mean()) if len(part) else None,
            "mean_loyalty": float(part.loyalty.mean()) if len(part) else None,
            "mean_clv": float(clv.mean()) if clv.notna().any() else None,
            "total_clv": float(clv.sum()) if clv.notna().any() else None,
            "high_value": int(part["high_value"].fillna(False).astype(bool).sum())})
    return {
        "survey": survey, "satisfaction_item": satisfaction, "loyalty_item": loyalty,
        "satisfaction_threshold": satisfaction_threshold,
        "loyalty_threshold": loyalty_threshold, "customers": len(table),
        "snapshot_id": None if found is None else found.snapshot_id,
        "as_of": None if found is None else str(found.as_of),
        "quadrants": rows,
        "high_value": f"tier {', '.join(HIGH_VALUE_TIERS)} (the top 20% of the customer "
                      "pyramid) in the latest snapshot",
        "method": METHOD + (" Value from the snapshot of " + str(found.as_of) + "."
                            if found is not None else " No snapshot yet: run an analysis "
                            "to join the value table."),
    }


def quadrant_frame(db: Database, *, quadrant: str | None = None, high_value: bool = False,
                   survey: str | Sequence[str] | None = None,
                   satisfaction: str = DEFAULT_SATISFACTION, loyalty: str = DEFAULT_LOYALTY,
                   satisfaction_threshold: float = DEFAULT_THRESHOLD,
                   loyalty_threshold: float = DEFAULT_THRESHOLD,
                   snapshot: int | str | None = None) -> pd.DataFrame:
    """One row per customer placed (``quadrant`` and ``high_value`` filter), highest CLV
    first: their latest answers, quadrant and value columns."""
    if quadrant is not None and quadrant not in LOYALTY_QUADRANTS:
        raise ParameterError.of("quadrant", "the quadrant list",
                                "one of " + ", ".join(LOYALTY_QUADRANTS), quadrant)
    table, _ = _quadrant_table(db, survey, satisfaction, loyalty, satisfaction_threshold,
                               loyalty_threshold, snapshot)
    if quadrant is not None:
        table = table[table.quadrant == quadrant]
    if high_value:
        table = table[table["high_value"].fillna(False).astype(bool)]
    return table.sort_values(["clv", "customer_id"], ascending=[False, True],
                             na_position="last", ignore_index=True)


def quadrant_customers(db: Database, *, limit: int = 100, **options: Any) -> dict[str, Any]:
    """:func:`quadrant_frame` as plain data (the first ``limit`` rows; personal: analysts)."""
    frame = quadrant_frame(db, **options)
    shown = frame.head(limit).assign(responded_at=lambda f: f.responded_at.astype(str))
    return {"customers": len(frame), "shown": len(shown), "rows": records(shown),
            "method": METHOD}


def export_quadrants(db: Database, path: str | Path, **options: Any) -> dict[str, Any]:
    """Write :func:`quadrant_frame` to ``path`` (.csv: UTF-8 with BOM for spreadsheets;
    .parquet); the file and the rows written."""
    from valuecrm.store.csv_export import write_frame_csv

    target = Path(path).expanduser()
    kind = target.suffix.lower().lstrip(".")
    if kind not in EXPORT_FORMATS:
        raise ParameterError(f"The export file {target.name!r} must end in .csv or .parquet.")
    if not target.parent.is_dir():
        raise ParameterError(f"The folder {str(target.parent)!r} does not exist.",
                             hint="Create it first, or give another --out path.")
    frame = quadrant_frame(db, **options)
    if kind == "csv":
        rows = write_frame_csv(frame, target)
    else:
        frame.to_parquet(target, index=False)
        rows = len(frame)
    return {"file": str(target), "rows": rows, "format": kind}


def quadrant_file(db: Database, format: str = "csv", **options: Any) -> bytes:
    """The bytes of :func:`export_quadrants` in ``format`` (for a download)."""
    import io

    from valuecrm.store.csv_export import frame_csv_bytes

    if format not in EXPORT_FORMATS:
        raise ParameterError.of("format", "the quadrant export", "csv or parquet", format)
    frame = quadrant_frame(db, **options)
    if format == "csv":
        return frame_csv_bytes(frame)
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def perceived_value_summary(db: Database, *, survey: str | Sequence[str] | None = None,
                            model: SurveyModel | Mapping[str, Any] | str | Path | None = None,
                            by: str = "tier", waves: bool = True, n_boot: int = 1000,
                            level: float = 0.95, seed: int | None = 0,
                            snapshot: int | str | None = None) -> dict[str, Any]:
    """Customer perceived value on stored answers: dimension weights with bootstrap intervals,
    mean value (benefits / sacrifices) overall, by ``by`` (a value table segment column of
    the latest snapshot, for answers linked to customers) and, with ``waves``, the weights by
    survey (wave) and their change from the first to the last."""
    if by not in SEGMENT_COLUMNS:
        raise ParameterError.of("by", "the perceived value", "one of " +
                                ", ".join(SEGMENT_COLUMNS), by)
    spec = None if model is None else as_model(model)
    answers = survey_answers(db, survey=survey)
    segments, as_of = None, None
    linked = sorted(set(answers["customer_id"].dropna()))
    if linked:
        try:
            found = get_snapshot(db, snapshot)
        except NotFoundError:
            if snapshot is not None:
                raise
        else:
            rows = read_snapshot(db, found.snapshot_id)
            segments = _of_customers(rows, pd.Series(linked), ["customer_id", by]).set_index(
                "customer_id")[by]
            as_of = str(found.as_of)
    figures = perceived_value_figures(answers, spec, segments=segments, waves=waves,
                                      n_boot=n_boot, level=level, seed=seed)
    return {"survey": survey, "by": by, "as_of": as_of, **figures}
