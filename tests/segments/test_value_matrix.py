"""Value matrix (growth potential, quadrant, strategy) and the MVC / MGC / BZ classes."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from valuecrm.analysis import AnalysisConfig
from valuecrm.segments.matrix import growth_potential, value_class, value_quadrant

CFG = AnalysisConfig()


def table(**columns):
    frame = pd.DataFrame(columns)
    frame["i"] = range(len(frame))
    return ibis.memtable(frame)


def test_growth_potential_is_clv_beyond_the_current_level_plus_cross_buying():
    t = table(current_value=[100.0, 100.0, 0.0, 50.0], clv=[150.0, 80.0, 30.0, None],
              categories_bought=[2, 5, 0, 1])
    out = growth_potential(t, n_categories=5, config=CFG).order_by("i").to_pandas()
    # headroom = 0.1 x (current / bought) x missing categories
    assert out["cross_buy_headroom"].tolist() == pytest.approx([0.1 * 50 * 3, 0.0, 0.0,
                                                               0.1 * 50 * 4])
    assert out["growth_potential"].tolist() == pytest.approx([50 + 15, 0.0, 30.0, 20.0])


def test_quadrants_and_strategies_cut_at_the_median():
    t = table(current_value=[10.0, 10.0, 1.0, 1.0, 5.0], growth_potential=[9.0, 1.0, 9.0, 1.0,
                                                                          5.0])
    out = value_quadrant(t, CFG).order_by("i").to_pandas()
    assert out["strategy"].tolist() == ["invest", "maintain", "develop", "reduce", "reduce"]
    assert out["quadrant"][0] == "high value, high potential"
    mean = value_quadrant(t, AnalysisConfig(matrix_cut="mean")).order_by("i").to_pandas()
    # means 5.4 and 5.0: the last customer is below one and equal to the other, so low on both
    assert mean["strategy"].tolist() == ["invest", "maintain", "develop", "reduce", "reduce"]


def test_value_classes():
    t = table(net_value=[-1.0, 500.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
              current_value=[900.0, 500.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
              growth_potential=[0.0, 0.0, 80.0, 70.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    out = value_class(t, CFG).order_by("i").to_pandas()["value_class"].tolist()
    # BZ wins even for the most valuable; the top 20% by current value (2 of 10) are MVC
    assert out[:4] == ["BZ", "MVC", "MGC", "MGC"]
    assert set(out[4:]) == {"other"}
