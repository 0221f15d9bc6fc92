"""Check (the C of plan-do-check-act): after the window, each member's outcome (bought, net
revenue and margin from the orders in ``[start, start + window_days)``) and the effect of the
treatment against the control group by :func:`valuecrm.actions.effects.campaign_effect`
(difference in means with its 95% Welch interval, p-value, relative lift)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from valuecrm.actions.effects import campaign_effect
from valuecrm.errors import DataError, ParameterError
from valuecrm.store.campaigns import get_campaign, outcomes_in_window, write_results

OUTCOMES = ("purchase", "revenue", "margin")
METHOD = ("difference in means, treatment - control, of the orders in the window (a purchase: "
          "bought at least once, 1/0; revenue and margin: net of returns); 95% Welch interval "
          "and p-value (valuecrm.campaign_effect); incremental = difference x treated, ROI = "
          "(incremental - contact cost) / contact cost")


def _number(value: Any) -> float | None:
    """A float, or None for a missing or undefined figure (ROI without a contact cost)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _window(campaign: dict[str, Any], as_of: dt.datetime | None) -> tuple[dt.datetime, ...]:
    if campaign["status"] not in ("launched", "measured", "decided") or \
            campaign["started_at"] is None:
        raise ParameterError(f"Campaign {campaign['campaign_id']} has not been launched "
                             f"(it is {campaign['status'] or 'planned'}): there is nothing "
                             "to measure yet.", hint="Launch it ('campaign export') first.")
    start = pd.Timestamp(campaign["started_at"]).to_pydatetime()
    end = start + dt.timedelta(days=int(campaign["window_days"] or 30))
    now = as_of or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if now < end:
        raise ParameterError(f"The window of campaign {campaign['campaign_id']} ends on "
                             f"{end:%Y-%m-%d %H:%M}; measuring before would miss responses.",
                             hint="Measure after the window ends.")
    return start, end


def member_outcomes(database: Any, campaign_id: str,
                    as_of: dt.datetime | None = None) -> pd.DataFrame:
    """One row per member: group, stratum, purchase (1/0), revenue, margin in the window."""
    campaign = get_campaign(database.raw, campaign_id)
    start, end = _window(campaign, as_of)
    return outcomes_in_window(database.raw, campaign_id, start, end)


def measure_campaign(database: Any, campaign_id: str, *,
                     as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Measure the campaign on every outcome, store the check in ``campaign_results`` (the
    campaign becomes ``measured``) and return it.

    Raises DataError, writing nothing, when the campaign has no control group (a difference
    between the contacted and the others would be selection, not effect) or either group has
    fewer than 2 members.
    """
    campaign = get_campaign(database.raw, campaign_id)
    start, end = _window(campaign, as_of)
    data = outcomes_in_window(database.raw, campaign_id, start, end)
    counts = data["group"].value_counts()
    if counts.get("control", 0) == 0:
        raise DataError(f"Campaign {campaign_id} has no control group, so its effect cannot be "
                        "measured: a difference between the contacted customers and the others "
                        "would be selection, not effect. Nothing was written.",
                        hint="Plan the next campaign with a control group ('campaign assign "
                             "--control-share 0.2').")
    for group in ("treatment", "control"):
        if counts.get(group, 0) < 2:
            raise DataError(f"The {group} group of campaign {campaign_id} has "
                            f"{counts.get(group, 0)} members; an effect needs at least 2 in "
                            "each group. Nothing was written.")
    rows = []
    for outcome in OUTCOMES:
        effect = campaign_effect(data, group="group", outcome=outcome, control="control",
                                 cost_per_contact=campaign["cost_per_contact"])
        row = effect[effect["arm"] == "treatment"].iloc[0]
        rows.append({"outcome": outcome, "n_treatment": int(row["n"]),
                     "n_control": int(counts["control"]),
                     "treatment_mean": float(row["mean"]),
                     "control_mean": float(row["control_mean"]),
                     "difference": float(row["difference"]), "ci_low": float(row["ci_low"]),
                     "ci_high": float(row["ci_high"]), "p_value": float(row["p_value"]),
                     "relative_lift": float(row["relative_lift"]),
                     **{k: _number(row.get(k)) for k in ("incremental", "contact_cost", "roi")},
                     "method": METHOD})
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    frame = pd.DataFrame(rows).assign(measured_at=now, window_end=end)
    status = "decided" if campaign["status"] == "decided" else "measured"
    write_results(database.raw, campaign_id, frame, status=status)
    return frame
