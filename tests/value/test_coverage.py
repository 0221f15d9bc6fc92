"""The intervals cover the truth in simulation at the published CDNOW estimates (a small run of
:func:`valuecrm.value.coverage.simulated_coverage`; ``bench/coverage.py`` runs 1,000 replicates
and quotes the table in bench/RESULTS.md). Seeded, so the same numbers every run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.models import BetaGeo
from valuecrm.models.simulation import simulate_beta_geo, simulate_pareto_nbd, simulate_spend
from valuecrm.value.coverage import (
    BG_NBD_CDNOW,
    COMPARISONS,
    PARETO_NBD_CDNOW,
    PROFILE,
    merge_coverage,
    simulated_coverage,
)

REPLICATES = 20


@pytest.fixture(scope="module")
def coverage() -> pd.DataFrame:
    return simulated_coverage(REPLICATES, seed=17)


@pytest.mark.slow
def test_every_interval_stays_in_its_domain(coverage):
    """No interval valuecrm gives has a bound outside its quantity's domain, in any replicate;
    the natural-scale Wald interval of Pareto/NBD's beta (shown before) often had one."""
    ours = coverage[~coverage["scale"].isin(COMPARISONS)]
    assert ours["outside_domain"].max() == 0
    assert ours["not_computed"].max() == 0  # every interval was computed
    wald = coverage.set_index(["model", "quantity", "scale"]).loc[
        ("Pareto/NBD", "beta", "natural (Wald)")]
    assert wald["outside_domain"] > 0.2


@pytest.mark.slow
def test_intervals_cover_near_their_nominal_level(coverage):
    """Every parameter of BG/NBD, Pareto/NBD and Gamma-Gamma and every prediction (expected
    purchases, P(alive), CLV) of fixed histories and of every customer: pooled coverage of
    the fixed quantities near 95%, and no single one far below (20 replicates: a coverage
    of 75% or less would be 5 misses or more, under 1.6% likely at 95%)."""
    assert coverage.attrs["failed_fits"] == {}
    ours = coverage[~coverage["scale"].isin(COMPARISONS)]
    assert set(ours.loc[ours["who"] == "parameter", "scale"]) == {PROFILE}
    fixed = ours[ours["who"] != "every customer"]
    assert set(fixed["model"]) == {"BG/NBD", "Pareto/NBD", "Gamma-Gamma"}
    assert len(fixed) == 4 + 4 + 3 + 2 * 3 * 5 - 1  # BG/NBD: P(alive) = 1 at x = 0, known
    pooled = (fixed["coverage"] * fixed["intervals"]).sum() / fixed["intervals"].sum()
    assert 0.92 <= pooled <= 0.98
    assert fixed["coverage"].min() > 0.75
    every = ours[ours["who"] == "every customer"]
    assert len(every) == 6
    assert every["coverage"].between(0.88, 0.995).all()


def test_simulated_summaries_follow_the_models():
    """The simulators reproduce the models' own moments: mean repeat purchases of a new
    customer over 39 weeks (BG/NBD eq. 9; Pareto/NBD), and Gamma-Gamma's mean spend
    p gamma / (q - 1) (60,000 customers: within 3%)."""
    rng = np.random.default_rng(3)
    ages = np.full(60_000, 39.0)
    bg = simulate_beta_geo(**BG_NBD_CDNOW, ages=ages, rng=rng)
    expected = BetaGeo.from_params(**BG_NBD_CDNOW).expected_purchases_new_customer(39.0)
    assert bg["frequency"].mean() == pytest.approx(expected, rel=0.03)
    assert (bg["recency"] <= bg["T"]).all() and (bg.loc[bg.frequency == 0, "recency"] == 0).all()
    r, alpha, s, beta = PARETO_NBD_CDNOW.values()
    pareto = simulate_pareto_nbd(**PARETO_NBD_CDNOW, ages=ages, rng=rng)
    mean = r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + 39.0)) ** (s - 1))
    assert pareto["frequency"].mean() == pytest.approx(mean, rel=0.03)
    spend = simulate_spend(6.25, 3.74, 15.44, np.full(60_000, 3.0), rng)
    assert spend.mean() == pytest.approx(6.25 * 15.44 / 2.74, rel=0.03)


def test_chunks_of_a_study_merge_into_one_table():
    """bench/coverage.py --workers: the counts of independent chunks add up, the shares are
    recomputed from them, and replicates and failed fits are summed."""
    def chunk(intervals: int, hits: int, below: int, replicates: int, failed: dict) -> pd.DataFrame:
        frame = pd.DataFrame({"model": ["ParetoNBD"], "quantity": ["beta"], "who": ["parameter"],
                              "scale": [PROFILE], "intervals": [intervals],
                              "coverage": [hits / intervals], "below": [below / intervals],
                              "above": [(intervals - hits - below) / intervals],
                              "outside_domain": [0.0], "not_computed": [0.0]})
        frame.attrs = {"replicates": replicates, "failed_fits": failed, "level": 0.95,
                       "customers": 2357}
        return frame

    merged = merge_coverage([chunk(10, 9, 1, 10, {}), chunk(30, 29, 0, 31, {"Pareto/NBD": 1})])
    row = merged.iloc[0]
    assert row["intervals"] == 40 and row["coverage"] == pytest.approx(38 / 40)
    assert row["below"] == pytest.approx(1 / 40) and row["above"] == pytest.approx(1 / 40)
    assert merged.attrs["replicates"] == 41 and merged.attrs["failed_fits"] == {"Pareto/NBD": 1}
