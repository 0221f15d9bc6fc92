"""Complaints, service recovery and the journey on hand-made rows whose answers are worked out
by hand in the comments, the justice regression against an independent numpy computation of OLS
with HC3 standard errors, and empty databases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.helpers.data import insert
from valuecrm.errors import ParameterError
from valuecrm.store import connect
from valuecrm.views import voice_service
from valuecrm.voice import (
    complaint_rates,
    complaint_resolution,
    complaint_stages,
    cost_to_serve,
    journey_funnel,
    journey_mix,
    justice_effects,
    recovery_retention,
)

T = pd.Timestamp


@pytest.fixture
def shop(db):
    """a: complained about o1 (recovered well: 6), bought again a month later, then complained
    again (still open); b: complained about o4 (badly recovered: 2), back only 7 months later;
    c and d never complained; e got in touch but never bought."""
    insert(db, "customers", pd.DataFrame({"customer_id": list("abcde")}))
    insert(db, "orders", pd.DataFrame({
        "order_id": [f"o{i}" for i in range(1, 10)],
        "customer_id": list("aaabbcccd"),
        "ordered_at": [T("2024-01-01"), T("2024-02-01"), T("2024-06-01"), T("2024-01-10"),
                       T("2024-08-01"), T("2024-01-05"), T("2024-01-20"), T("2024-12-31"),
                       T("2024-03-01")],
        "amount": 10.0, "status": "completed"}))
    insert(db, "complaints", pd.DataFrame({
        "complaint_id": ["k1", "k2", "k3"], "customer_id": ["a", "b", "a"],
        "order_id": ["o1", "o4", "o3"],
        "opened_at": [T("2024-01-02"), T("2024-01-11"), T("2024-06-02")],
        "resolved_at": [T("2024-01-03"), T("2024-01-12"), None],
        "satisfaction_after": [6.0, 2.0, None], "outcome_justice": [6.0, 2.0, None],
        "procedural_justice": [6.0, 3.0, None], "interactional_justice": [5.0, 2.0, None]}))
    insert(db, "interactions", pd.DataFrame({
        "interaction_id": [f"i{i}" for i in range(1, 7)],
        "customer_id": list("cceaac"),
        "occurred_at": [T("2024-01-01"), T("2024-01-03"), T("2024-05-01"),
                        T("2024-01-01 12:00"), T("2024-05-01"), T("2024-02-01")],
        "stage": ["information", "enquiry", "information", "delivery", "payment",
                  "after_sales"],
        "channel": ["web", "phone", "web", "phone", "chat", "email"],
        "cost_to_serve": [1.0, 2.0, 1.0, 4.0, 3.0, 5.0]}))
    return db


def test_rates_and_resolution_by_hand(shop):
    rates = complaint_rates(shop)
    assert rates["complaints"] == 3 and rates["orders"] == 9
    assert rates["per_100_orders"]["rate_per_100"] == pytest.approx(100 * 3 / 9)
    assert rates["complainer_share"]["share"] == pytest.approx(2 / 4)
    jan = next(m for m in rates["by_month"] if m["month"] == "2024-01")
    assert (jan["complaints"], jan["orders"]) == (2, 4)
    res = complaint_resolution(shop)
    assert (res["resolved"], res["open"]) == (2, 1)
    assert res["hours"]["median"] == pytest.approx(24.0)  # from resolved_at - opened_at
    assert res["satisfaction_after"]["mean"] == pytest.approx(4.0)
    assert res["success"]["share"] == pytest.approx(0.5)


def test_retention_groups_by_hand(shop):
    """Success (a, k1): back on 02-01 within 90 days of 01-03. Failure (b, k2): next on 08-01.
    No complaint: c's o6 (followed from 01-07, the median 2 days from a complained purchase to
    its resolution: o7 on 01-20, back) and o7 (next only 12-31), d's o9 (never again); c's o8
    starts after 10-02, 90 days before the last purchase, and is left out."""
    result = recovery_retention(shop, days=90)
    groups = result["groups"]
    assert (groups["success"]["k"], groups["success"]["n"]) == (1, 1)
    assert (groups["failure"]["k"], groups["failure"]["n"]) == (0, 1)
    assert (groups["no_complaint"]["k"], groups["no_complaint"]["n"]) == (1, 3)
    assert groups["no_complaint"]["customers_clustered"]
    assert result["paradox"]["verdict"] == "not supported"  # one success proves nothing
    # with a 210-day window b is back in time (08-01 is 202 days after 01-12)
    assert recovery_retention(shop, days=210)["groups"]["failure"]["k"] == 1
    assert recovery_retention(shop, days=90, success_threshold=7)["groups"]["success"]["n"] == 0


def test_journey_by_hand(shop):
    mix = journey_mix(shop)
    assert mix["contacts"] == 6
    stages = {r["stage"]: r["contacts"] for r in mix["by_stage"]}
    assert stages == {"information": 2, "enquiry": 1, "delivery": 1, "payment": 1,
                      "after_sales": 1}
    before = {r["stage"]: r["contacts"] for r in mix["phases"]["before_first_order"]["by_stage"]}
    assert before == {"information": 2, "enquiry": 1}  # c before 01-05, e never bought
    cost = cost_to_serve(shop)
    assert cost["contacting_customers"] == 3 and cost["cost_to_serve"] == pytest.approx(16.0)
    assert cost["per_customer"]["cost"] == pytest.approx(16.0 / 5)
    funnel = journey_funnel(shop)
    steps = {s["step"]: s["customers"] for s in funnel["steps"]}
    # every step nested in the one before: nobody reached selection, so nobody through it
    # ordered; of the two in touch first, one ordered whatever stages they passed
    assert steps == {"first_contact": 2, "information": 2, "enquiry": 1, "selection": 0,
                     "first_order": 0}
    assert (funnel["ordered"]["k"], funnel["ordered"]["n"]) == (1, 2)
    placed = {r["stage"]: r["complaints"] for r in complaint_stages(shop, days=30)["by_stage"]}
    assert placed == {"delivery": 1, "unplaced": 2}  # k3's payment contact is 32 days before
    placed = {r["stage"]: r["complaints"] for r in complaint_stages(shop, days=40)["by_stage"]}
    assert placed == {"delivery": 1, "payment": 1, "unplaced": 1}


def test_too_few_rated_complaints_for_the_regression(shop):
    assert "too few rated complaints" in justice_effects(shop)["missing"]


def test_justice_regression_is_ols_with_hc3(db):
    """Against numpy: beta = (X'X)^-1 X'y, HC3 = (X'X)^-1 X' diag(e^2 / (1-h)^2) X (X'X)^-1."""
    rng = np.random.default_rng(3)
    n = 300
    x = rng.integers(1, 8, size=(n, 3)).astype(float)
    y = np.clip(np.round(0.5 + 0.3 * x[:, 0] + 0.2 * x[:, 1] + 0.4 * x[:, 2]
                         + rng.normal(0, 0.3 + 0.1 * x[:, 0])), 1, 7)
    insert(db, "complaints", pd.DataFrame({
        "complaint_id": [f"k{i}" for i in range(n)], "customer_id": "c",
        "opened_at": T("2024-01-01"), "outcome_justice": x[:, 0],
        "procedural_justice": x[:, 1], "interactional_justice": x[:, 2],
        "satisfaction_after": y}))
    result = justice_effects(db)
    design = np.column_stack([np.ones(n), x])
    inv = np.linalg.inv(design.T @ design)
    beta = inv @ design.T @ y
    e = y - design @ beta
    h = np.einsum("ij,jk,ik->i", design, inv, design)
    se = np.sqrt(np.diag(inv @ (design.T * (e**2 / (1 - h) ** 2)) @ design @ inv))
    q = stats.t.ppf(0.975, n - 4)
    got = result["coefficients"]
    assert [c["term"] for c in got] == ["intercept", "outcome_justice", "procedural_justice",
                                        "interactional_justice"]
    assert np.allclose([c["coefficient"] for c in got], beta, rtol=1e-9)
    assert np.allclose([c["std_error"] for c in got], se, rtol=1e-9)
    assert np.allclose([c["lower"] for c in got], beta - q * se, rtol=1e-9)
    assert result["r_squared"] == pytest.approx(1 - (e @ e) / ((y - y.mean()) @ (y - y.mean())))


def test_constant_justice_is_said_not_crashed(db):
    insert(db, "complaints", pd.DataFrame({
        "complaint_id": [f"k{i}" for i in range(10)], "customer_id": "c",
        "opened_at": T("2024-01-01"), "outcome_justice": 4.0,
        "procedural_justice": np.arange(10) % 7 + 1.0, "interactional_justice": 3.0,
        "satisfaction_after": np.arange(10) % 5 + 1.0}))
    assert "does not vary" in justice_effects(db)["missing"]


def test_empty_database_says_no_complaints_yet(empty_db):
    with connect(empty_db, read_only=True) as database:
        recovery = voice_service.recovery(database)
        journey = voice_service.journey(database)
    assert recovery["rates"]["missing"].startswith("no complaints yet")
    assert recovery["resolution"]["missing"].startswith("no complaints yet")
    assert recovery["justice"]["missing"].startswith("no complaints yet")
    assert recovery["retention"]["missing"].startswith("no complaints yet")
    assert journey["mix"]["missing"].startswith("no interactions yet")
    assert journey["cost"]["missing"].startswith("no interactions yet")
    assert journey["funnel"]["steps"] == []
    assert journey["complaints"]["missing"].startswith("no complaints yet")


def test_bad_parameters_name_themselves(shop):
    with pytest.raises(ParameterError, match="'days' parameter"):
        voice_service.recovery(shop, days=0)
    with pytest.raises(ParameterError, match="'success_threshold' parameter"):
        voice_service.recovery(shop, success_threshold=9)


def test_the_paradox_is_supported_when_the_data_say_so(db):
    """40 customers complain about their first purchase, are recovered well (7) and all come
    back within 30 days; 100 customers without a complaint buy twice 200 days apart: retention
    after a successful recovery 100% against 0% without a complaint."""
    happy = [f"h{i}" for i in range(40)]
    quiet = [f"q{i}" for i in range(100)]
    insert(db, "customers", pd.DataFrame({"customer_id": happy + quiet}))
    insert(db, "orders", pd.DataFrame({
        "order_id": [f"{c}-{k}" for c in happy + quiet for k in (1, 2)],
        "customer_id": [c for c in happy + quiet for _ in (1, 2)],
        "ordered_at": [day for c in happy for day in (T("2024-01-01"), T("2024-01-20"))]
        + [day for c in quiet for day in (T("2024-01-01"), T("2024-07-19"))],
        "amount": 10.0, "status": "completed"}))
    insert(db, "complaints", pd.DataFrame({
        "complaint_id": [f"k{c}" for c in happy], "customer_id": happy,
        "order_id": [f"{c}-1" for c in happy], "opened_at": T("2024-01-02"),
        "resolved_at": T("2024-01-03"), "satisfaction_after": 7.0}))
    result = recovery_retention(db, days=90)
    assert result["groups"]["success"]["share"] == 1.0
    assert result["groups"]["no_complaint"]["share"] == 0.0
    assert result["paradox"]["verdict"] == "supported"
    assert result["paradox"]["lower"] > 0.5


def test_costs_and_durations_are_exact_sums_in_any_order(db):
    """0.1 + 0.2 + 0.3 is 0.6000000000000001 in doubles and 0.6 the other way round: the
    figures sum whole cents (and millionths of a minute), so the row order cannot show."""
    insert(db, "customers", pd.DataFrame({"customer_id": ["a"]}))

    def rows(step: int) -> pd.DataFrame:
        return pd.DataFrame({
            "interaction_id": ["i1", "i2", "i3"][::step], "customer_id": ["a"] * 3,
            "occurred_at": [T("2024-01-01"), T("2024-01-02"), T("2024-01-03")][::step],
            "stage": ["information"] * 3, "channel": ["web"] * 3,
            "cost_to_serve": [0.1, 0.2, 0.3][::step], "duration_minutes": [0.1, 0.2, 0.3][::step]})

    found = []
    for step in (1, -1):
        db.raw.execute("DELETE FROM interactions")
        insert(db, "interactions", rows(step))
        found.append((journey_mix(db), cost_to_serve(db)))
    assert found[0] == found[1]
    mix, cost = found[0]
    (stage,) = mix["by_stage"]
    assert stage["cost_to_serve"] == 0.6 and cost["cost_to_serve"] == 0.6
    assert stage["mean_duration_minutes"] == 0.2
    assert cost["per_contacting_customer"]["cost"]["mean"] == 0.6
