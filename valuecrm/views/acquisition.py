"""Acquisition (客户的选择与开发) and referral value, for every interface.

``valuecrm acquisition``, ``valuecrm referrals``, ``GET /api/acquisition``,
``GET /api/referral-value`` (totals, every role) and ``GET /api/referral-value/referrers`` (one
row per referrer, analysts), the "Who they are" page's acquisition section, the customer page,
the overview and the report all show what these functions return
(:func:`valuecrm.reports.acquisition.acquisition` and
:func:`valuecrm.reports.referral_value.referral_value` underneath). Kept per snapshot: the
referral totals (aggregated in the engine), the referrers in order of CRV in a stored list (a
page is read with LIMIT and OFFSET) and by referrer id in a memory-mapped file (the customer
page's row, by binary search); no row per referrer is held in Python (issue 16, point 7).
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from valuecrm.errors import NotFoundError
from valuecrm.reports.acquisition import SOURCES, acquisition
from valuecrm.reports.referral_value import in_order, referral_value, referrers
from valuecrm.store.snapshots import Snapshot, get_snapshot
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept
from valuecrm.views.keyed_rows import KeyedRows, store_keyed
from valuecrm.views.lookup_copy import lookup_sources
from valuecrm.views.stored_lists import StoredList, list_rows, store_list

SnapshotKey = int | str | Snapshot | None  # a Snapshot already read is used as it is
NO_REFERRALS = ("No referral is recorded up to {as_of}, so referral value is 0 and customer "
                "equity has no referral part. Load the referrals (valuecrm ingest referrals "
                "FILE: referrer_id, referred_customer_id, referred_at, reward) to measure it.")


# no year in it: a 360 view must not print a number a viewer could take for a birth year
CUSTOMER_METHOD = ("Customer referral value (CRV; Kumar, Petersen & Leone, Journal of Marketing "
                   "74(5)): the CLV of the customers this customer referred up to the snapshot's "
                   "as-of date (shared when several named the same customer), net of the "
                   "rewards paid, every referred customer credited to the referral (an upper "
                   "bound); CLV + CRV ranks the customer with whom they brought. The full "
                   "method: GET /api/referral-value.")


def acquisition_sources(database: Any, by: str = "signup_channel", *,
                        snapshot: SnapshotKey = None, top: int = 20,
                        period: str = "Y") -> dict[str, Any]:
    """Customers and value per acquisition source ``by`` (one of ``sources``): ``by``,
    ``sources``, ``items`` (source, customers, share, mean_clv with mean_clv_lower and
    mean_clv_upper, total_clv, equity_share, mean_p_alive, total_margin, mean_margin),
    ``cohorts`` (source x signup cohort), ``tests``, ``customers``, ``equity``,
    ``margin_known``, ``level``, ``notes``, ``method``, ``snapshot_id``, ``as_of``."""
    found = _snapshot(database, snapshot)

    def compute() -> dict[str, Any]:
        result = acquisition(database, by, snapshot=found.snapshot_id, top=top, period=period)
        return plain({"by": by, "sources": list(SOURCES), "items": records(result.table),
                      "cohorts": records(result.cohorts),
                      "tests": [t.to_dict() for t in result.tests],
                      "customers": result.customers, "equity": result.equity,
                      "margin_known": result.margin_known, "level": result.level,
                      "notes": result.notes, "method": result.method,
                      "snapshot_id": result.snapshot_id, "as_of": result.as_of})

    return kept(database, "acquisition_sources", compute, by, found.snapshot_id, top, period)


def _snapshot(database: Any, snapshot: SnapshotKey) -> Snapshot:
    return snapshot if isinstance(snapshot, Snapshot) else get_snapshot(database, snapshot)


def _referrals(database: Any, snapshot: SnapshotKey, joined_anyway: float,
               acquisition_saving: float) -> dict[str, Any]:
    """The totals (aggregated in the engine), kept per snapshot: a few numbers, never the
    referrers' rows."""
    found = _snapshot(database, snapshot)

    def compute() -> dict[str, Any]:
        result = referral_value(database, snapshot=found.snapshot_id,
                                joined_anyway=joined_anyway,
                                acquisition_saving=acquisition_saving, top=0)
        empty = result.referrals == 0
        return plain({**result.totals(), "snapshot_id": result.snapshot_id,
                      "as_of": result.as_of, "method": result.method,
                      "empty": NO_REFERRALS.format(as_of=result.as_of) if empty else None})

    return kept(database, "referral_value", compute, found.snapshot_id, float(joined_anyway),
                float(acquisition_saving))


def _referrer_list(database: Any, found: Snapshot, joined_anyway: float,
                   acquisition_saving: float) -> StoredList:
    """Every referrer's row in order (largest CRV first, ties by referrer id), written once
    per snapshot by the engine to a file (:mod:`valuecrm.views.stored_lists`): pages are read
    from it with LIMIT and OFFSET."""

    def build() -> tuple[ir.Table, dict[str, Any]]:
        rows = referrers(database, found, joined_anyway=joined_anyway,
                         acquisition_saving=acquisition_saving)
        return in_order(rows), {}

    return store_list(database, "referral_value.referrers", build, found.snapshot_id,
                      float(joined_anyway), float(acquisition_saving))


def _by_referrer(database: Any, found: Snapshot) -> KeyedRows:
    """Every referrer's row (no joined-anyway share, no acquisition saving: what the customer
    page shows) ordered by referrer id, computed once per snapshot by the engine and kept in
    a memory-mapped file (:mod:`valuecrm.views.keyed_rows`), not as Python rows."""

    def build() -> ir.Table:
        rows = referrers(database, found)
        return rows.order_by(rows.referrer_id)

    return store_keyed(database, "referral_value.by_referrer", build, "referrer_id",
                       found.snapshot_id)


def referral_summary(database: Any, *, snapshot: SnapshotKey = None, joined_anyway: float = 0.0,
                     acquisition_saving: float = 0.0) -> dict[str, Any]:
    """Referral value in total (every role may see it): ``referrers``, ``referrals``,
    ``converted``, ``rewards``, ``referred_clv``, ``crv``, ``equity`` (sum of CLV),
    ``equity_with_referrals`` (sum of CLV + CRV), ``referred_equity_share``, the parameters,
    ``method``, ``snapshot_id``, ``as_of``, and ``empty`` (why there is no figure, or None)."""
    return _referrals(database, snapshot, joined_anyway, acquisition_saving)


def referral_list(database: Any, *, snapshot: SnapshotKey = None, joined_anyway: float = 0.0,
                  acquisition_saving: float = 0.0, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    """:func:`referral_summary` with one page of referrers under ``items`` (referrer_id,
    referrals, converted, referred_buyers, referred_clv, rewards, crv, clv, clv_plus_crv),
    largest CRV first, ties by referrer id: per-customer figures, for analysts and admins.
    Only the page's rows are read."""
    found = _snapshot(database, snapshot)
    totals = _referrals(database, found, joined_anyway, acquisition_saving)
    page: list[dict[str, Any]] = []
    if not totals["empty"] and limit > 0:
        stored = _referrer_list(database, found, joined_anyway, acquisition_saving)
        page = list_rows(database, stored, offset, limit)
    return {**totals, "items": page, "offset": offset, "limit": limit}


def customer_referral(database: Any, customer_id: str, snapshot: SnapshotKey = None, *,
                      own: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """One customer's referral value in a snapshot (the latest by default): ``referrals``,
    ``converted``, ``referred_clv``, ``rewards``, ``crv``, ``clv``, ``clv_plus_crv`` and
    ``method``; None when there is no snapshot. A customer who referred nobody has 0.
    ``own``: the customer's value row of some snapshot, if the caller has read it (its CLV
    is used when it is of this snapshot)."""
    try:
        found = _snapshot(database, snapshot)
    except NotFoundError:
        return None
    # the customer's row of the referrers' table (computed once per snapshot by the engine,
    # kept in a file ordered by referrer): a binary search, as a 360 view asks per request
    mine = _by_referrer(database, found).rows(customer_id)
    if mine:
        row = mine[0]
    else:
        if own is not None and own.get("snapshot_id") == found.snapshot_id:
            clv = own.get("clv")
        else:
            # from the server's lookup copy when it is ready (one customer's rows, not a
            # scan); a customer has one row per snapshot
            clv = next((r["clv"] for r in lookup_sources(database.raw).rows(
                database.raw, "customer_value", customer_id, ("snapshot_id", "clv"))
                if r["snapshot_id"] == found.snapshot_id), None)
        clv = None if clv is None or clv != clv else float(clv)
        row = {"referrals": 0, "converted": 0, "referred_buyers": 0, "referred_clv": 0.0,
               "rewards": 0.0, "crv": 0.0, "clv": clv, "clv_plus_crv": clv or 0.0}
    row.pop("referrer_id", None)
    return plain({**row, "snapshot_id": found.snapshot_id, "method": CUSTOMER_METHOD})
