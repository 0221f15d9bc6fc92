"""Act (the A of plan-do-check-act): what was decided after the check, and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.store.campaigns import get_campaign, update_campaign
from valuecrm.store.schema import TABLES

DECISIONS = TABLES["campaigns"].column("decision").choices


def decide_campaign(database: Any, campaign_id: str, decision: str,
                    note: str) -> dict[str, Any]:
    """Record the decision (scale, continue, change or stop) and its reason on a measured
    campaign; the campaign becomes ``decided``."""
    if decision not in DECISIONS:
        raise ParameterError.of("decision", "decide_campaign", "one of " + ", ".join(DECISIONS),
                                decision)
    if not str(note or "").strip():
        raise ParameterError.of("note", "decide_campaign", "a non-empty reason", note)
    campaign = get_campaign(database.raw, campaign_id)
    if campaign["status"] not in ("measured", "decided"):
        raise ParameterError(f"Campaign {campaign_id} is {campaign['status'] or 'planned'}: "
                             "decide after measuring its effect.",
                             hint="Measure it first ('campaign measure').")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    update_campaign(database.raw, campaign_id, decision=decision, decision_note=note.strip(),
                    decided_at=now, status="decided")
    return get_campaign(database.raw, campaign_id)
