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


def _features(database: Any, snapshot_id: int) -> pd.DataFrame:
    table = read_snapshot(database, snapshot_id)
    present = [c for c in FEATURES if c in table.columns]
    frame = table.select("customer_id", *present).to_pandas()
    for column in present:
        if pd.api.types.is_numeric_dtype(frame[column]) or \
                pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0.0)
        else:
            frame[column] = frame[column].fillna("unknown").astype(str)
    return frame.set_index("customer_id")


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
    known = _features(database, learn_from)
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
    everyone = _features(database, latest.snapshot_id)
    scores = pd.DataFrame({"customer_id": everyone.index,
                           "uplift": learner.predict(everyone[columns])})
    worth = read_snapshot(database, latest.snapshot_id).select("customer_id", value).to_pandas()
    ranked = scores.merge(worth, on="customer_id", how="left").rename(columns={value: "value"})
    ranked["value"] = ranked["value"].fillna(0.0)
    ranked["score"] = ranked["uplift"] * ranked["value"]
    for column in ("rfm_segment", "tier"):
        if column in everyone.columns:
            ranked[column] = everyone[column].to_numpy()
    ranked = ranked.sort_values(["score", "customer_id"], ascending=[False, True],
                                kind="stable").reset_index(drop=True)
    if top is not None:
        ranked = ranked.head(top)
    ranked.attrs["method"] = (
        f"two-model uplift (Hansotia & Rukstales 2002) of {outcome} learnt from the "
        f"{len(members):,} members of campaign {campaign_id} with the features of snapshot "
        f"{learn_from}; score = predicted uplift x {value} of snapshot {latest.snapshot_id}")
    return ranked
