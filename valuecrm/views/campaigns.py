"""Campaigns as their plan-do-check-act record: the list with status and effect, one
campaign's record, and the steps (plan, assign, launch, measure, decide) as the CLI and the API
run them. Nothing here holds personal data but :func:`treatment_file` (the channel's list)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from valuecrm.actions import campaigns as steps
from valuecrm.store.campaigns import get_campaign, list_campaigns, member_counts, results
from valuecrm.views._plain import plain, records

__all__ = ["actions_tried", "assign", "campaign_list", "campaign_record", "decide", "launch",
           "measure", "next_list", "plan", "sizing", "treatment_file"]

PLAN = ("campaign_id", "name", "kind", "channel", "offer", "cost_per_contact", "target",
        "hypothesis", "outcome", "expected_effect", "window_days", "planned_at")
DO = ("control_share", "seed", "stratify_by", "started_at", "ended_at")
ACT = ("decision", "decision_note", "decided_at")
EFFECT = ("difference", "ci_low", "ci_high", "p_value")


def _effect(campaign: dict[str, Any], found: Any) -> dict[str, Any] | None:
    """The headline effect: the row of the planned outcome, if measured."""
    if found.empty:
        return None
    row = found[found["outcome"] == (campaign["outcome"] or "purchase")]
    return plain(row.iloc[0][["outcome", *EFFECT]].to_dict()) if len(row) else None


def campaign_list(database: Any) -> dict[str, Any]:
    """Every campaign with its status, counts and the effect on its planned outcome."""
    raw = database.raw
    items = []
    for campaign in list_campaigns(raw):
        counts = member_counts(raw, campaign["campaign_id"])
        by_group = counts.groupby("group")["members"].sum().to_dict() if len(counts) else {}
        items.append({**{k: campaign[k] for k in ("campaign_id", "name", "kind", "channel",
                                                   "status", "outcome", "started_at")},
                      "treatment": int(by_group.get("treatment", 0)),
                      "control": int(by_group.get("control", 0)),
                      "effect": _effect(campaign, results(raw, campaign["campaign_id"])),
                      "decision": campaign["decision"]})
    return plain({"campaigns": items})


def actions_tried(database: Any, on: str) -> dict[str, Any]:
    """The campaigns whose target was a group of ``on`` (``segment``: an RFM segment,
    ``tier`` or ``status``): for each, the group, the campaign, its status, the effect on its
    planned outcome with its 95% interval (None until measured) and the decision, grouped by
    group in the order of the campaign list (newest plan first). No personal data."""
    from valuecrm.actions.campaigns.plan import TARGET_KINDS
    from valuecrm.errors import ParameterError

    if on not in TARGET_KINDS:
        raise ParameterError.of("on", "actions_tried", "one of " + ", ".join(TARGET_KINDS), on)
    raw = database.raw
    items = []
    for campaign in list_campaigns(raw):
        kind, _, group = (campaign["target"] or "").partition(":")
        if kind != on:
            continue
        counts = member_counts(raw, campaign["campaign_id"])
        by_group = counts.groupby("group")["members"].sum().to_dict() if len(counts) else {}
        items.append({"group": group,
                      **{k: campaign[k] for k in ("campaign_id", "name", "kind", "channel",
                                                   "status", "outcome", "started_at",
                                                   "decision")},
                      "treatment": int(by_group.get("treatment", 0)),
                      "control": int(by_group.get("control", 0)),
                      "effect": _effect(campaign, results(raw, campaign["campaign_id"]))})
    items.sort(key=lambda item: item["group"])  # stable: newest plan first within a group
    return plain({"on": on, "campaigns": items})


def campaign_record(database: Any, campaign_id: str) -> dict[str, Any]:
    """One campaign's record: plan, do (assignment by group and stratum, contacts), check
    (the effect on each outcome with its 95% interval) and act. No personal data."""
    raw = database.raw
    campaign = get_campaign(raw, campaign_id)
    counts = member_counts(raw, campaign_id)
    found = results(raw, campaign_id)
    return plain({
        "campaign_id": campaign_id, "status": campaign["status"],
        "plan": {k: campaign[k] for k in PLAN},
        "do": {**{k: campaign[k] for k in DO}, "assignment": records(counts),
               "treatment": int(counts.loc[counts["group"] == "treatment", "members"].sum()),
               "control": int(counts.loc[counts["group"] == "control", "members"].sum()),
               "contacted": int(counts["contacted"].sum())},
        "check": {"effect": _effect(campaign, found),
                  "results": records(found.drop(columns=["campaign_id"]))},
        "act": {k: campaign[k] for k in ACT},
    })


def plan(database: Any, **fields: Any) -> dict[str, Any]:
    """Plan a campaign (:func:`valuecrm.actions.campaigns.plan_campaign`); its record."""
    row = steps.plan_campaign(database, **fields)
    return campaign_record(database, row["campaign_id"])


def assign(database: Any, campaign_id: str, **options: Any) -> dict[str, Any]:
    """Assign treatment and control; the counts and the record."""
    done = steps.assign_campaign(database, campaign_id, **options)
    return plain({**done, "record": campaign_record(database, campaign_id)})


def launch(database: Any, campaign_id: str, path: str | Path | None = None) -> dict[str, Any]:
    """Launch: write the treatment list (when ``path``) and record the contacts."""
    return plain({**steps.launch_campaign(database, campaign_id, path),
                  "record": campaign_record(database, campaign_id)})


def treatment_file(database: Any, campaign_id: str, path: str | Path) -> int:
    """Write the treatment list (personal data: the channel's contacts) to ``path`` as CSV for
    people; the rows written."""
    from valuecrm.store.csv_export import write_frame_csv

    return write_frame_csv(steps.treatment_list(database, campaign_id), path)


def measure(database: Any, campaign_id: str,
            as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Measure after the window; the record with the check."""
    steps.measure_campaign(database, campaign_id, as_of=as_of)
    return campaign_record(database, campaign_id)


def decide(database: Any, campaign_id: str, decision: str, note: str) -> dict[str, Any]:
    """Record the decision; the record."""
    steps.decide_campaign(database, campaign_id, decision, note)
    return campaign_record(database, campaign_id)


def sizing(*, effect: float | None = None, n_total: int | None = None,
           baseline: float | None = None, sd: float | None = None,
           control_share: float = 0.5, alpha: float = 0.05,
           power: float = 0.8) -> dict[str, Any]:
    """The sample size for ``effect``, or the minimum detectable effect of ``n_total``."""
    from valuecrm.errors import ParameterError

    if (effect is None) == (n_total is None):
        raise ParameterError("Give either an effect (for the sample size) or a number of "
                             "customers (for the minimum detectable effect).")
    common = {"baseline": baseline, "sd": sd, "control_share": control_share,
              "alpha": alpha, "power": power}
    found = steps.sample_size(effect, **common) if effect is not None else \
        steps.minimum_detectable_effect(n_total, **common)
    return plain(found.to_dict())


def next_list(database: Any, campaign_id: str, *, value: str = "clv", top: int | None = 100,
              as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Whom to contact next time: customers ranked by predicted uplift x value, learnt from
    the campaign's members (:func:`valuecrm.actions.campaigns.uplift_targets`). Customer ids,
    segments and tiers only: no personal data."""
    ranked = steps.uplift_targets(database, campaign_id, value=value, top=top, as_of=as_of)
    return plain({"campaign_id": campaign_id, "value": value, "rows": len(ranked),
                  "method": ranked.attrs["method"], "customers": records(ranked)})
