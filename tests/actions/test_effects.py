"""campaign_effect: the Hillstrom e-mail test as REFERENCE.md gives it, money and ROI, A/B/n,
segments, the same figures from each engine, and clear errors.

Hillstrom (2008), MineThatData e-mail test; the reference differences and 95% intervals were
computed with ``diff ± 1.959964 * sqrt(s1²/n1 + s0²/n0)`` (ddof 1), which Welch's t interval
matches to 1e-5 at these sizes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from valuecrm import campaign_effect
from valuecrm.actions import EFFECT_COLUMNS
from valuecrm.datasets import data_path
from valuecrm.errors import DataError, ParameterError, SchemaError

CONTROL = "No E-Mail"
# arm -> (n, visit rate, conversion, mean spend), REFERENCE.md
HILLSTROM_ARMS = {"Mens E-Mail": (21307, 0.182757, 0.012531, 1.422617),
                  "Womens E-Mail": (21387, 0.151400, 0.008837, 1.077202),
                  "No E-Mail": (21306, 0.106167, 0.005726, 0.652789)}
# (arm, outcome) -> (difference, ci_low, ci_high)
HILLSTROM_EFFECTS = {("Mens E-Mail", "spend"): (0.769827, 0.485149, 1.054505),
                     ("Womens E-Mail", "spend"): (0.424412, 0.168965, 0.679860),
                     ("Mens E-Mail", "visit"): (0.076590, 0.069953, 0.083226),
                     ("Womens E-Mail", "visit"): (0.045233, 0.038894, 0.051573)}


@pytest.fixture(scope="module")
def hillstrom() -> pd.DataFrame:
    return pd.read_csv(data_path("hillstrom.csv.gz"))


def _row(effects: pd.DataFrame, arm: str, outcome: str) -> pd.Series:
    hit = effects[(effects["arm"] == arm) & (effects["outcome"] == outcome)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_hillstrom_arms_and_effects_equal_the_reference(hillstrom):
    effects = campaign_effect(hillstrom, group="segment", control=CONTROL,
                              outcome=["visit", "conversion", "spend"])
    assert list(effects.columns) == EFFECT_COLUMNS
    for arm, (n, visit, conversion, spend) in HILLSTROM_ARMS.items():
        for outcome, mean in (("visit", visit), ("conversion", conversion), ("spend", spend)):
            row = _row(effects, arm, outcome)
            assert row["n"] == n and row["control_n"] == 21306
            assert row["mean"] == pytest.approx(mean, abs=5e-7)
    for (arm, outcome), want in HILLSTROM_EFFECTS.items():
        row = _row(effects, arm, outcome)
        assert row["difference"] == pytest.approx(want[0], abs=5e-7)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(want[1:], abs=1e-4)
    assert set(effects.loc[effects["outcome"] == "visit", "kind"]) == {"binary"}
    assert set(effects.loc[effects["outcome"] == "spend", "kind"]) == {"money (revenue)"}
    control = _row(effects, CONTROL, "spend")
    assert np.isnan(control["difference"]) and control["control_mean"] == control["mean"]
    assert "Welch" in effects.attrs["method"]


def test_p_values_and_intervals_are_welchs(hillstrom):
    effects = campaign_effect(hillstrom, group="segment", outcome="spend", control=CONTROL)
    control = hillstrom.loc[hillstrom["segment"] == CONTROL, "spend"]
    for arm in ("Mens E-Mail", "Womens E-Mail"):
        treated = hillstrom.loc[hillstrom["segment"] == arm, "spend"]
        test = stats.ttest_ind(treated, control, equal_var=False)
        interval = test.confidence_interval(0.95)
        row = _row(effects, arm, "spend")
        assert row["p_value"] == pytest.approx(test.pvalue, rel=1e-9)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(
            (interval.low, interval.high), rel=1e-9)
        assert row["relative_lift"] == pytest.approx(treated.mean() / control.mean() - 1)


def test_incremental_revenue_margin_and_roi_after_contact_costs():
    # control spends 10 on average, arm B 12 (n = 4 each): +2 a customer, 8 in all
    data = pd.DataFrame({"arm": ["A"] * 4 + ["B"] * 4,
                         "spend": [9, 11, 10, 10, 11, 13, 12, 12]})
    effects = campaign_effect(data, group="arm", outcome="spend", control="A",
                              cost_per_contact=0.5, margin_rate=0.25)
    b = _row(effects, "B", "spend")
    assert b["difference"] == pytest.approx(2.0)
    assert b["incremental"] == pytest.approx(8.0)
    assert b["incremental_margin"] == pytest.approx(2.0)
    assert b["contact_cost"] == pytest.approx(2.0)
    assert b["roi"] == pytest.approx((2.0 - 2.0) / 2.0)
    assert b["kind"] == "money (margin)"
    a = _row(effects, "A", "spend")
    assert np.isnan(a["contact_cost"]) and np.isnan(a["roi"])  # the control is not contacted
    on_revenue = _row(campaign_effect(data, group="arm", outcome="spend", control="A",
                                      cost_per_contact=0.5), "B", "spend")
    assert on_revenue["roi"] == pytest.approx((8.0 - 2.0) / 2.0)
    assert np.isnan(on_revenue["incremental_margin"])


def test_any_number_of_arms_and_effects_by_segment():
    rng = np.random.default_rng(0)
    n = 4000
    data = pd.DataFrame({"arm": rng.choice(["control", "A", "B", "C"], n),
                         "region": rng.choice(["north", "south"], n)})
    lift = data["arm"].map({"control": 0.0, "A": 0.05, "B": 0.10, "C": 0.0})
    lift += np.where(data["region"] == "south", lift, 0)  # twice the effect in the south
    data["bought"] = (rng.random(n) < 0.2 + lift).astype(int)
    overall = campaign_effect(data, group="arm", outcome="bought", control="control")
    assert overall["arm"].tolist() == ["control", "A", "B", "C"]
    by = campaign_effect(data, group="arm", outcome="bought", control="control", by="region")
    assert len(by) == 8 and by["region"].tolist() == ["north"] * 4 + ["south"] * 4
    south_b = by[(by["region"] == "south") & (by["arm"] == "B")].iloc[0]
    north_b = by[(by["region"] == "north") & (by["arm"] == "B")].iloc[0]
    cell = data[data["region"] == "south"]
    want = (cell.loc[cell["arm"] == "B", "bought"].mean()
            - cell.loc[cell["arm"] == "control", "bought"].mean())
    assert south_b["difference"] == pytest.approx(want)
    assert south_b["ci_low"] < 0.2 < south_b["ci_high"]
    assert north_b["ci_low"] < 0.1 < north_b["ci_high"]


def test_a_campaign_without_its_control_arm_is_refused():
    data = pd.DataFrame({"received": ["yes"] * 3 + ["no"] * 3, "spend": [1, 2, 3, 1, 1, 2]})
    with pytest.raises(DataError, match="selection") as caught:
        campaign_effect(data, group="received", outcome="spend", control="held out")
    assert caught.value.status == 422 and "'held out'" in str(caught.value)


def test_an_arm_of_one_customer_is_refused():
    data = pd.DataFrame({"arm": ["A", "A", "B"], "spend": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match=r"'B' .* has 1 customer"):
        campaign_effect(data, group="arm", outcome="spend", control="A")
    by = pd.DataFrame({"arm": ["A", "A", "B", "B", "A", "B"], "zone": ["x"] * 4 + ["y"] * 2,
                       "spend": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with pytest.raises(DataError, match="zone='y'"):
        campaign_effect(by, group="arm", outcome="spend", control="A", by="zone")


def test_bad_columns_and_parameters_are_named():
    data = pd.DataFrame({"arm": ["A", "A", "B", "B"], "spend": [1.0, 2.0, 3.0, 4.0],
                         "note": ["a", "b", "c", "d"]})
    with pytest.raises(SchemaError, match="'visit'"):
        campaign_effect(data, group="arm", outcome="visit", control="A")
    with pytest.raises(SchemaError, match="'note' holds"):
        campaign_effect(data, group="arm", outcome="note", control="A")
    with pytest.raises(ParameterError, match="cost_per_contact"):
        campaign_effect(data, group="arm", outcome="spend", control="A", cost_per_contact=-1)


@pytest.mark.spark
def test_the_engine_gives_the_same_effects(backend, hillstrom):
    """Group sizes, means and variances counted in DuckDB and PySpark equal pandas'."""
    sample = hillstrom.iloc[::40][["segment", "zip_code", "visit", "spend"]]
    if backend.name == "pyspark":
        backend._session.createDataFrame(  # type: ignore[attr-defined]
            list(sample.itertuples(index=False, name=None)),
            "segment string, zip_code string, visit long, spend double",
        ).createOrReplaceTempView("hillstrom_sample")
        table = backend.table("hillstrom_sample")
    else:
        table = backend.create_table("hillstrom_sample", sample)
    arguments = {"group": "segment", "outcome": ["visit", "spend"], "control": CONTROL,
                 "by": "zip_code", "cost_per_contact": 0.1, "margin_rate": 0.3}
    want = campaign_effect(sample, **arguments)
    got = campaign_effect(table, **arguments)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
