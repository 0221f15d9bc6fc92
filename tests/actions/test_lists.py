"""Retention and win-back lists on a generated base with two snapshots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers.data import GENERATED_EARLIER as EARLIER
from tests.helpers.data import GENERATED_LATER as LATER
from valuecrm.actions import (
    RETENTION_COLUMNS,
    WINBACK_COLUMNS,
    ReasonRules,
    retention_list,
    winback_list,
)
from valuecrm.analysis import read_snapshot
from valuecrm.errors import DataError, NotFoundError, ParameterError
from valuecrm.store import connect


@pytest.fixture(scope="module")
def lists(two_snapshots):
    with connect(two_snapshots.path, read_only=True) as database:
        return {
            "retention": retention_list(database),
            "winback": winback_list(database),
            "winback_earlier": winback_list(database, snapshot=EARLIER),
            "later": read_snapshot(database, LATER).to_pandas(),
            "earlier": read_snapshot(database, EARLIER).to_pandas(),
            "complaints": database.table("complaints").to_pandas(),
        }


def test_retention_list_ranks_by_value_at_risk(lists):
    frame, rows = lists["retention"], lists["later"]
    assert list(frame.columns) == RETENTION_COLUMNS
    assert len(frame) > 20
    assert set(frame["status"]) <= {"at risk", "lapsed"}
    assert frame["value_at_risk"].is_monotonic_decreasing
    np.testing.assert_allclose(frame["value_at_risk"], frame["clv"] * (1 - frame["p_alive"]))
    expected = rows[rows["status"].isin(["at risk", "lapsed"])
                    & (rows["clv"] >= rows["clv"].median())]
    assert set(frame["customer_id"]) == set(expected["customer_id"])
    assert (frame["snapshot_date"] == pd.Timestamp(LATER)).all()


def test_retention_list_gives_the_change_in_p_alive(lists):
    frame = lists["retention"]
    before = lists["earlier"].set_index("customer_id")["p_alive"]
    change = frame["p_alive"] - frame["customer_id"].map(before)
    np.testing.assert_allclose(frame["p_alive_change"], change)
    assert frame["p_alive_change"].notna().sum() > 10


def test_retention_list_top_and_statuses(two_snapshots, lists):
    with connect(two_snapshots.path, read_only=True) as database:
        top = retention_list(database, top=5)
        lapsed = retention_list(database, statuses=["lapsed"], min_clv=0.0)
        with pytest.raises(ParameterError):
            retention_list(database, statuses=["gone"])
        with pytest.raises(ParameterError):
            retention_list(database, top=0)
    pd.testing.assert_frame_equal(top, lists["retention"].head(5))
    assert set(lapsed["status"]) == {"lapsed"}


def test_winback_list_ranks_by_expected_value_times_chance(lists):
    frame = lists["winback"]
    assert list(frame.columns) == WINBACK_COLUMNS
    assert set(frame["status"]) <= {"lost", "lapsed"}
    assert frame["score"].is_monotonic_decreasing
    np.testing.assert_allclose(frame["score"], frame["expected_value"] * frame["chance"])
    assert frame["chance"].between(0, 1).all()
    assert frame.attrs["chance_method"].startswith("observed")
    rows = lists["later"].set_index("customer_id").loc[frame["customer_id"]]
    years = (rows["last_purchase"] - rows["first_purchase"]).dt.days / 365.25
    np.testing.assert_allclose(frame["expected_value"],
                               rows["margin"].to_numpy() / np.maximum(years.to_numpy(), 1.0))


def test_winback_chance_decays_without_an_earlier_snapshot(lists):
    frame = lists["winback_earlier"]
    assert frame.attrs["chance_method"].startswith("decay")
    np.testing.assert_allclose(frame["chance"], 0.2 * 0.5 ** (frame["days_since_last"] / 365))


def test_winback_reasons_find_the_planted_complaint_leavers(lists, two_snapshots):
    frame = lists["winback"].merge(two_snapshots.truth[["customer_id", "left_after_complaint"]],
                                   on="customer_id")
    by_complaint = frame["reason"].str.startswith("complaint: ") | (
        frame["reason"] == "service failure")
    planted = frame["left_after_complaint"]
    assert planted.sum() >= 10
    recall = (by_complaint & planted).sum() / planted.sum()
    assert recall >= 0.9
    complained = set(lists["complaints"]["customer_id"])
    assert frame.loc[by_complaint, "customer_id"].isin(complained).all()
    assert "price sensitivity" in set(frame["reason"])
    # trust 13: without a complaint or a price signal, the orders give the reason
    assert set(frame["reason_code"]) >= {"category_stopped", "one_purchase"}


def test_reasons_follow_the_last_complaint(lists):
    frame = lists["winback"].set_index("customer_id")
    cases = lists["complaints"].sort_values(["opened_at", "complaint_id"])
    last = cases[cases["opened_at"] < pd.Timestamp(LATER) + pd.Timedelta(days=1)]
    last = last.groupby("customer_id").tail(1).set_index("customer_id")
    rules = ReasonRules()
    for customer, row in frame.iterrows():
        if not (row["reason"].startswith("complaint: ") or row["reason"] == "service failure"):
            continue
        case = last.loc[customer]
        slow = pd.isna(case["resolution_hours"]) or case["resolution_hours"] > 72
        assert (row["reason"] == "service failure") == slow, customer
        if not slow:
            assert row["reason"] == f"complaint: {case['category']}"
            poor = (case["satisfaction_after"] <= rules.poor_rating) or (
                case[["outcome_justice", "procedural_justice",
                      "interactional_justice"]].mean() <= rules.poor_rating)
            assert row["poor_recovery"] == poor, customer


def test_no_snapshot_says_to_run_analyze(db):
    for make in (retention_list, winback_list):
        with pytest.raises(NotFoundError) as error:
            make(db)
        assert "valuecrm analyze" in error.value.hint


def test_snapshot_without_a_model_says_so(db):
    from tests.helpers.data import store_snapshot

    store_snapshot(db, "2024-06-30", pd.DataFrame({"customer_id": ["a", "b"],
                                                   "status": ["lost", "at risk"]}))
    for make in (retention_list, winback_list):
        with pytest.raises(DataError, match="no P\\(alive\\)") as error:
            make(db)
        assert "valuecrm analyze" in error.value.hint


def test_retention_list_with_falling_p_alive(two_snapshots, lists):
    with connect(two_snapshots.path, read_only=True) as database:
        wider = retention_list(database, min_drop=0.1)
        with pytest.raises(ParameterError):
            retention_list(database, min_drop=2.0)
    extra = wider[~wider["customer_id"].isin(lists["retention"]["customer_id"])]
    assert len(extra) > 0
    assert (extra["p_alive_change"] <= -0.1).all()
    assert set(extra["status"]) <= {"new", "active"}
    assert wider["value_at_risk"].is_monotonic_decreasing
