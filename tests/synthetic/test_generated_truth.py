"""The truth beside the data agrees with the data: dropout, costly customers, stages,
complaint-driven churn, campaign effects, and the simple moments of the stated models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy.special import hyp2f1

from valuecrm.synthetic import GeneratorConfig, generate


def _by_customer(frame: pd.DataFrame, column: str, how: str = "sum") -> pd.Series:
    return frame.groupby("customer_id")[column].agg(how)


def test_truth_has_one_row_per_customer(generated):
    truth, customers = generated.truth, generated.frames["customers"]
    assert list(truth.customer_id) == list(customers.customer_id)
    assert {"lambda", "p", "dropout_at", "alive_at_end", "planted_stage", "costly",
            "expected_spend"} <= set(truth.columns)


def test_inactive_customers_have_no_orders_after_dropout(generated):
    truth = generated.truth.set_index("customer_id")
    orders = generated.frames["orders"]
    dead = truth[~truth.alive_at_end]
    assert len(dead) > 0.2 * len(truth)
    assert dead.dropout_at.notna().all() and truth[truth.alive_at_end].dropout_at.isna().all()
    last = orders.groupby("customer_id").ordered_at.max()
    assert (last.loc[dead.index] <= dead.dropout_at).all()
    # the BG/NBD dropout happens right after a purchase: that purchase is the last order
    silent = dead[~dead.left_after_complaint]
    assert (last.loc[silent.index] == silent.dropout_at.dt.floor("s")).mean() > 0.95


def test_costly_customers_lose_money(generated):
    truth = generated.truth.set_index("customer_id")
    margin = _by_customer(generated.frames["orders"], "margin")
    contacts = _by_customer(generated.frames["interactions"], "cost_to_serve")
    complaints = _by_customer(generated.frames["complaints"], "cost_to_serve")
    cost = contacts.reindex(truth.index, fill_value=0) + complaints.reindex(truth.index,
                                                                            fill_value=0)
    net = margin.reindex(truth.index, fill_value=0) - cost
    costly = truth.costly
    assert 0.02 < costly.mean() < 0.1
    assert (net[costly] < 0).all()
    assert (net[~costly] < 0).mean() < 0.25
    assert np.allclose(truth.margin, margin.reindex(truth.index, fill_value=0), atol=0.05)
    assert np.allclose(truth.cost_to_serve, cost, atol=0.05)
    # and they really are heavier users of service
    contacts_n = generated.frames["interactions"].customer_id.value_counts()
    per = contacts_n.reindex(truth.index, fill_value=0)
    assert per[costly].mean() > 5 * per[~costly].mean()


def test_planted_stages(generated):
    truth = generated.truth
    stages = truth.planted_stage
    assert set(stages) == {"exploration", "formation", "stability", "decline", "lost"}
    assert (stages[~truth.alive_at_end] == "lost").all()
    assert (stages[truth.alive_at_end] != "lost").all()
    cfg = generated.result.config
    alive = truth[truth.alive_at_end]
    assert (alive.T_weeks[alive.planted_stage == "exploration"] < cfg.exploration_weeks).all()
    assert (alive.T_weeks[alive.planted_stage == "stability"] >= cfg.formation_weeks).all()
    assert alive.decline_onset_at[alive.planted_stage == "decline"].notna().all()


def test_decline_cost_in_expected_purchases(generated):
    """``decline_lost_purchases`` = lambda (x - tau (1 - exp(-x / tau))), x = weeks past the
    onset at the end date; ``expected_repeat_purchases`` = lambda M(T)."""
    truth = generated.truth
    tau = generated.result.config.decline_weeks
    onset = (truth.decline_onset_at - truth.first_purchase_at).dt.total_seconds() / 604800
    past = (truth.T_weeks - onset).clip(lower=0).fillna(0.0)
    expected = truth["lambda"] * (past - tau * (1 - np.exp(-past / tau)))
    assert np.allclose(truth.decline_lost_purchases, expected, rtol=1e-6, atol=1e-6)
    assert (truth.decline_lost_purchases[truth.decline_onset_at.isna()] == 0).all()
    alive = truth[truth.alive_at_end]
    assert (alive.decline_lost_purchases[alive.planted_stage == "decline"] > 0).all()
    assert np.allclose(truth.expected_repeat_purchases, truth["lambda"] * truth.operational_weeks)
    # a decline that cost purchases shows: far fewer repeats than the path without it predicts
    # (seed 7: 0.44), while the others bought about what their path predicts (0.94)
    lost = alive[alive.decline_lost_purchases >= 2]
    assert lost.n_repeat_purchases.sum() < 0.6 * (lost.expected_repeat_purchases
                                                  + lost.decline_lost_purchases).sum()
    steady = alive[(alive.decline_lost_purchases == 0) & (alive.expected_repeat_purchases >= 2)]
    assert steady.n_repeat_purchases.sum() > 0.8 * steady.expected_repeat_purchases.sum()


def test_decline_lowers_recent_purchasing(generated):
    """Customers planted in decline bought less in their last 26 weeks than stable ones."""
    truth = generated.truth.set_index("customer_id")
    orders = generated.frames["orders"]
    end = pd.Timestamp(generated.result.config.end) + pd.Timedelta(days=1)
    recent = orders[(orders.status == "completed")
                    & (orders.ordered_at >= end - pd.Timedelta(weeks=26))]
    count = recent.customer_id.value_counts().reindex(truth.index, fill_value=0)
    rate = count / truth["lambda"]
    old = truth.T_weeks > 52
    assert rate[old & (truth.planted_stage == "decline")].mean() \
        < 0.7 * rate[old & (truth.planted_stage == "stability")].mean()


def test_repeat_purchase_counts_match_the_orders(generated):
    truth = generated.truth.set_index("customer_id")
    completed = generated.frames["orders"].query("status == 'completed'")
    count = completed.customer_id.value_counts().reindex(truth.index, fill_value=0)
    assert (count == 1 + truth.n_repeat_purchases + truth.n_campaign_orders).all()


def test_poor_recovery_drives_leaving(generated):
    truth = generated.truth
    complaints = generated.frames["complaints"]
    leavers = truth[truth.left_after_complaint].customer_id
    assert len(leavers) > 0
    assert set(leavers) <= set(complaints.customer_id)
    resolved = complaints.dropna(subset=["satisfaction_after"])
    left = resolved.customer_id.isin(set(leavers))
    poor = resolved.satisfaction_after <= 3
    assert left[poor].mean() > left[~poor].mean()
    justice = resolved[["outcome_justice", "procedural_justice", "interactional_justice"]]
    assert justice.mean(axis=1).corr(resolved.satisfaction_after) > 0.5


def test_surveys_follow_satisfaction(generated):
    truth = generated.truth.set_index("customer_id")
    survey = generated.frames["survey_responses"]
    nps = survey[survey.question == "nps"].set_index("customer_id").score
    sat = survey[survey.question == "satisfaction"].set_index("customer_id").score
    assert np.corrcoef(nps, truth.satisfaction.loc[nps.index])[0, 1] > 0.6
    assert np.corrcoef(nps, sat.loc[nps.index])[0, 1] > 0.5
    # satisfied customers stay longer
    assert truth.p[truth.satisfaction > 0.5].mean() < truth.p[truth.satisfaction < -0.5].mean()


def test_campaign_truth(generated):
    campaigns = generated.truth_json["campaigns"]
    members = generated.frames["campaign_members"]
    assert [c["planted_lift"] for c in campaigns] == \
        list(generated.result.config.campaign_lifts)
    for c in campaigns:
        group = members[members.campaign_id == c["campaign_id"]].group.value_counts()
        assert group.get("treatment", 0) == c["treatment"]
        assert group.get("control", 0) == c["control"]
        assert 0 <= c["expected_lift"] <= c["planted_lift"]
        if c["planted_lift"] == 0:
            assert c["extra_orders"] == 0
    assert sum(c["extra_orders"] for c in campaigns) == generated.truth.n_campaign_orders.sum()
    assert members.loc[members.group == "control", "contacted_at"].isna().all()
    assert members.loc[members.group == "treatment", "contacted_at"].notna().all()


def test_truth_json_states_the_models(generated):
    doc = generated.truth_json
    assert doc["parameters"]["bgnbd"] == {"r": 1.0, "alpha": 2.6, "a": 1.4, "b": 14.0}
    assert doc["parameters"]["gamma_gamma"] == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert doc["counts"] == generated.result.counts
    assert doc["config"]["n_customers"] == len(generated.truth)


def expected_repeats(t, r, alpha, a, b):
    """BG/NBD E[X(t)] (Fader, Hardie & Lee 2005, equation 9)."""
    z = t / (alpha + t)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))


def test_repeat_purchases_match_the_bgnbd_expectation(tmp_path):
    """With nothing planted on top, the mean number of repeat purchases is E[X(T)]."""
    cfg = GeneratorConfig(lifecycle=False, complaint_churn=False, campaign_lifts=())
    result = generate(6_000, out=tmp_path, seed=3, config=cfg)
    truth = pq.read_table(result.truth_path).to_pandas()
    expected = expected_repeats(truth.T_weeks, cfg.r, cfg.alpha, cfg.a, cfg.b).mean()
    observed = truth.n_repeat_purchases.mean()
    assert abs(observed / expected - 1) < 0.08, (observed, expected)
    assert truth.n_campaign_orders.sum() == 0
    # Gamma-Gamma: population mean of the expected spend is p * gamma / (q - 1)
    mean_spend = cfg.p * cfg.gamma / (cfg.q - 1)
    assert abs(truth.expected_spend.mean() / mean_spend - 1) < 0.08
    orders = pq.read_table(result.paths["orders"]).to_pandas().query("status == 'completed'")
    avg = orders.groupby("customer_id").amount.mean()
    assert np.corrcoef(avg, truth.set_index("customer_id").expected_spend.loc[avg.index])[0, 1] \
        > 0.6


def test_lifecycle_runs_on_operational_time(generated):
    """With the lifecycle, E[X] is the BG/NBD expectation at the operational time M(T)
    (complaints and campaigns only add small departures)."""
    cfg = generated.result.config
    truth = generated.truth
    expected = expected_repeats(truth.operational_weeks, cfg.r, cfg.alpha, cfg.a, cfg.b).mean()
    assert abs(truth.n_repeat_purchases.mean() / expected - 1) < 0.15
    assert (truth.operational_weeks <= truth.T_weeks + 1e-9).all()
