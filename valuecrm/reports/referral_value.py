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
import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.store.snapshots import Snapshot, get_snapshot, read_snapshot

OWNER = "referral_value"
EXACT = "decimal(38, 12)"
COLUMNS = ["referrer_id", "referrals", "converted", "referred_buyers", "referred_clv",
           "rewards", "crv", "clv", "clv_plus_crv"]
CITATION = ("Kumar, Petersen & Leone (2007), Harvard Business Review 85(10); (2010), Journal of "
            "Marketing 74(5)")


@dataclass
class ReferralValue:
    """Referral value per referrer and in total, for one snapshot.

    ``table``: one row per referrer (:data:`COLUMNS`), largest CRV first (ties by referrer
    id), or the page of it asked for (``top`` rows from ``offset``); ``referrers``: all of
    them; ``equity``: the sum of CLV (customer equity); ``crv``: the sum of CRV;
    ``referred_clv``: the CLV of the customers brought by referral (already part of
    ``equity``); ``rewards`` paid; ``equity_with_referrals`` = ``equity + crv`` (the sum of
    CLV + CRV; see the module's note on counting twice)."""

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
    offset: int = 0

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


def _check_page(top: int | None, offset: int) -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 0):
        raise ParameterError.of("top", OWNER, "a number of referrers >= 0 (None: all)", top)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ParameterError.of("offset", OWNER, "a number of referrers >= 0", offset)


def _sum(column: Any) -> Any:
    return column.cast("float64").cast(EXACT).sum().cast("float64")


def _double(number: float) -> ir.FloatingScalar:
    """``number`` as a double in the engine, the same bits as in Python: from its shortest
    text (DuckDB reads a plain numeric literal as a DECIMAL, whose conversion to a double is
    off by one unit in the last place for about one number in six)."""
    return ibis.literal(repr(float(number))).cast("float64")


def referrers(database: Any, found: Snapshot, *, joined_anyway: float = 0.0,
              acquisition_saving: float = 0.0, referrer: str | None = None) -> ir.Table:
    """One row per referrer (:data:`COLUMNS`) of the referrals made up to the as-of date of
    ``found``, as an Ibis expression computed in the engine (no order: :func:`in_order`).

    A customer referred by several referrers is shared between them equally. ``referrer``
    keeps one referrer's row, the same as in the full table: only their referrals and the
    referrals naming the customers they brought are read (the filter comes before the
    sharing), and only those customers' value rows are joined."""
    _check(joined_anyway, acquisition_saving)
    value = read_snapshot(database, found.snapshot_id).select("customer_id", "clv")
    refs = database.table("referrals")
    refs = refs.filter(refs.referred_at.date() <= found.as_of)
    mine = refs if referrer is None else refs.filter(refs.referrer_id == referrer)
    named = refs.filter(refs.referred_customer_id.notnull())
    if referrer is not None:
        named = named.filter(named.referred_customer_id.isin(mine.referred_customer_id))
        value = value.filter(value.customer_id.isin(mine.referred_customer_id)
                             | (value.customer_id == referrer))
    # each referred customer's CLV shared equally between the referrals naming them
    sharing = named.group_by(_referred=named.referred_customer_id).aggregate(
        _sharing=named.count())
    referred = value.rename(_referred="customer_id", _clv="clv").inner_join(sharing,
                                                                            "_referred")
    referred = referred.mutate(_clv=referred._clv / referred._sharing.cast("float64"))
    converted = mine.referred_customer_id.notnull() | mine.converted.fill_null(False)
    mine = mine.mutate(_converted=converted.cast("int64"),
                       _reward=mine.reward.cast("float64").fill_null(0.0))
    joined = mine.left_join(referred.select("_referred", "_clv"),
                            mine.referred_customer_id == referred._referred)
    per = joined.group_by(referrer_id=joined.referrer_id).aggregate(
        referrals=joined.count(), converted=joined._converted.sum().cast("int64"),
        referred_buyers=joined._referred.count(),
        referred_clv=_sum(joined._clv.fill_null(0.0)), rewards=_sum(joined._reward))
    own = value.rename(referrer_id="customer_id")
    per = per.left_join(own, "referrer_id").drop("referrer_id_right")
    crv = (_double(1.0 - joined_anyway) * per.referred_clv
           + _double(acquisition_saving) * per.converted.cast("float64") - per.rewards)
    per = per.mutate(crv=crv)
    return per.mutate(clv_plus_crv=per.clv.fill_null(0.0) + per.crv).select(*COLUMNS)


def in_order(rows: ir.Table) -> ir.Table:
    """``rows`` of :func:`referrers`, largest CRV first, ties by referrer id (one order on
    every run and engine)."""
    return rows.order_by([rows.crv.desc(), rows.referrer_id.asc()])


def _totals(database: Any, found: Snapshot, rows: ir.Table) -> dict[str, Any]:
    """The totals of ``rows`` and customer equity (the whole snapshot's), aggregated in the
    engine in one query; sums of money exact (:func:`_sum`)."""
    value = read_snapshot(database, found.snapshot_id)
    summed = rows.aggregate(
        referrers=rows.count(), referrals=rows.referrals.sum(),
        converted=rows.converted.sum(), rewards=_sum(rows.rewards),
        referred_clv=_sum(rows.referred_clv), crv=_sum(rows.crv))
    both = summed.cross_join(value.aggregate(equity=_sum(value.clv)))
    found_row = both.to_pyarrow().to_pylist()[0]
    return {"referrers": int(found_row["referrers"] or 0),
            "referrals": int(found_row["referrals"] or 0),
            "converted": int(found_row["converted"] or 0),
            **{k: float(found_row[k] or 0.0)
               for k in ("rewards", "referred_clv", "crv", "equity")}}


def _page(rows: ir.Table, top: int | None, offset: int) -> pd.DataFrame:
    ordered = in_order(rows)
    if top is not None or offset:
        ordered = ordered.limit(top, offset=offset)
    table = ordered.to_pandas()
    return table[COLUMNS].reset_index(drop=True).astype(
        {"referrals": "int64", "converted": "int64", "referred_buyers": "int64"})


def referral_value(database: Any, *, snapshot: int | str | dt.date | None = None,
                   joined_anyway: float = 0.0, acquisition_saving: float = 0.0,
                   referrer: str | None = None, top: int | None = None,
                   offset: int = 0) -> ReferralValue:
    """Referral value per referrer (``crv``, module docstring) and in total, from the
    referrals made up to the as-of date of a snapshot (the latest by default).

    A referral counts as converted when it names the customer who joined
    (``referred_customer_id``) or is marked ``converted``; ``referred_buyers`` are the
    converted customers with a row in the snapshot. With no referral the table is empty and
    every total 0. ``referrer`` keeps one referrer's referrals, their row of the full table (a
    customer they share with other referrers is still shared; the totals are then theirs;
    ``equity`` stays the whole base's). ``top`` and ``offset``: the table holds only the
    ``top`` referrers from ``offset`` in its order (largest CRV first, ties by referrer id;
    ``top=0``: the totals alone); the totals are always over every referrer. Totals are
    aggregated and pages read in the engine (ORDER BY, LIMIT and OFFSET), never the whole
    table in pandas unless ``top`` is None (the default, the whole table). Sums are exact
    (decimals): the same on every run.
    """
    _check(joined_anyway, acquisition_saving)
    _check_page(top, offset)
    found = get_snapshot(database, snapshot)
    rows = referrers(database, found, joined_anyway=joined_anyway,
                     acquisition_saving=acquisition_saving, referrer=referrer)
    totals = _totals(database, found, rows)
    table = _page(rows, top, offset)
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
        table, totals["referrers"], totals["referrals"], totals["converted"],
        totals["rewards"], totals["referred_clv"], totals["crv"], totals["equity"],
        float(joined_anyway), float(acquisition_saving), method, found.snapshot_id,
        found.as_of, offset)
