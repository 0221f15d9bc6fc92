"""Customer referral value (CRV): what the customers a referrer brought are worth, as part of
customer equity.

Kumar, Petersen & Leone (2007), "How valuable is word of mouth?", Harvard Business Review
85(10), and (2010), "Driving profitability by encouraging customer referrals: who, when, and
how", Journal of Marketing 74(5): a customer's referral value is the value of the customers who
joined because of the referral, net of the cost of the referral, plus the acquisition cost
saved. Here, from the ``referrals`` table and one snapshot (referrals up to its as-of date):

``crv = (1 - joined_anyway) * sum(CLV of the customers referred) + acquisition_saving * converted
- rewards``

where the referred customers' CLV is theirs in the snapshot (0 for one who has not bought;
shared equally when several referrers named the same customer),
``joined_anyway`` the share of referred customers who would have joined without the referral
(0 by default: every referred customer is credited to the referral, an upper bound) and
``acquisition_saving`` what acquiring a customer otherwise costs (0 by default). This is the
value of referrals made so far, not a forecast of referrals to come.

Customer equity stays the sum of CLV. ``CLV + CRV`` ranks a customer by what they are worth
including whom they brought; summed over all customers it counts each referred customer's value
twice (as their own CLV and in their referrer's CRV), so it is a separate, labelled figure and
never replaces customer equity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.store.snapshots import get_snapshot, read_snapshot

OWNER = "referral_value"
EXACT = "decimal(38, 12)"
COLUMNS = ["referrer_id", "referrals", "converted", "referred_buyers", "referred_clv",
           "rewards", "crv", "clv", "clv_plus_crv"]
CITATION = ("Kumar, Petersen & Leone (2007), Harvard Business Review 85(10); (2010), Journal of "
            "Marketing 74(5)")


@dataclass
class ReferralValue:
    """Referral value per referrer and in total, for one snapshot.

    ``table``: one row per referrer (:data:`COLUMNS`), largest CRV first; ``equity``: the sum
    of CLV (customer equity); ``crv``: the sum of CRV; ``referred_clv``: the CLV of the
    customers brought by referral (already part of ``equity``); ``rewards`` paid;
    ``equity_with_referrals`` = ``equity + crv`` (the sum of CLV + CRV; see the module's note
    on counting twice)."""

    table: pd.DataFrame
    referrers: int
    referrals: int
    converted: int
    rewards: float
    referred_clv: float
    crv: float
    equity: float
    joined_anyway: float
    acquisition_saving: float
    method: str
    snapshot_id: int
    as_of: dt.date

    @property
    def equity_with_referrals(self) -> float:
        return self.equity + self.crv

    @property
    def referred_equity_share(self) -> float | None:
        """Share of customer equity held by customers brought by referral."""
        return self.referred_clv / self.equity if self.equity else None

    def totals(self) -> dict[str, Any]:
        return {"referrers": self.referrers, "referrals": self.referrals,
                "converted": self.converted, "rewards": self.rewards,
                "referred_clv": self.referred_clv, "crv": self.crv, "equity": self.equity,
                "equity_with_referrals": self.equity_with_referrals,
                "referred_equity_share": self.referred_equity_share,
                "joined_anyway": self.joined_anyway,
                "acquisition_saving": self.acquisition_saving}

    def to_pandas(self) -> pd.DataFrame:
        return self.table


def _check(joined_anyway: float, acquisition_saving: float) -> None:
    if isinstance(joined_anyway, bool) or not isinstance(joined_anyway, int | float) \
            or not 0 <= joined_anyway <= 1:
        raise ParameterError.of("joined_anyway", OWNER, "a share from 0 to 1", joined_anyway)
    if isinstance(acquisition_saving, bool) or not isinstance(acquisition_saving, int | float) \
            or acquisition_saving < 0 or acquisition_saving != acquisition_saving:
        raise ParameterError.of("acquisition_saving", OWNER, "an amount >= 0",
                                acquisition_saving)


def _sum(column: Any) -> Any:
    return column.cast("float64").cast(EXACT).sum().cast("float64")


def referral_value(database: Any, *, snapshot: int | str | dt.date | None = None,
                   joined_anyway: float = 0.0, acquisition_saving: float = 0.0,
                   referrer: str | None = None) -> ReferralValue:
    """Referral value per referrer (``crv``, module docstring) and in total, from the
    referrals made up to the as-of date of a snapshot (the latest by default).

    A referral counts as converted when it names the customer who joined
    (``referred_customer_id``) or is marked ``converted``; ``referred_buyers`` are the
    converted customers with a row in the snapshot. With no referral the table is empty and
    every total 0. ``referrer`` keeps one referrer's referrals, their row of the full table (a
    customer they share with other referrers is still shared; the totals are then theirs;
    ``equity`` stays the whole base's). Sums are exact (decimals): the same on every run.
    """
    _check(joined_anyway, acquisition_saving)
    found = get_snapshot(database, snapshot)
    value = read_snapshot(database, found.snapshot_id).select("customer_id", "clv")
    refs = database.table("referrals")
    refs = refs.filter(refs.referred_at.date() <= found.as_of)
    converted = refs.referred_customer_id.notnull() | refs.converted.fill_null(False)
    refs = refs.mutate(_converted=converted.cast("int64"),
                       _reward=refs.reward.cast("float64").fill_null(0.0))
    referred = value.rename(_referred="customer_id", _clv="clv")
    joined = refs.left_join(referred, refs.referred_customer_id == referred._referred)
    # a customer referred by several referrers is shared between them equally
    sharing = joined._referred.count().over(ibis.window(group_by=joined._referred))
    joined = joined.mutate(_clv=joined._clv / sharing.cast("float64"))
    if referrer is not None:  # after the sharing: their row of the full table
        joined = joined.filter(joined.referrer_id == referrer)
    per = joined.group_by(referrer_id=joined.referrer_id).aggregate(
        referrals=joined.count(), converted=joined._converted.sum(),
        referred_buyers=joined._referred.count(),
        referred_clv=_sum(joined._clv.fill_null(0.0)), rewards=_sum(joined._reward))
    own = value.rename(referrer_id="customer_id")
    per = per.left_join(own, "referrer_id").drop("referrer_id_right")
    table = per.to_pandas()
    equity = float(value.aggregate(e=_sum(value.clv)).to_pandas()["e"].iloc[0] or 0.0)
    table["crv"] = ((1.0 - joined_anyway) * table["referred_clv"]
                    + acquisition_saving * table["converted"] - table["rewards"])
    table["clv_plus_crv"] = table["clv"].fillna(0.0) + table["crv"]
    table = table.sort_values(["crv", "referrer_id"], ascending=[False, True])
    table = table[COLUMNS].reset_index(drop=True).astype(
        {"referrals": "int64", "converted": "int64", "referred_buyers": "int64"})
    method = (f"Customer referral value (CRV, {CITATION}) of the referrals made up to "
              f"{found.as_of}: CRV = (1 - {joined_anyway:g}) x the CLV of the customers each "
              f"referrer brought (in snapshot {found.snapshot_id}) + {acquisition_saving:g} "
              "acquisition cost saved per converted referral - the rewards paid. The share "
              "who would have joined anyway is "
              + (f"{joined_anyway:.0%}" if joined_anyway else "taken as 0 (an upper bound)")
              + ". Customer equity stays the sum of CLV; equity with referral value (the sum "
              "of CLV + CRV) counts each referred customer's value twice, once as their own "
              "CLV and once in their referrer's CRV, so it is shown beside equity, never "
              "instead of it.")
    return ReferralValue(
        table, len(table), int(table["referrals"].sum()), int(table["converted"].sum()),
        float(table["rewards"].sum()), float(table["referred_clv"].sum()),
        float(table["crv"].sum()), equity, float(joined_anyway), float(acquisition_saving),
        method, found.snapshot_id, found.as_of)
