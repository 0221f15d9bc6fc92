"""The loyalty programme's figures from a customer database: balances, points liability,
breakage and redemption, tiers and their moves, members against non-members, and the what-if
of a changed rule set on past orders. The engine computes (:mod:`.ledger`, :mod:`.whatif`);
these functions collect the few rows as pandas and numbers. Definitions: ``docs/loyalty.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ibis
import pandas as pd

from valuecrm.actions.list_chunks import CHUNK, frame_chunks
from valuecrm.actions.loyalty import ledger as L
from valuecrm.actions.loyalty.rules import LoyaltyRules, rules_from_dict
from valuecrm.actions.loyalty.whatif import order_points, simulated_tiers, visit_qualifiers
from valuecrm.errors import NotFoundError
from valuecrm.store.snapshots import list_snapshots, read_snapshot
from valuecrm.synthetic.loyalty import PLANTED_RULES

__all__ = [
    "LIABILITY_METHOD",
    "MEMBER_VALUE_METHOD",
    "WhatIf",
    "default_rules",
    "ledger_end",
    "loyalty_balances",
    "loyalty_balances_chunks",
    "loyalty_tiers",
    "loyalty_tiers_chunks",
    "loyalty_what_if",
    "member_rows",
    "member_value",
    "point_rates",
    "points_liability",
    "tier_counts",
    "tier_migration",
]

LIABILITY_METHOD = ("points liability = outstanding points (the sum of positive balances) x "
                    "value per point; source: loyalty_ledger")
RATES_METHOD = ("points used first-in-first-out; per cohort year of issued points, redemption "
                "rate = redeemed / issued, breakage = expired / issued; headline over closed "
                "cohorts (nothing outstanding); settled breakage = expired / (redeemed + "
                "expired); source: loyalty_ledger")
MEMBER_VALUE_METHOD = ("mean CLV, P(alive) and net spend of loyalty members (a ledger entry "
                       "up to the snapshot) and of the other customers, from the snapshot's "
                       "customer value table. Selection, not effect: customers chose to join, "
                       "so the difference is not what the programme did (that needs a "
                       "campaign with a control group)")
WHAT_IF_METHOD = ("each past order of a member re-scored under both rule sets (points = "
                  "floor(points per unit x (amount + bonus-category extra)); a return takes "
                  "back floor(points per unit x |amount|)); cost = points x value per point x "
                  "(1 - settled breakage of the ledger); tiers as of the date on the simulated "
                  "points (or spend); source: orders, order_lines, products, loyalty_ledger")


def default_rules() -> LoyaltyRules:
    """The built-in rules: those the generator plants (``docs/loyalty.md`` shows them)."""
    return rules_from_dict(PLANTED_RULES, "valuecrm's default loyalty rules")


def ledger_end(database: Any) -> dt.date | None:
    """The day of the newest ledger entry (None for an empty ledger)."""
    newest = database.table("loyalty_ledger").occurred_at.max().execute()
    return None if newest is None or pd.isna(newest) else pd.Timestamp(newest).date()


def _as_of(database: Any, as_of: dt.date | str | None) -> dt.date:
    if as_of is not None:
        return pd.Timestamp(as_of).date()
    end = ledger_end(database)
    if end is None:
        raise NotFoundError("The loyalty ledger is empty: there are no points to count.",
                            hint="Load the table loyalty_ledger ('valuecrm ingest "
                                 "loyalty_ledger FILE') first.")
    return end


def loyalty_balances(database: Any, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """One row per member: earned, redeemed, expired, adjusted, balance, first and last entry
    (entries up to ``as_of``; all when None), largest balance first (ties by customer id).
    :func:`loyalty_balances_chunks` gives the same rows a chunk at a time."""
    frame = L.balances(database.table("loyalty_ledger"), as_of).to_pandas()
    return frame.sort_values(["balance", "customer_id"], ascending=[False, True],
                             ignore_index=True)


def loyalty_balances_chunks(database: Any, as_of: dt.date | str | None = None, *,
                            size: int = CHUNK) -> Iterator[pd.DataFrame]:
    """:func:`loyalty_balances` as frames of at most ``size`` members, in its order (sorted
    by the engine; :mod:`valuecrm.actions.list_chunks`: one chunk in memory at a time;
    concatenated, the whole frame)."""
    rows = L.balances(database.table("loyalty_ledger"), as_of)
    return frame_chunks(rows.order_by([ibis.desc("balance"), "customer_id"]), size,
                        owner="loyalty_balances_chunks")


def member_rows(database: Any, rules: LoyaltyRules, as_of: dt.date | str | None = None, *,
                tier: str | None = None, limit: int | None = None) -> tuple[int, pd.DataFrame]:
    """The members (of ``tier``) with their balance and tier, largest balance first: how many
    there are, and the first ``limit`` of them (the engine sorts and cuts)."""
    as_of = _as_of(database, as_of)
    ledger = database.table("loyalty_ledger")
    tiers = L.tiers_as_of(ledger, database.table("orders"), rules, as_of)
    tiers = tiers.select(t_id="customer_id", qualifying="qualifying", tier="tier")
    b = L.balances(ledger, as_of).drop("last_earn")
    rows = b.join(tiers, b.customer_id == tiers.t_id).drop("t_id")
    if tier is not None:
        rows = rows.filter(rows.tier == tier)
    count = int(rows.count().execute())
    rows = rows.order_by([ibis.desc("balance"), "customer_id"])
    if limit is not None:
        rows = rows.limit(limit)
    return count, rows.to_pandas()


def points_liability(database: Any, rules: LoyaltyRules,
                     as_of: dt.date | str | None = None) -> dict[str, Any]:
    """Members, outstanding points, members with a negative balance, and the liability."""
    b = L.balances(database.table("loyalty_ledger"), as_of)
    row = b.aggregate(members=b.count(),
                      outstanding=(b.balance > 0).ifelse(b.balance, 0).sum(),
                      negative=(b.balance < 0).ifelse(1, 0).sum(),
                      earned=b.earned.sum(), redeemed=b.redeemed.sum(),
                      expired=b.expired.sum(), adjusted=b.adjusted.sum()).to_pandas().iloc[0]
    out = {k: int(0 if pd.isna(v) else v) for k, v in row.items()}
    out["value_per_point"] = rules.value_per_point
    out["liability"] = round(out["outstanding"] * rules.value_per_point, 2)
    out["method"] = LIABILITY_METHOD
    return out


def point_rates(database: Any, as_of: dt.date | str | None = None) -> dict[str, Any]:
    """Cohorts of issued points with their redemption, breakage and outstanding shares, and
    the headline rates (see :mod:`.ledger` for the definitions)."""
    cohorts = L.point_cohorts(database.table("loyalty_ledger"), as_of).to_pandas()
    for column in ("issued", "redeemed", "expired", "adjusted", "outstanding"):
        cohorts[column] = cohorts[column].astype("int64")
    issued = cohorts["issued"].where(cohorts["issued"] > 0)
    cohorts["redemption_rate"] = cohorts["redeemed"] / issued
    cohorts["breakage"] = cohorts["expired"] / issued
    cohorts["outstanding_share"] = cohorts["outstanding"] / issued
    cohorts["closed"] = cohorts["outstanding"] <= 0
    closed = cohorts[cohorts["closed"]]

    def ratio(num: float, den: float) -> float | None:
        return float(num / den) if den else None

    total = cohorts.sum(numeric_only=True)
    return {
        "cohorts": cohorts,
        "closed_cohorts": len(closed),
        "redemption_rate": ratio(closed["redeemed"].sum(), closed["issued"].sum()),
        "breakage": ratio(closed["expired"].sum(), closed["issued"].sum()),
        "redemption_rate_to_date": ratio(total.get("redeemed", 0), total.get("issued", 0)),
        "breakage_to_date": ratio(total.get("expired", 0), total.get("issued", 0)),
        "settled_breakage": ratio(total.get("expired", 0),
                                  total.get("expired", 0) + total.get("redeemed", 0)),
        "method": RATES_METHOD,
    }


def loyalty_tiers(database: Any, rules: LoyaltyRules,
                  as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Each member's qualifying points (or spend) and tier as of ``as_of``, by customer id.
    :func:`loyalty_tiers_chunks` gives the same rows a chunk at a time."""
    as_of = _as_of(database, as_of)
    return L.tiers_as_of(database.table("loyalty_ledger"), database.table("orders"), rules,
                         as_of).to_pandas().sort_values("customer_id", ignore_index=True)


def loyalty_tiers_chunks(database: Any, rules: LoyaltyRules,
                         as_of: dt.date | str | None = None, *, size: int = CHUNK
                         ) -> Iterator[pd.DataFrame]:
    """:func:`loyalty_tiers` as frames of at most ``size`` members, in its order (sorted by
    the engine; :mod:`valuecrm.actions.list_chunks`: one chunk in memory at a time;
    concatenated, the whole frame)."""
    as_of = _as_of(database, as_of)
    tiers = L.tiers_as_of(database.table("loyalty_ledger"), database.table("orders"), rules,
                          as_of)
    return frame_chunks(tiers.order_by("customer_id"), size, owner="loyalty_tiers_chunks")


def tier_counts(database: Any, rules: LoyaltyRules,
                as_of: dt.date | str | None = None) -> dict[str, int]:
    """Members per tier as of ``as_of`` (the tiers of :func:`loyalty_tiers`, counted in the
    engine)."""
    as_of = _as_of(database, as_of)
    tiers = L.tiers_as_of(database.table("loyalty_ledger"), database.table("orders"), rules,
                          as_of)
    counted = tiers.group_by("tier").aggregate(members=tiers.count()).to_pandas()
    return {str(row.tier): int(row.members) for row in counted.itertuples(index=False)}


def tier_migration(database: Any, rules: LoyaltyRules, start: dt.date | str,
                   end: dt.date | str) -> pd.DataFrame:
    """Members by (tier_from, tier_to) between the tiers as of ``start`` and as of ``end``."""
    t = database.table("loyalty_ledger")
    o = database.table("orders")
    moves = L.tier_moves(L.tiers_as_of(t, o, rules, start), L.tiers_as_of(t, o, rules, end))
    return moves.to_pandas()


def member_value(database: Any, snapshot: Any = None) -> pd.DataFrame:
    """Members against non-members in a snapshot (the latest by default): customers, mean and
    median CLV, mean P(alive), mean and median net spend. Selection, not effect
    (:data:`MEMBER_VALUE_METHOD`)."""
    rows = read_snapshot(database, snapshot)
    rows = rows.mutate(member=rows.loyalty_member.fill_null(False))
    out = rows.group_by("member").aggregate(
        customers=rows.count(), mean_clv=rows.clv.mean(), median_clv=rows.clv.median(),
        mean_p_alive=rows.p_alive.mean(), mean_spend=rows.revenue.mean(),
        median_spend=rows.revenue.median()).to_pandas()
    return out.sort_values("member", ascending=False, ignore_index=True)


@dataclass
class WhatIf:
    """The what-if of a changed rule set: totals per rule set, the tier moves and who moves."""

    as_of: dt.date
    since: dt.date
    totals: pd.DataFrame            # rule set -> points, face value, expected cost, visit cost
    moves: pd.DataFrame             # tier_from (current) x tier_to (changed) counts
    movers: pd.DataFrame            # customer_id, tier_current, tier_changed, qualifying each
    # (those who change tier: all, or the first movers_limit by id; moves counts them all)
    visit_rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    breakage: float | None = None
    method: str = WHAT_IF_METHOD


def _check(database: Any, rules: LoyaltyRules) -> None:
    if rules.bonus_categories:
        products = database.table("products")
        rules.check_categories(products.select("category").distinct().to_pandas()["category"])


def loyalty_what_if(database: Any, changed: LoyaltyRules, current: LoyaltyRules | None = None,
                    *, as_of: dt.date | str | None = None, months: int = 12,
                    movers_limit: int | None = None) -> WhatIf:
    """Apply ``changed`` (and ``current``, the default rules if None) to the members' past
    orders: the points each issues in the ``months`` up to ``as_of`` and their cost, the visit
    benefits, and the members whose tier as of ``as_of`` changes (counted in the engine; the
    first ``movers_limit`` of them by customer id in ``movers``, all when None)."""
    current = current or default_rules()
    _check(database, current)
    _check(database, changed)
    as_of = _as_of(database, as_of)
    since = (L.cutoff(as_of) - pd.DateOffset(months=months)).date()
    ledger, orders = database.table("loyalty_ledger"), database.table("orders")
    member_ids = L.members(ledger, as_of)
    lines, products = database.table("order_lines"), database.table("products")
    rates = point_rates(database, as_of)
    keep = 1.0 - (rates["settled_breakage"] or 0.0)
    totals, tiers, visits = [], {}, {}
    for label, rules in (("current", current), ("changed", changed)):
        points = order_points(orders, member_ids, rules, lines=lines, products=products,
                              as_of=as_of)
        recent = points.filter(points.ordered_at >= pd.Timestamp(since).to_pydatetime())
        row = recent.aggregate(
            earned=(recent.kind == "purchase").ifelse(recent.points, 0).sum(),
            taken_back=(recent.kind != "purchase").ifelse(-recent.points, 0).sum(),
        ).to_pandas().iloc[0]
        earned, back = int(row["earned"] or 0), int(row["taken_back"] or 0)
        visits[label] = visit_qualifiers(orders, member_ids, rules, as_of)
        face = (earned - back) * rules.value_per_point
        totals.append({"rules": label, "name": rules.name, "points_earned": earned,
                       "points_taken_back": back, "points_net": earned - back,
                       "value_per_point": rules.value_per_point, "face_value": round(face, 2),
                       "expected_cost": round(face * keep, 2),
                       "visit_benefit_cost": round(sum(v["cost"] for v in visits[label]), 2)})
        tiers[label] = simulated_tiers(ledger, orders, points, rules, as_of)
    totals_frame = pd.DataFrame(totals)
    totals_frame["total_cost"] = totals_frame["expected_cost"] + totals_frame["visit_benefit_cost"]
    before, after = tiers["current"], tiers["changed"]
    both = before.select("customer_id", tier_current=before.tier,
                         qualifying_current=before.qualifying).join(
        after.select("customer_id", tier_changed=after.tier,
                     qualifying_changed=after.qualifying), "customer_id").cache()
    try:  # the members' tiers stay in the engine: counts, and the movers asked for
        moves = both.group_by(tier_from=both.tier_current, tier_to=both.tier_changed).aggregate(
            members=both.count()).order_by(["tier_from", "tier_to"]).to_pandas()
        moved = both.filter(both.tier_current != both.tier_changed).order_by("customer_id")
        if movers_limit is not None:
            moved = moved.limit(movers_limit)
        movers = moved.select("customer_id", "tier_current", "tier_changed",
                              "qualifying_current", "qualifying_changed").to_pandas()
    finally:
        both.release()
    return WhatIf(as_of=as_of, since=since, totals=totals_frame, moves=moves, movers=movers,
                  visit_rules=visits, breakage=rates["settled_breakage"])


def has_snapshot(database: Any) -> bool:
    return bool(list_snapshots(database))
