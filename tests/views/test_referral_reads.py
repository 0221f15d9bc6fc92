"""The referral value views read bounded results (issue 16, point 7): the totals are aggregated
in the engine and kept alone, a page of referrers is read from the ordered list with LIMIT and
OFFSET, and the customer page reads one customer's row; the figures are those of the full
table of :func:`valuecrm.referral_value`."""

from __future__ import annotations

import pandas as pd
import pytest

import valuecrm
from tests.helpers.acquired import hand_made
from tests.helpers.data import insert
from tests.helpers.reads import record_table_reads
from valuecrm.views import answer_cache
from valuecrm.views._plain import records
from valuecrm.views.acquisition import customer_referral, referral_list, referral_summary


@pytest.fixture
def hand(db):
    """The hand-made base and three referrers tied at CRV 0 (a3, a5, a6), inserted in reverse
    order of their ids."""
    hand_made(db)
    insert(db, "referrals", pd.DataFrame({
        "referral_id": ["r9", "r8", "r7"], "referrer_id": ["a6", "a5", "a3"],
        "referred_customer_id": [None, None, None],
        "referred_at": pd.to_datetime(["2024-02-01"] * 3), "converted": [False] * 3,
        "reward": [0.0] * 3}))
    return db


def test_the_pages_and_totals_are_those_of_the_full_table(acquired_db):
    with valuecrm.connect(acquired_db, read_only=True) as database:
        for joined_anyway, saving in ((0.0, 0.0), (0.3, 25.0)):
            full = valuecrm.referral_value(database, joined_anyway=joined_anyway,
                                           acquisition_saving=saving)
            rows = records(full.table)
            assert len(rows) > 20
            summary = referral_summary(database, joined_anyway=joined_anyway,
                                       acquisition_saving=saving)
            assert {k: summary[k] for k in full.totals()} == full.totals()
            for limit, offset in ((20, 0), (7, 3), (50, len(rows) - 5), (5, len(rows) + 1)):
                page = referral_list(database, joined_anyway=joined_anyway,
                                     acquisition_saving=saving, limit=limit, offset=offset)
                assert page["items"] == rows[offset:offset + limit]
                assert {k: page[k] for k in summary} == summary
                assert (page["limit"], page["offset"]) == (limit, offset)


def test_the_customer_page_reads_the_customers_row(acquired_db):
    """Each referrer's row is their row of the full table (the report's ``referrer=`` reads
    the same); a customer who referred nobody has 0 and their own CLV."""
    with valuecrm.connect(acquired_db, read_only=True) as database:
        full = valuecrm.referral_value(database).table
        for row in records(full):
            found = customer_referral(database, row["referrer_id"])
            assert {k: found[k] for k in row if k != "referrer_id"} == {
                k: v for k, v in row.items() if k != "referrer_id"}
        one = full["referrer_id"].iloc[len(full) // 2]
        alone = records(valuecrm.referral_value(database, referrer=one).table)
        assert alone == records(full[full["referrer_id"] == one])
        values = database.raw.execute(
            "SELECT customer_id, clv FROM customer_value WHERE customer_id NOT IN (SELECT "
            "referrer_id FROM referrals) ORDER BY customer_id LIMIT 1").fetchone()
        nobody = customer_referral(database, values[0])
        assert nobody["referrals"] == 0 and nobody["crv"] == 0.0
        assert nobody["clv"] == values[1] and nobody["clv_plus_crv"] == values[1]


def test_no_view_reads_or_keeps_every_referrer(hand, monkeypatch):
    """The totals are one row, a page its rows, the customer page one customer's row; the
    answers kept per snapshot hold the totals, not a row per referrer."""
    read = record_table_reads(monkeypatch)
    summary = referral_summary(hand)
    assert (summary["referrers"], summary["crv"]) == (5, 385.0)
    page = referral_list(hand, limit=2, offset=2)
    assert [r["referrer_id"] for r in page["items"]] == ["a3", "a5"]  # the tie, by id
    assert customer_referral(hand, "a2")["crv"] == 95.0
    assert customer_referral(hand, "a4")["clv_plus_crv"] == 300.0  # referred nobody
    assert read and max(read) <= 2
    kept = [v for k, v in answer_cache._kept.items() if k[1] == "referral_value"]
    assert kept and all(set(v) == set(summary) for v in kept)


def test_the_customers_row_is_read_on_the_event_loop_once_kept(hand):
    """Once the referrers' table of a snapshot is kept (the server computes it when it starts),
    a customer's row is no work to send to a thread."""
    customer_referral(hand, "")
    with answer_cache.quick_only():
        assert customer_referral(hand, "a1")["crv"] == 290.0
        assert customer_referral(hand, "a9")["referrals"] == 0
