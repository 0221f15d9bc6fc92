"""The importance-performance map on mobi: SmartPLS's unstandardised total effects."""

from __future__ import annotations

import numpy as np
import pytest

from valuecrm.errors import ParameterError
from valuecrm.voice import QUADRANTS
from valuecrm.voice.ipma import quadrant


def test_importance_is_the_effect_on_the_target_index_per_point_of_performance(ecsi):
    table = ecsi.ipma("Satisfaction").set_index("construct")
    assert set(table.index) == {"Image", "Expectation", "Quality", "Value"}
    # Value has only its direct path: importance = path x sd(target 0-100) / sd(driver 0-100)
    scores = ecsi.index_scores_
    ols = np.polyfit(scores["Value"], scores["Satisfaction"], 1)  # not the partial effect
    spread = scores["Satisfaction"].std() / scores["Value"].std()
    assert table.loc["Value", "importance"] == pytest.approx(0.194765 * spread, rel=1e-5)
    assert table.loc["Value", "importance"] != pytest.approx(ols[0], rel=1e-2)
    # Quality's total effect adds its route through Value: 0.512024 + 0.558304 x 0.194765
    assert table.loc["Quality", "total_effect"] == pytest.approx(0.512024 + 0.558304 * 0.194765,
                                                                 abs=1e-5)
    np.testing.assert_allclose(table["performance"], ecsi.indices_[table.index])
    assert set(table["quadrant"]) <= set(QUADRANTS)
    assert table.attrs["importance_cut"] == pytest.approx(table["importance"].mean())


def test_quadrants_follow_the_documented_table():
    got = quadrant(np.array([2, 2, 0, 0]), np.array([80, 20, 20, 80]), 1, 50)
    assert list(got) == ["keep up the good work", "concentrate here", "low priority",
                         "possible overkill"]


def test_an_exogenous_target_is_refused(ecsi):
    with pytest.raises(ParameterError, match="no paths"):
        ecsi.ipma("Image")
    with pytest.raises(ParameterError, match="not a construct"):
        ecsi.ipma("Happiness")
