"""NPS, CSAT and mean scores against their definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import valuecrm
from valuecrm.errors import DataError


def test_nps_counts_shares_and_the_multinomial_interval():
    answers = [10] * 50 + [9] * 10 + [8] * 20 + [7] * 5 + [3] * 10 + [0] * 5
    result = valuecrm.nps(answers)
    assert (result.promoters, result.passives, result.detractors) == (60, 25, 15)
    assert result.nps == pytest.approx(45.0)
    p, d = 0.6, 0.15
    se = 100 * np.sqrt((p * (1 - p) + d * (1 - d) + 2 * p * d) / 100)
    assert result.se == pytest.approx(se)
    assert result.lower == pytest.approx(45 - 1.959964 * se, abs=1e-4)
    assert result["nps"] == result.to_dict()["nps"] == 45.0


def test_the_interval_covers_the_true_nps_about_95_percent_of_the_time():
    rng = np.random.default_rng(5)
    shares = np.array([0.2, 0.3, 0.5])  # detractors, passives, promoters
    truth = 100 * (0.5 - 0.2)
    hits = 0
    for _ in range(400):
        group = rng.choice([3, 8, 10], size=300, p=shares)
        r = valuecrm.nps(group)
        hits += r.lower <= truth <= r.upper
    assert 0.92 <= hits / 400 <= 0.98


def test_nps_leaves_out_missing_answers_and_refuses_off_scale_ones():
    result = valuecrm.nps(pd.Series([10, np.nan, 6, None], name="recommend"))
    assert (result.n, result.n_missing, result.nps) == (2, 2, 0.0)
    with pytest.raises(DataError, match=r"'recommend'.*11 at row 2 is not on the scale 0-10"):
        valuecrm.nps(pd.Series([10, 9, 11], name="recommend"))
    with pytest.raises(DataError, match=r"7\.5"):
        valuecrm.nps([7.5])
    with pytest.raises(DataError, match="'great' at row 1 is not a number"):
        valuecrm.nps([9, "great"])


def test_csat_is_the_top_two_box_share_with_a_wilson_interval():
    result = valuecrm.csat([5, 4, 4, 3, 1, 2, 5, 5, 3, 4])
    assert result["csat"] == pytest.approx(60.0)
    assert result["lower"] == pytest.approx(31.27, abs=0.01)  # Wilson, n=10, 6 successes
    assert result["upper"] == pytest.approx(83.18, abs=0.01)
    assert valuecrm.csat([7, 6, 5, 1], scale=(1, 7))["csat"] == pytest.approx(50.0)


def test_mean_score_and_its_0_100_rescaling():
    result = valuecrm.mean_score([1, 10, 4, 7], scale=(1, 10))
    assert result["mean"] == 5.5 and result["mean_0_100"] == pytest.approx(50.0)
    assert result["lower"] < 5.5 < result["upper"]
