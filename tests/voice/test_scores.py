"""NPS, CSAT and mean scores against their definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import valuecrm
from valuecrm.errors import DataError, SchemaError


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


def test_nps_by_segment_and_month_scores_each_group_on_its_own():
    data = pd.DataFrame({"segment": ["a"] * 4 + ["b"] * 3,
                         "month": ["2026-01", "2026-01", "2026-02", "2026-02", "2026-01",
                                   "2026-02", "2026-02"],
                         "recommend": [10, 9, 2, 8, 0, 10, 7]})
    by_segment = valuecrm.nps_by(data, "recommend", "segment").set_index("segment")
    assert by_segment.loc["a", "nps"] == pytest.approx(25.0)  # 2 promoters, 1 detractor of 4
    assert by_segment.loc["b", "nps"] == pytest.approx(0.0)
    both = valuecrm.nps_by(data, "recommend", ["segment", "month"])
    assert len(both) == 4 and both["n"].sum() == 7
    with pytest.raises(SchemaError, match="'wave'"):
        valuecrm.nps_by(data, "recommend", "wave")


def test_nps_difference_between_waves_adds_the_variances():
    from valuecrm.voice import nps_difference

    first, second = [10] * 40 + [3] * 60, [10] * 60 + [3] * 40
    change = nps_difference(first, second)
    assert change["difference"] == pytest.approx(40.0)
    se1, se2 = valuecrm.nps(first).se, valuecrm.nps(second).se
    assert change["se"] == pytest.approx(np.sqrt(se1**2 + se2**2))
    assert change["lower"] > 0  # a real improvement at 95%
