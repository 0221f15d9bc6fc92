"""Do, part 2: launch a campaign: export the treatment list for its channel and record the
contacts (the control group is never on the list)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.errors import DataError, ParameterError
from valuecrm.store.campaigns import get_campaign, mark_contacted, members
from valuecrm.store.csv_export import write_frame_csv

# the contact column each channel needs, beside the id and the name
CONTACT = {"email": ["email"], "sms": ["phone"], "phone": ["phone"], "app_push": [],
           "mail": []}


def treatment_list(database: Any, campaign_id: str) -> pd.DataFrame:
    """The treated members with what the channel needs to reach them (personal data)."""
    campaign = get_campaign(database.raw, campaign_id)
    if campaign["status"] in (None, "planned"):
        raise DataError(f"Campaign {campaign_id} has no assignment yet.",
                        hint="Assign treatment and control first ('campaign assign').")
    frame = members(database.raw, campaign_id, "treatment")
    contact = CONTACT.get(str(campaign["channel"]).lower(), ["email", "phone"])
    out = frame[["customer_id", "name", *contact, "stratum"]].copy()
    out.insert(0, "campaign_id", campaign_id)
    out["channel"] = campaign["channel"]
    out["offer"] = campaign["offer"]
    return out


def launch_campaign(database: Any, campaign_id: str, path: str | Path | None = None, *,
                    at: dt.datetime | None = None) -> dict[str, Any]:
    """Write the treatment list to ``path`` (CSV for people: UTF-8 with a BOM) when given, mark
    the treated members contacted and the campaign ``launched``; the window starts at the
    planned start, else now (``at``)."""
    campaign = get_campaign(database.raw, campaign_id)
    if campaign["status"] not in ("assigned", "launched"):
        raise ParameterError(f"Campaign {campaign_id} is {campaign['status'] or 'planned'}: "
                             "only an assigned campaign can be launched.",
                             hint="Assign it first ('campaign assign')." if
                             campaign["status"] in (None, "planned") else
                             "It has been launched and measured already.")
    frame = treatment_list(database, campaign_id)
    if path is not None:
        target = Path(path)
        if target.suffix.lower() != ".csv" or not target.parent.is_dir():
            raise ParameterError(f"The treatment list goes to a .csv file in an existing "
                                 f"folder. Got {str(path)!r}.", hint="For example: --out "
                                 "treatment.csv")
        write_frame_csv(frame, target)
    now = at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    start = campaign["started_at"] or now
    start = pd.Timestamp(start).to_pydatetime()
    contacted = mark_contacted(
        database.raw, campaign_id, start if campaign["started_at"] else now,
        status="launched", started_at=start,
        ended_at=start + dt.timedelta(days=int(campaign["window_days"] or 30)))
    return {"campaign_id": campaign_id, "treated": len(frame), "contacted_now": contacted,
            "started_at": start, "written": str(path) if path is not None else None}
