"""Customer referral value (Kumar, Petersen & Leone 2007, 2010) worked out by hand, with no
referral at all, and agreeing with the acquisition figures on a generated base."""

from __future__ import annotations

import pandas as pd
import pytest

import valuecrm
from tests.helpers.acquired import hand_made
from tests.helpers.reads import record_table_reads
from valuecrm.errors import ParameterError
from valuecrm.reports.acquisition import REFERRED


@pytest.fixture
def hand(db):
    hand_made(db)
    return db


def test_referral_value_by_hand(hand):
    # a1 brought a4 (CLV 300, reward 10) and asked one who never joined; a2 brought a5 (CLV
    # 100, reward 5) and a9 (joined, never bought: CLV 0); a3's referral is after the as-of date
    result = valuecrm.referral_value(hand)
    table = result.table.set_index("referrer_id")
    assert list(table.index) == ["a1", "a2"]
    assert table.loc["a1"].to_dict() == {
        "referrals": 2, "converted": 1, "referred_buyers": 1, "referred_clv": 300.0,
        "rewards": 10.0, "crv": 290.0, "clv": 100.0, "clv_plus_crv": 390.0}
    assert table.loc["a2"].to_dict() == {
        "referrals": 2, "converted": 2, "referred_buyers": 1, "referred_clv": 100.0,
        "rewards": 5.0, "crv": 95.0, "clv": 60.0, "clv_plus_crv": 155.0}
    assert result.totals() == {
        "referrers": 2, "referrals": 4, "converted": 3, "rewards": 15.0,
        "referred_clv": 400.0, "crv": 385.0, "equity": 600.0, "equity_with_referrals": 985.0,
        "referred_equity_share": pytest.approx(400 / 600), "joined_anyway": 0.0,
        "acquisition_saving": 0.0}
    assert "Kumar, Petersen & Leone" in result.method and "twice" in result.method


def test_joined_anyway_and_the_acquisition_saving(hand):
    # crv = (1 - 0.25) x referred CLV + 4 x converted - rewards
    table = valuecrm.referral_value(hand, joined_anyway=0.25, acquisition_saving=4.0).table
    assert table.set_index("referrer_id")["crv"].to_dict() == {"a1": 219.0, "a2": 78.0}


def test_one_referrer(hand):
    result = valuecrm.referral_value(hand, referrer="a2")
    assert result.table["referrer_id"].tolist() == ["a2"] and result.crv == 95.0
    assert result.equity == 600.0  # the whole base's


def test_bad_parameters(hand):
    for kwargs in ({"joined_anyway": 1.5}, {"joined_anyway": -0.1},
                   {"acquisition_saving": -1.0}, {"joined_anyway": True}):
        with pytest.raises(ParameterError) as error:
            valuecrm.referral_value(hand, **kwargs)
        assert error.value.parameter == next(iter(kwargs))


def test_no_referral_is_a_clear_zero(db):
    from tests.helpers.data import insert, orders_frame, store_snapshot

    insert(db, "orders", orders_frame([("c1", "2024-01-01", 5.0)]))
    store_snapshot(db, "2024-06-30", pd.DataFrame({"customer_id": ["c1"], "clv": [12.5]}))
    result = valuecrm.referral_value(db)
    assert result.table.empty and list(result.table.columns)[:2] == ["referrer_id", "referrals"]
    assert result.totals()["crv"] == 0 and result.equity_with_referrals == 12.5


def test_the_referred_share_of_equity_agrees_with_acquisition(acquired_db):
    with valuecrm.connect(acquired_db, read_only=True) as database:
        result = valuecrm.referral_value(database)
        by = valuecrm.acquisition(database, "referred").table.set_index("source")
    assert result.referrals > 0 and result.rewards > 0
    assert result.referred_equity_share == pytest.approx(by.loc[REFERRED, "equity_share"])
    assert result.crv == pytest.approx(result.referred_clv - result.rewards)


def test_a_customer_referred_twice_is_shared(hand):
    from tests.helpers.data import insert

    insert(hand, "referrals", pd.DataFrame({
        "referral_id": ["r6"], "referrer_id": ["a2"], "referred_customer_id": ["a4"],
        "referred_at": pd.to_datetime(["2024-01-22"]), "converted": [True], "reward": [0.0]}))
    result = valuecrm.referral_value(hand)
    assert result.table.set_index("referrer_id")["referred_clv"].to_dict() == {
        "a2": 250.0, "a1": 150.0}
    assert result.referred_clv == 400.0  # a4 and a5 once each


def test_one_referrer_of_a_customer_referred_twice_is_their_row_of_the_full_table(hand):
    """``referrer=`` shares a customer with several referrers among all of them, as the full
    table does (it shared them among that referrer's own referrals only: a1 got all of a4)."""
    from tests.helpers.data import insert

    insert(hand, "referrals", pd.DataFrame({
        "referral_id": ["r6"], "referrer_id": ["a2"], "referred_customer_id": ["a4"],
        "referred_at": pd.to_datetime(["2024-01-22"]), "converted": [True], "reward": [0.0]}))
    full = valuecrm.referral_value(hand).table.set_index("referrer_id")
    for referrer in ("a1", "a2"):
        one = valuecrm.referral_value(hand, referrer=referrer)
        assert one.table.set_index("referrer_id").loc[referrer].to_dict() == \
            full.loc[referrer].to_dict()
        assert one.referred_clv == full.loc[referrer, "referred_clv"]
    assert valuecrm.referral_value(hand, referrer="a1").referred_clv == 150.0


def _tied(database) -> None:
    """Three more referrers, each with one referral that brought nobody and no reward (CRV 0
    each, a tie), inserted in reverse order of their ids."""
    from tests.helpers.data import insert

    insert(database, "referrals", pd.DataFrame({
        "referral_id": ["r9", "r8", "r7"], "referrer_id": ["a6", "a5", "a3"],
        "referred_customer_id": [None, None, None],
        "referred_at": pd.to_datetime(["2024-02-01"] * 3), "converted": [False] * 3,
        "reward": [0.0] * 3}))


def test_a_page_of_referrers_is_the_head_of_the_ordered_table(hand):
    """``top`` and ``offset`` read one page in the engine (largest CRV first, ties by referrer
    id, whatever the order of the rows); the totals stay every referrer's."""
    _tied(hand)
    full = valuecrm.referral_value(hand)
    assert full.table["referrer_id"].tolist() == ["a1", "a2", "a3", "a5", "a6"]
    assert full.table["crv"].tolist() == [290.0, 95.0, 0.0, 0.0, 0.0]
    for top, offset in ((2, 0), (2, 2), (1, 3), (3, 4), (2, 9), (0, 0)):
        page = valuecrm.referral_value(hand, top=top, offset=offset)
        assert page.table.equals(full.table.iloc[offset:offset + top].reset_index(drop=True))
        assert page.totals() == full.totals() and page.offset == offset
    assert full.totals()["referrers"] == 5 and full.totals()["referrals"] == 7
    for kwargs in ({"top": -1}, {"offset": -2}, {"top": True}, {"offset": 1.5}):
        with pytest.raises(ParameterError) as error:
            valuecrm.referral_value(hand, **kwargs)
        assert error.value.parameter == next(iter(kwargs))


def test_the_totals_are_the_sums_over_every_referrer(acquired_db):
    import math

    with valuecrm.connect(acquired_db, read_only=True) as database:
        for joined_anyway, saving in ((0.0, 0.0), (0.3, 25.0)):
            full = valuecrm.referral_value(database, joined_anyway=joined_anyway,
                                           acquisition_saving=saving)
            table = full.table
            assert len(table) > 20 and table["referrer_id"].is_unique
            ordered = table.sort_values(["crv", "referrer_id"], ascending=[False, True])
            assert ordered.index.tolist() == list(range(len(table)))
            assert full.referrers == len(table)
            assert full.referrals == table["referrals"].sum()
            assert full.converted == table["converted"].sum()
            for name in ("rewards", "referred_clv", "crv"):  # exact sums, to the last cent
                assert getattr(full, name) == pytest.approx(math.fsum(table[name]),
                                                            rel=1e-12, abs=1e-9)
            # the CRV of each referrer computed in the engine is the formula's, to the bit
            expected = ((1.0 - joined_anyway) * table["referred_clv"]
                        + saving * table["converted"] - table["rewards"])
            assert table["crv"].tolist() == expected.tolist()
            assert table["clv_plus_crv"].tolist() == (table["clv"].fillna(0.0)
                                                      + table["crv"]).tolist()
            page = valuecrm.referral_value(database, joined_anyway=joined_anyway,
                                           acquisition_saving=saving, top=10, offset=5)
            assert page.table.equals(table.iloc[5:15].reset_index(drop=True))
            assert page.totals() == full.totals()


def test_a_page_reads_only_its_rows(hand, monkeypatch):
    """No step reads the whole table of referrers into Python for a page or the totals."""
    read = record_table_reads(monkeypatch)
    _tied(hand)
    page = valuecrm.referral_value(hand, top=2, offset=1)
    assert page.table["referrer_id"].tolist() == ["a2", "a3"] and page.referrers == 5
    assert read and max(read) <= 2
    read.clear()
    assert valuecrm.referral_value(hand, top=0).table.empty
    assert max(read) <= 1  # the totals: one row


def test_an_amount_reaches_the_engine_as_the_same_double():
    """A plain numeric literal is a DECIMAL to DuckDB, and its conversion to a double is off
    in the last place for some numbers; the parameters go in from their shortest text."""
    import ibis

    from valuecrm.reports.referral_value import _double

    con = ibis.duckdb.connect()
    for number in (0.9452706955539223, 0.38120423768821243, 0.21659939713061338, 0.7, 25.0,
                   1.0 - 0.123456789):
        assert con.execute(_double(number)) == number
