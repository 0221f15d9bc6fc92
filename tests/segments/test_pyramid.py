"""Customer pyramid tiers and top shares: sizes follow the shares, ties go down a tier."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from valuecrm.errors import ParameterError
from valuecrm.segments.pyramid import pyramid_tier, top_share


def tiers(values: list[float], shares=(0.01, 0.05, 0.20)) -> pd.Series:
    table = ibis.memtable(pd.DataFrame({"i": range(len(values)), "v": values}))
    return pyramid_tier(table, "v", shares).order_by("i").to_pandas()["tier"]


def test_distinct_values_fill_each_tier_exactly():
    result = tiers([float(v) for v in range(1000)])
    assert result.value_counts().to_dict() == {"VIP": 10, "key": 40, "ordinary": 150,
                                               "small": 800}
    assert result.iloc[-1] == "VIP" and result.iloc[0] == "small"
    assert (result.iloc[990:] == "VIP").all() and (result.iloc[950:990] == "key").all()


def test_ties_straddling_a_boundary_share_the_lower_tier():
    # 100 customers: one clear best, one next, then 3 tied at 50 (positions 3..5 -> all 5)
    values = [100.0, 60.0, 50.0, 50.0, 50.0] + [-float(v) for v in range(95)]
    result = tiers(values)
    assert result.iloc[0] == "VIP"
    assert result.iloc[1] == "key"
    # positions of the tied ones are all 5 (five customers are at least as valuable): still key
    assert set(result.iloc[2:5]) == {"key"}
    values = [100.0, 60.0, 50.0, 50.0, 50.0, 50.0] + [-float(v) for v in range(94)]
    result = tiers(values)
    assert set(result.iloc[2:6]) == {"ordinary"}  # position 6 > 5: the whole tie goes down


def test_a_large_group_of_equal_values_is_never_lifted():
    result = tiers([0.0] * 95 + [5.0] * 5)
    assert (result.iloc[:95] == "small").all()


def test_nulls_count_as_zero_and_bad_shares_are_refused():
    assert tiers([None, 1.0, 2.0, 3.0], shares=(0.25, 0.5, 0.75)).tolist() == [
        "small", "ordinary", "key", "VIP"]
    with pytest.raises(ParameterError, match="shares"):
        tiers([1.0], shares=(0.2, 0.1, 0.3))


def test_top_share():
    table = ibis.memtable(pd.DataFrame({"i": range(10), "v": [float(v) for v in range(10)]}))
    top = table.mutate(top=top_share(table.v, 0.2)).order_by("i").to_pandas()["top"]
    assert top.tolist() == [False] * 8 + [True] * 2
