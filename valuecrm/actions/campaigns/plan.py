"""Plan (the P of plan-do-check-act): a campaign's kind, channel, offer, cost per contact, whom
it targets, the hypothesis and the effect expected, and the outcome that will check it."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from typing import Any

from valuecrm.errors import AlreadyExistsError, ParameterError
from valuecrm.segments.rfm_names import SEGMENTS
from valuecrm.segments.value_table_names import STATUSES, TIERS
from valuecrm.store.campaigns import get_campaign, list_campaigns, write_campaign
from valuecrm.store.schema import TABLES

OWNER = "plan_campaign"
KINDS = TABLES["campaigns"].column("kind").choices
OUTCOMES = TABLES["campaigns"].column("outcome").choices
TARGET_KINDS = ("segment", "status", "tier")  # the snapshot column each reads: see TARGET_COLUMN
TARGET_COLUMN = {"segment": "rfm_segment", "status": "status", "tier": "tier"}
LIST_TARGET = "list"
# the names each target kind can take (the labels analyze writes)
TARGET_NAMES = {"segment": tuple(s.name_en for s in SEGMENTS),
                "status": tuple(s.name_en for s in STATUSES),
                "tier": tuple(t.name_en for t in TIERS)}


def parse_target(target: str) -> tuple[str, str]:
    """``"segment:Champions"`` -> ("segment", "Champions"); ``"list"`` -> ("list", "")."""
    kind, _, value = str(target).partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if kind == LIST_TARGET:
        return kind, value
    if kind not in TARGET_KINDS or not value:
        raise ParameterError.of("target", OWNER, "'segment:NAME', 'status:NAME', 'tier:NAME' "
                                "or 'list' (a customer list given at assignment)", target)
    canonical = {name.lower(): name for name in TARGET_NAMES[kind]}.get(value.lower())
    if canonical is None:
        raise ParameterError.of("target", OWNER, f"a {kind} analyze names: "
                                + ", ".join(TARGET_NAMES[kind]), target)
    return kind, canonical


def _new_id(raw: Any, today: dt.date) -> str:
    taken = {c["campaign_id"] for c in list_campaigns(raw)}
    while True:
        candidate = f"CMP-{today:%Y%m%d}-{secrets.token_hex(2).upper()}"
        if candidate not in taken:
            return candidate


def plan_campaign(database: Any, *, name: str, kind: str, channel: str, target: str,
                  offer: str | None = None, cost_per_contact: float = 0.0,
                  hypothesis: str | None = None, expected_effect: float | None = None,
                  outcome: str = "purchase", window_days: int = 30,
                  start: dt.date | str | None = None,
                  campaign_id: str | None = None) -> dict[str, Any]:
    """Write a planned campaign (status ``planned``) and return its row.

    ``target``: ``segment:NAME`` (RFM segment), ``status:NAME``, ``tier:NAME`` of the latest
    analysis, or ``list`` (the customers are given at assignment). ``outcome``: ``purchase``
    (bought in the window, 1/0), ``revenue`` or ``margin`` (net, in the window);
    ``expected_effect`` is the difference treatment - control expected in it. ``start``: the
    planned first day (default: the day of the launch).
    """
    if not str(name or "").strip():
        raise ParameterError.of("name", OWNER, "a non-empty text", name)
    if kind not in KINDS:
        raise ParameterError.of("kind", OWNER, "one of " + ", ".join(KINDS), kind)
    if not str(channel or "").strip():
        raise ParameterError.of("channel", OWNER, "a channel such as email or sms", channel)
    if outcome not in OUTCOMES:
        raise ParameterError.of("outcome", OWNER, "one of " + ", ".join(OUTCOMES), outcome)
    if not (isinstance(cost_per_contact, int | float) and math.isfinite(cost_per_contact)
            and cost_per_contact >= 0):
        raise ParameterError.of("cost_per_contact", OWNER, "a number >= 0", cost_per_contact)
    if isinstance(window_days, bool) or not isinstance(window_days, int) or \
            not 1 <= window_days <= 3650:
        raise ParameterError.of("window_days", OWNER, "a whole number of days from 1 to 3650",
                                window_days)
    if expected_effect is not None and not math.isfinite(float(expected_effect)):
        raise ParameterError.of("expected_effect", OWNER, "a finite number", expected_effect)
    target_kind, value = parse_target(target)
    started = None
    if start is not None:
        try:
            started = dt.datetime.combine(dt.date.fromisoformat(str(start)), dt.time())
        except ValueError:
            raise ParameterError.of("start", OWNER, "a date YYYY-MM-DD", start) from None
        if not 1900 <= started.year <= 2200:
            raise ParameterError.of("start", OWNER, "a date from 1900 to 2200", start)
    raw = database.raw
    if campaign_id is not None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", campaign_id):
            raise ParameterError.of("campaign_id", OWNER, "letters, digits, '_', '.', '-' "
                                    "(at most 64)", campaign_id)
        if any(c["campaign_id"] == campaign_id for c in list_campaigns(raw)):
            raise AlreadyExistsError(f"There is already a campaign {campaign_id!r}.",
                                     hint="Choose another id, or leave it out for a new one.")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    row = {
        "campaign_id": campaign_id or _new_id(raw, now.date()), "name": name.strip(),
        "kind": kind, "channel": channel.strip(), "offer": offer,
        "cost_per_contact": float(cost_per_contact),
        "target": f"{target_kind}: {value}" if value else target_kind,
        "hypothesis": hypothesis, "outcome": outcome,
        "expected_effect": None if expected_effect is None else float(expected_effect),
        "window_days": window_days, "started_at": started,
        "ended_at": started + dt.timedelta(days=window_days) if started else None,
        "status": "planned", "planned_at": now,
    }
    write_campaign(raw, row)
    return get_campaign(raw, row["campaign_id"])
