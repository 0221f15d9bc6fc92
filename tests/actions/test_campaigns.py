"""Campaigns with control groups through the Python API: plan, stratified random assignment,
the treatment list, the check after the window, the decision; and bad input that writes
nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers.campaigns import campaign_database
from valuecrm.actions.campaigns import (
    assign_campaign,
    decide_campaign,
    launch_campaign,
    measure_campaign,
    plan_campaign,
    random_assignment,
)
from valuecrm.actions.campaigns.plan import TARGET_NAMES
from valuecrm.errors import DataError, NotFoundError, ParameterError
from valuecrm.store import connect
from valuecrm.store.snapshots import get_snapshot, read_snapshot
from valuecrm.synthetic.campaign_responses import plant_campaign_responses

AFTER_WINDOW = dt.datetime(2025, 3, 1)


@pytest.fixture
def database(tmp_path):
    with connect(campaign_database(tmp_path / "crm.duckdb")) as opened:
        yield opened


def _plan(database, **changes):
    args = {"name": "Spring win-back", "kind": "winback", "channel": "email",
            "target": "segment:Champions", "offer": "20 off", "cost_per_contact": 0.5,
            "hypothesis": "A coupon brings champions back", "expected_effect": 0.05,
            "start": "2025-01-01", "window_days": 30, "campaign_id": "K1"}
    return plan_campaign(database, **{**args, **changes})


def _counts(database):
    raw = database.raw
    return tuple(raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("campaigns", "campaign_members", "campaign_results"))


def test_a_campaign_goes_through_plan_do_check_act(database, tmp_path):
    row = _plan(database)
    assert row["status"] == "planned" and row["target"] == "segment: Champions"
    done = assign_campaign(database, "K1", control_share=0.25, seed=7, stratify_by="tier")
    assert done["treatment"] + done["control"] == 200 and done["strata"] == 3
    out = tmp_path / "treatment.csv"
    launched = launch_campaign(database, "K1", out)
    assert launched["treated"] == done["treatment"]
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert list(listed.columns[:4]) == ["campaign_id", "customer_id", "name", "email"]
    assert "phone" not in listed.columns  # the e-mail channel needs no phone number
    members = database.raw.execute(
        "SELECT customer_id FROM campaign_members WHERE \"group\" = 'control'").fetch_df()
    assert not set(members["customer_id"]) & set(listed["customer_id"])
    truth = plant_campaign_responses(database, "K1", lift=0.3, base_rate=0.1, seed=2)
    results = measure_campaign(database, "K1", as_of=AFTER_WINDOW).set_index("outcome")
    purchase = results.loc["purchase"]
    assert purchase["ci_low"] < truth["planted_lift"] < purchase["ci_high"]
    assert purchase["difference"] == pytest.approx(
        truth["treatment_rate"] - truth["control_rate"])
    revenue = results.loc["revenue"]
    assert revenue["contact_cost"] == pytest.approx(0.5 * launched["treated"])
    assert revenue["incremental"] == pytest.approx(revenue["difference"] * launched["treated"])
    assert revenue["roi"] == pytest.approx(
        (revenue["incremental"] - revenue["contact_cost"]) / revenue["contact_cost"])
    decided = decide_campaign(database, "K1", "scale", "The coupon works: send it to all.")
    assert decided["status"] == "decided" and decided["decision"] == "scale"


def test_assignment_is_reproducible_and_keeps_the_share_in_every_stratum():
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(300)],
                          "stratum": ["a"] * 100 + ["b"] * 200})
    first = random_assignment(frame, 0.2, seed=5)
    assert first.equals(random_assignment(frame.sample(frac=1, random_state=1).sort_index(),
                                          0.2, seed=5))
    assert not first.equals(random_assignment(frame, 0.2, seed=6))
    shares = (first == "control").groupby(frame["stratum"]).mean()
    assert shares.to_dict() == {"a": 0.2, "b": 0.2}


@pytest.mark.parametrize("share", [0, 1, 0.0, 1.0, -0.1, 1.5])
def test_a_control_share_of_0_or_1_is_refused_and_nothing_is_written(database, share):
    _plan(database)
    before = _counts(database)
    with pytest.raises(ParameterError, match="control_share"):
        assign_campaign(database, "K1", control_share=share, seed=1)
    assert _counts(database) == before


def test_a_group_of_fewer_than_2_is_refused_and_nothing_is_written(database):
    _plan(database, target="list")
    with pytest.raises(DataError, match="at least 2"):
        assign_campaign(database, "K1", control_share=0.2, seed=1, stratify_by="none",
                        customers=["C0001", "C0002", "C0003"])
    assert _counts(database) == (1, 0, 0)


def test_a_list_is_checked_and_stratified_in_the_engine(database):
    """Ids not in the customers table are named (how many, and the first by id); the list's
    customers take their stratum from the latest analysis, those without one 'unknown'."""
    _plan(database, target="list")
    customers = database.raw.execute(
        "SELECT customer_id FROM customers ORDER BY customer_id LIMIT 40").fetchall()
    listed = [c for (c,) in customers]
    with pytest.raises(ParameterError, match=r"2 customer ids .* e\.g\. \['ZZ1', 'ZZ2'\]"):
        assign_campaign(database, "K1", control_share=0.25, seed=3, stratify_by="tier",
                        customers=["ZZ2", *listed, "ZZ1"])
    assert _counts(database) == (1, 0, 0)
    done = assign_campaign(database, "K1", control_share=0.25, seed=3, stratify_by="tier",
                           customers=[*listed, listed[0]])  # a repeated id counts once
    assert done["treatment"] + done["control"] == 40
    members = database.raw.execute(
        "SELECT customer_id, stratum FROM campaign_members ORDER BY customer_id").fetchall()
    tiers = dict(database.raw.execute(
        "SELECT customer_id, tier FROM customer_value WHERE snapshot_id = ?",
        [get_snapshot(database).snapshot_id]).fetchall())
    assert members == [(c, str(tiers[c]) if tiers.get(c) is not None else "unknown")
                       for c in listed]


def test_an_effect_of_a_campaign_without_a_control_group_is_refused(database):
    _plan(database)
    assign_campaign(database, "K1", control_share=0.2, seed=1)
    launch_campaign(database, "K1")
    database.raw.execute("UPDATE campaign_members SET \"group\" = 'treatment'")  # as imported
    with pytest.raises(DataError, match="selection, not effect"):
        measure_campaign(database, "K1", as_of=AFTER_WINDOW)
    assert _counts(database)[2] == 0
    assert database.raw.execute("SELECT status FROM campaigns").fetchone()[0] == "launched"


def test_bad_plans_and_steps_out_of_order_are_explained(database):
    with pytest.raises(ParameterError, match="'target'"):
        _plan(database, target="region:north")
    with pytest.raises(ParameterError, match="'kind'"):
        _plan(database, kind="spam")
    _plan(database)
    with pytest.raises(NotFoundError, match="no campaign 'K9'"):
        assign_campaign(database, "K9", control_share=0.2, seed=1)
    with pytest.raises(ParameterError, match="not been launched"):
        measure_campaign(database, "K1", as_of=AFTER_WINDOW)
    with pytest.raises(ParameterError, match="decide after measuring"):
        decide_campaign(database, "K1", "stop", "too early")
    # a name analyze never gives is refused at once, with the names it gives
    with pytest.raises(ParameterError, match="VIP, key, ordinary, small"):
        _plan(database, campaign_id="K2", target="tier:Gold")
    with pytest.raises(ParameterError, match="Champions"):
        _plan(database, campaign_id="K2", target="segment:Nobody")
    assert _plan(database, campaign_id="K3", target="segment:champions")["target"] == \
        "segment: Champions"
    # a name analyze gives, but nobody in it on the latest analysis: refused at assignment
    present = set(read_snapshot(database, get_snapshot(database).snapshot_id)
                  .rfm_segment.to_pandas())
    empty = next(name for name in TARGET_NAMES["segment"] if name not in present)
    _plan(database, campaign_id="K4", target=f"segment:{empty}")
    with pytest.raises(DataError, match=f"No customer is in segment '{empty}'"):
        assign_campaign(database, "K4", control_share=0.2, seed=1)


def test_the_next_list_ranks_the_persuadable_first(database):
    """A lift planted on the VIP tier only: the learner finds it, and VIPs lead the list."""
    from valuecrm.actions.campaigns import uplift_targets

    _plan(database, target="list")
    everyone = [f"C{i:04d}" for i in range(600)]
    assign_campaign(database, "K1", control_share=0.5, seed=3, stratify_by="tier",
                    customers=everyone)
    launch_campaign(database, "K1")
    plant_campaign_responses(database, "K1", lift={"VIP": 0.6}, base_rate=0.1, seed=4)
    ranked = uplift_targets(database, "K1", as_of=AFTER_WINDOW)
    assert len(ranked) == 600 and "two-model uplift" in ranked.attrs["method"]
    by_tier = ranked.groupby("tier")["uplift"].mean()
    assert by_tier["VIP"] > 0.3 > 0.15 > max(by_tier["key"], by_tier["ordinary"])
    assert (ranked.head(100)["tier"] == "VIP").mean() > 0.9
    assert ranked["score"].is_monotonic_decreasing


def test_the_next_list_is_the_same_scored_in_chunks(database, monkeypatch):
    """Every customer is scored a chunk at a time (the features of all of them are never
    held): the ranking, and its top, are those of one pass."""
    from valuecrm.actions.campaigns import next_list, uplift_targets

    _plan(database, target="list")
    assign_campaign(database, "K1", control_share=0.5, seed=3, stratify_by="tier",
                    customers=[f"C{i:04d}" for i in range(600)])
    launch_campaign(database, "K1")
    plant_campaign_responses(database, "K1", lift={"VIP": 0.6}, base_rate=0.1, seed=4)
    whole = uplift_targets(database, "K1", as_of=AFTER_WINDOW)
    monkeypatch.setattr(next_list, "CHUNK", 7)
    chunked = uplift_targets(database, "K1", as_of=AFTER_WINDOW)
    pd.testing.assert_frame_equal(chunked, whole)
    top = uplift_targets(database, "K1", as_of=AFTER_WINDOW, top=25)
    pd.testing.assert_frame_equal(top, whole.head(25))
