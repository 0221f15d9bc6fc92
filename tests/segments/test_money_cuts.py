"""Cuts on money read it at the currency's precision (trust 3): pyramid tiers, value-matrix
quadrants, MVC / MGC / BZ and the history's sums never depend on float noise below a cent.

0.1 + 0.2 is 0.30000000000000004 as a double: a customer whose orders were 0.10 and 0.20 spent
exactly what one with a single 0.30 order spent, and must be ranked and labelled alike.
"""

from __future__ import annotations

import ibis
import pandas as pd

from valuecrm.analysis import AnalysisConfig
from valuecrm.segments.matrix import value_class, value_quadrant
from valuecrm.segments.pyramid import pyramid_tier, top_share

NOISY = 0.1 + 0.2  # 0.30000000000000004


def memtable(**columns) -> ibis.Table:
    frame = pd.DataFrame(columns)
    frame["i"] = range(len(frame))
    return ibis.memtable(frame)


def test_pyramid_ties_at_a_cent_share_the_tier():
    # 100 customers: 0.30 and its noisy twin would be positions 1 and 2 (VIP and key)
    t = memtable(v=[NOISY, 0.3] + [0.0] * 98)
    tiers = pyramid_tier(t, "v").order_by("i").to_pandas()["tier"]
    assert tiers.iloc[0] == tiers.iloc[1] == "key"  # tied: both at position 2
    top = t.mutate(top=top_share(t.v, 0.01)).order_by("i").to_pandas()["top"]
    assert not top.iloc[0] and not top.iloc[1]


def test_yen_ties_below_one_yen():
    t = memtable(v=[100.4, 100.0] + [0.0] * 98)
    tiers = pyramid_tier(t, "v", money_decimals=0).order_by("i").to_pandas()["tier"]
    assert tiers.iloc[0] == tiers.iloc[1] == "key"


def test_quadrant_cut_at_the_exact_mean():
    # the mean is exactly 0.2; the noisy 0.1 + 0.1 + 0.0 ... values must not straddle it
    values = [0.1 + 0.1, 0.2, 0.3, 0.1, 0.3, 0.1]  # mean in cents: 120 / 6 = 20 -> 0.2
    t = memtable(current_value=values, growth_potential=[0.0] * 6)
    config = AnalysisConfig(matrix_cut="mean")
    out = value_quadrant(t, config).order_by("i").to_pandas()
    assert out.quadrant.iloc[0] == out.quadrant.iloc[1] == "low value, low potential"
    assert out.quadrant.iloc[2] == "high value, low potential"


def test_a_net_value_of_float_noise_is_not_below_zero():
    net = 0.3 - NOISY  # -5.6e-17: margin 0.30 minus costs 0.10 and 0.20
    t = memtable(net_value=[net, -0.01], current_value=[0.0, 0.0], growth_potential=[0.0, 0.0])
    out = value_class(t, AnalysisConfig()).order_by("i").to_pandas()
    assert out.value_class.tolist() == ["other", "BZ"]
