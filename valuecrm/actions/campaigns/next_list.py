"""Whom to contact next time: the customers ranked by predicted uplift x value.

After a measured campaign, a :class:`~valuecrm.models.TwoModelUplift` learns from its members
(treatment and control, the outcome in the window) how the campaign changed the outcome
according to what the customer value table knew of them before (recency, frequency, monetary
value, tenure, P(alive), CLV, segment, tier, status); every customer of the latest analysis then
gets a predicted uplift, and the list is ranked by uplift x value (CLV by default), the
expected gain in value of contacting them (Hansotia & Rukstales 2002).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from valuecrm.actions.campaigns.measure import member_outcomes
from valuecrm.errors import DataError, ParameterError
from valuecrm.models.uplift import TwoModelUplift
from valuecrm.store.campaigns import get_campaign
from valuecrm.store.snapshots import get_snapshot, list_snapshots, read_snapshot

FEATURES = ("days_since_last", "tenure_days", "frequency", "monetary_value", "revenue",
            "p_alive", "clv", "rfm_segment", "tier", "status")
VALUES = ("clv", "margin", "revenue", "expected_spend")


CHUNK = 200_000  # customers scored at once: the features of all of them are never held


def _feature_table(database: Any, snapshot_id: int) -> Any:
    """The snapshot's value rows with the :data:`FEATURES` it has (an Ibis table)."""
    table = read_snapshot(database, snapshot_id)
    return table, [c for c in FEATURES if c in table.columns]


def _clean(frame: pd.DataFrame, present: list[str]) -> pd.DataFrame:
    """Numbers (missing as 0) and labels (missing as 'unknown'), as the learner reads them."""
    for column in present:
        if pd.api.types.is_numeric_dtype(frame[column]) or \
                pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0.0)
        else:
            frame[column] = frame[column].fillna("unknown").astype(str)
    return frame


def _features(database: Any, snapshot_id: int, customers: pd.Index) -> pd.DataFrame:
    """The features of ``customers`` (a campaign's members) in the snapshot, by customer_id:
    the engine picks their rows."""
    import ibis

    table, present = _feature_table(database, snapshot_id)
    wanted = ibis.memtable(pd.DataFrame({"customer_id": customers.astype(str).unique()}))
    frame = table.select("customer_id", *present).semi_join(wanted, "customer_id").to_pandas()
    return _clean(frame, present).set_index("customer_id")


def _scored(database: Any, snapshot_id: int, learner: Any, columns: list[str], value: str,
            top: int | None) -> pd.DataFrame:
    """customer_id, uplift, value (0 when missing), score, rfm_segment and tier of every
    customer of the snapshot, :data:`CHUNK` customers at a time (only the ``top`` best kept
    between chunks when given)."""
    table, present = _feature_table(database, snapshot_id)
    shown = [c for c in ("rfm_segment", "tier") if c in present]
    worth = table[value].name("_value") if value in table.columns else None
    rows = table.select("customer_id", *present, *([worth] if worth is not None else []))
    kept: list[pd.DataFrame] = []
    for batch in rows.to_pyarrow_batches(chunk_size=CHUNK):
        frame = _clean(batch.to_pandas(), present)
        part = pd.DataFrame({"customer_id": frame["customer_id"].to_numpy(),
                             "uplift": learner.predict(frame[columns]),
                             "value": (frame["_value"] if worth is not None
                                       else pd.Series(0.0, index=frame.index)).to_numpy()})
        part["value"] = pd.to_numeric(part["value"], errors="coerce").fillna(0.0)
        part["score"] = part["uplift"] * part["value"]
        for column in shown:
            part[column] = frame[column].to_numpy()
        kept.append(part if top is None else _best(part, top))
        if top is not None and len(kept) > 1:
            kept = [_best(pd.concat(kept, ignore_index=True), top)]
    if not kept:
        return pd.DataFrame(columns=["customer_id", "uplift", "value", "score", *shown])
    return _best(pd.concat(kept, ignore_index=True), top)


def _best(frame: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """``frame`` by score, highest first (ties by customer id), the first ``top`` if given."""
    ranked = frame.sort_values(["score", "customer_id"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)
    return ranked if top is None else ranked.head(top)


def uplift_targets(database: Any, campaign_id: str, *, value: str = "clv",
                   top: int | None = None, estimator: Any = None,
                   as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The customers of the latest analysis ranked by predicted uplift x ``value``.

    The learner is fitted on the members of ``campaign_id`` (after its window) with the
    features of the analysis made before the campaign started (else the earliest), on its
    planned outcome. Columns: customer_id, uplift, value, score (uplift x value), rfm_segment,
    tier; ``attrs["method"]`` says how.
    """
    if value not in VALUES:
        raise ParameterError.of("value", "uplift_targets", "one of " + ", ".join(VALUES), value)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ParameterError.of("top", "uplift_targets", "a whole number >= 1", top)
    campaign = get_campaign(database.raw, campaign_id)
    outcomes = member_outcomes(database, campaign_id, as_of).set_index("customer_id")
    snapshots = list_snapshots(database)
    if not snapshots:
        raise DataError("Ranking by uplift needs an analysis (the customer value table).",
                        hint="Run 'valuecrm analyze' first.")
    start = pd.Timestamp(campaign["started_at"]).date()
    before = [s for s in snapshots if s.as_of <= start]
    learn_from = (before[-1] if before else snapshots[0]).snapshot_id
    known = _features(database, learn_from, outcomes.index)
    outcome = campaign["outcome"] or "purchase"
    members = outcomes[["group", outcome]].rename(columns={outcome: "_outcome"}).join(
        known, how="inner")
    treated = (members["group"] == "treatment").astype(int)
    if treated.sum() < 2 or (1 - treated).sum() < 2:
        raise DataError(f"Too few members of campaign {campaign_id} are in the analysis of "
                        "its start to learn from (at least 2 treated and 2 control).")
    columns = list(known.columns)
    learner = TwoModelUplift(estimator).fit(members[columns], treated, members["_outcome"])
    latest = get_snapshot(database)
    ranked = _scored(database, latest.snapshot_id, learner, columns, value, top)
    ranked.attrs["method"] = (
        f"two-model uplift (Hansotia & Rukstales 2002) of {outcome} learnt from the "
        f"{len(members):,} members of campaign {campaign_id} with the features of snapshot "
        f"{learn_from}; score = predicted uplift x {value} of snapshot {latest.snapshot_id}")
    return ranked
