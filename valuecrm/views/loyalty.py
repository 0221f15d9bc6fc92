"""The loyalty programme as the CLI, the API, the dashboard and the report show it: one
function per figure (:mod:`valuecrm.actions.loyalty`; definitions in ``docs/loyalty.md``).

Aggregates (overview, tier moves, members against non-members, what-if totals) hold no
personal data; the member lists (:func:`member_balances`, the what-if's ``members``) hold
customer ids with their points, which the interfaces give to analysts and admins only.
An empty ledger answers ``{"empty": true, "message": ...}`` instead of figures.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.actions.loyalty import programme
from valuecrm.actions.loyalty.ledger import NOT_MEMBER
from valuecrm.actions.loyalty.rules import LoyaltyRules, load_rules, rules_from_dict
from valuecrm.errors import ParameterError
from valuecrm.store.snapshots import get_snapshot, list_snapshots
from valuecrm.views._plain import plain, records

__all__ = ["RULES_ENV", "configured_rules", "empty_answer", "loyalty_overview",
           "member_balances", "member_value", "rules_document", "tier_moves", "what_if"]

RULES_ENV = "VALUECRM_LOYALTY_RULES"
FIRST_YEAR, LAST_YEAR = 1900, 2200  # pandas' timestamps end in 2262
EMPTY_MESSAGE = "The loyalty ledger is empty: there are no points, tiers or members to show."
EMPTY_HINT = ("Load the table loyalty_ledger (valuecrm ingest loyalty_ledger FILE, or "
              "POST /api/ingest/loyalty_ledger), then ask again.")


def configured_rules(path: str | Path | None = None, database: Any = None) -> LoyaltyRules:
    """The programme's rules: the file at ``path``, else the file named by
    ``$VALUECRM_LOYALTY_RULES``, else the built-in defaults; with ``database``, its bonus
    categories are checked against the products."""
    path = path or os.environ.get(RULES_ENV) or None
    rules = load_rules(path) if path else programme.default_rules()
    if database is not None and rules.bonus_categories:
        programme._check(database, rules)
    return rules


def rules_document(document: dict[str, Any], database: Any = None,
                   source: str = "the rules sent") -> LoyaltyRules:
    """Rules from a parsed document (the API's body, the page's form), checked."""
    rules = rules_from_dict(document, source)
    if database is not None:
        programme._check(database, rules)
    return rules


def empty_answer() -> dict[str, Any]:
    return {"empty": True, "message": EMPTY_MESSAGE, "hint": EMPTY_HINT}


def _day(value: dt.date | str | None, name: str = "as_of") -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"The date {value!r} ({name}) is not a day of the calendar.",
                             hint="Write it as YYYY-MM-DD, e.g. 2025-12-31.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ParameterError(f"The date {value!r} ({name}) is outside the years {FIRST_YEAR} "
                             f"to {LAST_YEAR}.", hint="Give a day of the ledger's years.")
    return day


def loyalty_overview(database: Any, rules: LoyaltyRules | None = None,
                     as_of: dt.date | str | None = None) -> dict[str, Any]:
    """Liability, breakage and redemption (with the cohorts), the tier mix and the visit
    benefits as of ``as_of`` (default: the newest ledger entry)."""
    end = programme.ledger_end(database)
    if end is None:
        return empty_answer()
    rules = rules or configured_rules(database=database)
    as_of = _day(as_of) or end
    liability = programme.points_liability(database, rules, as_of)
    rates = programme.point_rates(database, as_of)
    counts = programme.tier_counts(database, rules, as_of)  # not every member's row
    total = sum(counts.values())
    mix = [{"tier": level.name, "min": level.min, "benefits": list(level.benefits),
            "members": counts.get(level.name, 0),
            "share": counts.get(level.name, 0) / total if total else None}
           for level in rules.tiers]
    from valuecrm.actions.loyalty.ledger import members
    from valuecrm.actions.loyalty.whatif import visit_qualifiers

    visits = visit_qualifiers(database.table("orders"),
                              members(database.table("loyalty_ledger"), as_of), rules, as_of)
    cohorts = rates.pop("cohorts")
    return plain({
        "empty": False, "as_of": as_of, "rules": rules.to_dict(), "rules_source": rules.source,
        "liability": liability, "rates": {**rates, "cohorts": records(cohorts)},
        "tiers": {"basis": rules.tier_basis, "window_months": rules.tier_window_months,
                  "members": total, "mix": mix},
        "visit_rules": visits,
    })


def member_balances(database: Any, as_of: dt.date | str | None = None, *,
                    rules: LoyaltyRules | None = None, limit: int | None = 100,
                    tier: str | None = None) -> dict[str, Any]:
    """The members with their balance, points earned, redeemed and expired, and tier (largest
    balance first; customer ids: for analysts and admins)."""
    end = programme.ledger_end(database)
    if end is None:
        return empty_answer()
    rules = rules or configured_rules(database=database)
    as_of = _day(as_of) or end
    count, shown = programme.member_rows(database, rules, as_of, tier=tier, limit=limit)
    return plain({"empty": False, "as_of": as_of, "members": count,
                  "shown": len(shown), "value_per_point": rules.value_per_point,
                  "rows": records(shown)})


def _snapshot_day(database: Any, day: dt.date | str | None, snapshot: int | str | None,
                  name: str) -> dt.date | None:
    """The day of one end of the tier moves: ``day``, or the as-of day of ``snapshot`` (an id,
    an as-of date or ``latest``); not both."""
    if snapshot in (None, ""):
        return _day(day, name)
    if day not in (None, ""):
        raise ParameterError(f"The {name} end of the tier moves is given twice, as the day "
                             f"{str(day)!r} and as snapshot {str(snapshot)!r}.",
                             hint="Give the day or the snapshot, not both.")
    return get_snapshot(database, None if snapshot == "latest" else snapshot).as_of


def tier_moves(database: Any, rules: LoyaltyRules | None = None,
               start: dt.date | str | None = None,
               end: dt.date | str | None = None, *,
               start_snapshot: int | str | None = None,
               end_snapshot: int | str | None = None) -> dict[str, Any]:
    """The tier migration matrix between two dates (default: a year before the newest ledger
    entry, and that entry's day), or between the as-of days of two stored snapshots
    (``start_snapshot``, ``end_snapshot``): members by tier then and now, joiners as
    ``(not a member)``."""
    last = programme.ledger_end(database)
    if last is None:
        return empty_answer()
    rules = rules or configured_rules(database=database)
    end_day = _snapshot_day(database, end, end_snapshot, "to") or last
    start_day = (_snapshot_day(database, start, start_snapshot, "from")
                 or (pd.Timestamp(end_day) - pd.DateOffset(years=1)).date())
    moves = programme.tier_migration(database, rules, start_day, end_day)
    order = [NOT_MEMBER, *rules.tier_names]
    rank = {name: i for i, name in enumerate(order)}
    moves = moves.assign(direction=[
        "same" if a == b else ("joined" if a == NOT_MEMBER else
                               ("up" if rank.get(b, 0) > rank.get(a, 0) else "down"))
        for a, b in zip(moves["tier_from"], moves["tier_to"], strict=True)])
    matrix = [{"tier_from": a, **{b: int(moves.loc[(moves.tier_from == a) & (moves.tier_to == b),
                                                   "members"].sum()) for b in order}}
              for a in order]
    by_direction = moves.groupby("direction")["members"].sum().to_dict()
    return plain({"empty": False, "from": start_day, "to": end_day, "tiers": order,
                  "matrix": matrix, "moves": records(moves.sort_values(["tier_from", "tier_to"])),
                  "up": by_direction.get("up", 0), "down": by_direction.get("down", 0),
                  "same": by_direction.get("same", 0), "joined": by_direction.get("joined", 0),
                  "method": "tier as of each date by the rules (qualifying points or spend "
                            "over the rolling window); source: loyalty_ledger"})


def member_value(database: Any, snapshot: Any = None) -> dict[str, Any]:
    """Members against non-members in a snapshot (the latest by default): customers, CLV,
    P(alive) and net spend, labelled as selection, not effect."""
    if programme.ledger_end(database) is None:
        return empty_answer()
    if not list_snapshots(database):
        return {"empty": False, "snapshot": None,
                "message": "No snapshot yet: run 'valuecrm analyze' to compare members' CLV "
                           "and P(alive) with the other customers'."}
    found = get_snapshot(database, snapshot)
    groups = programme.member_value(database, found.snapshot_id)
    rows = records(groups.assign(group=groups["member"].map({True: "members",
                                                             False: "non-members"})))
    return plain({"empty": False, "snapshot": {"snapshot_id": found.snapshot_id,
                                               "as_of": found.as_of},
                  "groups": rows, "label": "selection, not effect",
                  "controlled_campaigns": controlled_loyalty_campaigns(database),
                  "method": programme.MEMBER_VALUE_METHOD})


def controlled_loyalty_campaigns(database: Any) -> list[dict[str, Any]]:
    """The loyalty campaigns with a control group (their effect, unlike the members' difference,
    is what the action did): id, name, status and the measured effect, if any."""
    from valuecrm.store.campaigns import list_campaigns, member_counts, results

    raw = database.raw
    found = []
    for campaign in list_campaigns(raw):
        if campaign["kind"] != "loyalty":
            continue
        counts = member_counts(raw, campaign["campaign_id"])
        if not (counts["group"] == "control").any():
            continue
        measured = results(raw, campaign["campaign_id"])
        found.append({"campaign_id": campaign["campaign_id"], "name": campaign["name"],
                      "status": campaign["status"],
                      "effects": records(measured[["outcome", "difference", "ci_low",
                                                   "ci_high", "p_value"]])
                      if len(measured) else []})
    return found


def what_if(database: Any, changed: LoyaltyRules, current: LoyaltyRules | None = None, *,
            as_of: dt.date | str | None = None, months: int = 12,
            members: bool = False, limit: int | None = 100) -> dict[str, Any]:
    """What ``changed`` would have cost against ``current`` on the members' orders of the
    ``months`` up to ``as_of``, and who changes tier (counts; the ids with ``members``)."""
    if programme.ledger_end(database) is None:
        return empty_answer()
    current = current or configured_rules(database=database)
    found = programme.loyalty_what_if(database, changed, current, as_of=_day(as_of),
                                      months=months, movers_limit=limit if members else 0)
    moving = found.moves[found.moves["tier_from"] != found.moves["tier_to"]]
    pairs = [(a, b, int(n)) for a, b, n in zip(moving["tier_from"], moving["tier_to"],
                                                 moving["members"], strict=True)]
    answer: dict[str, Any] = {
        "empty": False, "as_of": found.as_of, "since": found.since, "months": months,
        "settled_breakage": found.breakage, "totals": records(found.totals),
        "difference": {k: round(float(found.totals[k].iloc[1] - found.totals[k].iloc[0]), 2)
                       for k in ("points_net", "face_value", "expected_cost",
                                 "visit_benefit_cost", "total_cost")},
        "tier_moves": records(found.moves),
        "members_changing_tier": sum(n for _, _, n in pairs),
        "up": sum(n for a, b, n in pairs if _direction(a, b, current, changed) == "up"),
        "down": sum(n for a, b, n in pairs if _direction(a, b, current, changed) == "down"),
        "visit_rules": found.visit_rules, "rules": {"current": current.to_dict(),
                                                    "changed": changed.to_dict()},
        "method": found.method,
    }
    if members:
        answer["members"] = records(found.movers)
    return plain(answer)


def _direction(before: str, after: str, current: LoyaltyRules,
               changed: LoyaltyRules) -> str | None:
    """``up`` or ``down`` when a member's tier changes between the rule sets, by the tiers'
    order in the changed rules (or in the current ones); None when the names are in neither."""
    for rules in (changed, current):
        names = rules.tier_names
        if before in names and after in names:
            return "up" if names.index(after) > names.index(before) else "down"
    return None


def product_categories(database: Any) -> list[str]:
    """The product categories a bonus may name (sorted)."""
    products = database.table("products")
    found = products.select("category").distinct().to_pandas()["category"].dropna()
    return sorted(str(c) for c in found)


def changed_rules(base: LoyaltyRules, *, points_per_unit: float | None = None,
                  value_per_point: float | None = None, bonus_category: str | None = None,
                  bonus_multiplier: float | None = None,
                  tier_minimums: list[float] | None = None) -> dict[str, Any]:
    """``base`` with a few rules changed (the dashboard's what-if form), as a rules document
    for :func:`rules_document` (which checks it)."""
    document = base.to_dict()
    document["name"] = "changed rules"
    if points_per_unit is not None:
        document["earn"]["points_per_unit"] = points_per_unit
    if value_per_point is not None:
        document["value_per_point"] = value_per_point
    if bonus_category:
        document["earn"]["bonus_categories"] = {
            **document["earn"]["bonus_categories"],
            bonus_category: 2.0 if bonus_multiplier is None else bonus_multiplier}
    if tier_minimums is not None:
        levels = document["tiers"]["levels"]
        for level, low in zip(levels, tier_minimums, strict=False):
            level["min"] = low
    return document
