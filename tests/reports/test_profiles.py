"""valuecrm.profile and valuecrm.profile_segment on a small hand-made base: group figures by
hand, the tests of difference against scipy's own functions (kruskal, chi2_contingency,
fisher_exact)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import valuecrm
from tests.helpers.data import insert, orders_frame
from tests.helpers.profiled import BASE, profiled_database
from valuecrm.errors import ParameterError
from valuecrm.reports.group_tests import benjamini_hochberg
from valuecrm.reports.profiles import band_key


@pytest.fixture
def base(db):
    return profiled_database(db)


def _values(measure: str) -> dict[str, float]:
    out = {}
    for c, (_, _, orders, _, clv, p_alive) in BASE.items():
        out[c] = {"orders": len(orders), "spend": sum(a for _, a in orders) - (4 if c == "c1"
                                                                             else 0),
                  "clv": clv, "p_alive": p_alive}[measure]
    return out


def test_profile_by_an_attribute_gives_each_groups_figures(base):
    p = valuecrm.profile(base, by="age")
    table = p.to_pandas()
    assert table["age"].tolist() == ["19-24", "25-34", "65+"]
    assert table["customers"].tolist() == [3, 2, 2]
    assert p.customers == 7 and p.left_out == 1
    row = table.set_index("age").loc["19-24"]
    assert row["mean_orders"] == pytest.approx(2.0)
    assert row["median_orders"] == pytest.approx(2.0)
    assert row["mean_spend"] == pytest.approx((36 + 5 + 75) / 3)
    assert row["median_clv"] == pytest.approx(100.0)
    assert row["mean_p_alive"] == pytest.approx((0.9 + 0.2 + 0.95) / 3)
    assert table["share"].sum() == pytest.approx(1.0)
    mix = p.mix.set_index(["age", "rfm_class_code"])
    assert mix.loc[("19-24", "HHH"), "customers"] == 2
    assert mix.loc[("19-24", "HHH"), "share"] == pytest.approx(2 / 3)
    assert mix.loc[("19-24", "HHH"), "rfm_class"] == "重要价值"
    assert "Kruskal-Wallis" in p.method and "Cramér's V" in p.method


@pytest.mark.parametrize("measure", ["orders", "spend", "clv", "p_alive"])
def test_kruskal_wallis_in_the_engine_equals_scipy(base, measure):
    p = valuecrm.profile(base, by="age")
    test = next(t for t in p.tests if t.measure == measure)
    values = _values(measure)
    groups = {}
    for c, v in BASE.items():
        if v[0] is not None:
            groups.setdefault(v[0], []).append(values[c])
    h, pvalue = stats.kruskal(*groups.values())
    assert test.statistic == pytest.approx(h, rel=1e-12)
    assert test.p_value == pytest.approx(pvalue, rel=1e-10)
    assert test.df == 2
    assert test.effect_size == pytest.approx(h / 6)
    assert test.method.startswith("Kruskal-Wallis")


def test_the_rfm_class_mix_test_is_pearsons_chi_square_with_cramers_v(base):
    test = next(t for t in valuecrm.profile(base, by="age").tests if t.measure == "rfm_class")
    table = np.array([[2, 0, 1], [1, 0, 1], [0, 1, 1]])  # ages x (HHH, HLH, LLL)
    chi2, pvalue, df, _ = stats.chi2_contingency(table, correction=False)
    assert (test.statistic, test.df) == (pytest.approx(chi2), df)
    assert test.p_value == pytest.approx(pvalue)
    assert test.effect_size == pytest.approx(np.sqrt(chi2 / (7 * 2)))
    assert test.effect_size_name == "Cramér's V"


def test_a_fixed_column_profiles_too_and_bands_sort_in_their_order(base):
    p = valuecrm.profile(base, by="income_band", measures=["spend"])
    assert p.table["income_band"].tolist() == ["Under 15K", "15-24K", "250K+"]
    assert list(p.table.columns) == ["income_band", "customers", "share", "mean_spend",
                                     "median_spend"]
    assert sorted(["65+", "19-24", "Under 15K", "15-24K", "Unknown"], key=band_key) == [
        "Under 15K", "15-24K", "19-24", "65+", "Unknown"]


def test_without_a_snapshot_the_history_measures_remain(db):
    db.ingest("customers", pd.DataFrame({"customer_id": ["a", "b"], "age": ["1", "2"]}))
    insert(db, "orders", orders_frame([("a", "2024-01-01", 5.0)]))
    p = valuecrm.profile(db, by="age")
    assert p.measures == ["orders", "spend"]
    assert p.table["mean_orders"].tolist() == [1.0, 0.0]
    assert p.mix.empty and "No snapshot yet" in p.method


def test_an_unknown_attribute_or_measure_says_what_there_is(base):
    with pytest.raises(ParameterError, match="no customer attribute 'height'") as info:
        valuecrm.profile(base, by="height")
    assert "age" in info.value.hint and "income_band" in info.value.hint
    with pytest.raises(ParameterError, match="measures"):
        valuecrm.profile(base, by="age", measures=["happiness"])


def test_profile_segment_gives_lift_and_fishers_exact_test(base):
    table = valuecrm.profile_segment(base, "Champions")
    assert table.attrs["column"] == "rfm_segment" and table.attrs["segment_size"] == 3
    row = table.set_index(["attribute", "value"]).loc[("age", "19-24")]
    # champions with an age: c1, c3 (19-24), c6 (25-34); base with an age: 7, of them 3 19-24
    assert (row["segment_customers"], row["base_customers"]) == (2, 3)
    assert row["lift"] == pytest.approx((2 / 3) / (3 / 7))
    assert row["p_value"] == pytest.approx(stats.fisher_exact([[2, 1], [1, 3]])[1])
    assert table["p_adjusted"].tolist() == pytest.approx(
        sorted(benjamini_hochberg(table["p_value"].to_numpy())))
    assert set(table["direction"]) <= {"over", "under", ""}
    assert "Fisher exact" in table.attrs["method"]


def test_profile_segment_accepts_chinese_names_and_refuses_unknown_ones(base):
    assert valuecrm.profile_segment(base, "重要价值").attrs["column"] == "rfm_class"
    with pytest.raises(ParameterError, match="no segment 'Nobody'"):
        valuecrm.profile_segment(base, "Nobody")


def test_ordinal_words_sort_as_bands():
    assert sorted(["high", "low", "upper_middle", "middle", "lower_middle"], key=band_key) == [
        "low", "lower_middle", "middle", "upper_middle", "high"]
