"""The driver table: Shapley (LMG) decomposition of R^2, checked against its definition and
against drivers planted in simulated answers."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pandas as pd
import pytest

import valuecrm
from valuecrm.voice import QUADRANTS, shapley_r_squared


def r2(corr: np.ndarray, subset: list[int]) -> float:
    if not subset:
        return 0.0
    rxx, rxy = corr[np.ix_(subset, subset)], corr[subset, -1]
    return float(rxy @ np.linalg.solve(rxx, rxy))


def test_shapley_is_the_average_gain_over_every_order_of_entry():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4))
    y = x @ np.array([0.5, -0.2, 0.1, 0.0]) + rng.normal(size=500)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    brute = np.zeros(4)
    orders = list(permutations(range(4)))
    for order in orders:
        for k, item in enumerate(order):
            brute[item] += r2(corr, list(order[: k + 1])) - r2(corr, list(order[:k]))
    np.testing.assert_allclose(shapley_r_squared(corr), brute / len(orders), atol=1e-12)
    assert shapley_r_squared(corr).sum() == pytest.approx(r2(corr, [0, 1, 2, 3]))


def test_planted_drivers_are_ranked_and_weighted_as_planted():
    """Independent items: each item's Shapley value is its squared standardised effect."""
    rng = np.random.default_rng(42)
    n = 4000
    effects = {"staff": 0.6, "speed": 0.4, "price": 0.2, "parking": 0.0}
    latent = {k: rng.normal(size=n) for k in effects}
    overall = sum(b * latent[k] for k, b in effects.items()) + 0.6 * rng.normal(size=n)

    def on_scale(x):
        return np.clip(np.round(5.5 + 1.5 * x), 1, 10)

    data = pd.DataFrame({k: on_scale(v) for k, v in latent.items()} | {"overall": on_scale(
        overall / overall.std())})
    table = valuecrm.driver_importance(data, "overall", list(effects), scale=(1, 10))
    assert list(table["item"]) == ["staff", "speed", "price", "parking"]
    share = table.set_index("item")["share"] / 100
    planted = np.array(list(effects.values())) ** 2
    np.testing.assert_allclose(share[list(effects)], planted / planted.sum(), atol=0.03)
    assert table["importance"].sum() == pytest.approx(table.attrs["r_squared"])
    assert set(table["quadrant"]) <= set(QUADRANTS)
    assert table.loc[table["item"] == "parking", "quadrant"].isin(
        ["low priority", "possible overkill"]).all()


def test_a_0_10_recommendation_beside_1_5_items_keeps_each_scale():
    rng = np.random.default_rng(3)
    n = 500
    x = rng.normal(size=(n, 2))
    data = pd.DataFrame({"staff": np.clip(np.round(3 + x[:, 0]), 1, 5),
                         "price": np.clip(np.round(3 + x[:, 1]), 1, 5),
                         "recommend": np.clip(np.round(6 + 2 * x[:, 0] + rng.normal(size=n)),
                                              0, 10)})
    table = valuecrm.driver_importance(data, "recommend", ["staff", "price"]).set_index("item")
    staff = data["staff"].mean()
    assert table.loc["staff", "performance"] == pytest.approx((staff - 1) / 4 * 100)


def test_bootstrap_intervals_of_the_importances(mobi):
    items = ["PERQ1", "PERQ2", "PERV1"]
    table = valuecrm.driver_importance(mobi, "CUSA1", items, bootstrap=300, seed=2)
    assert (table["lower"] < table["importance"]).all()
    assert (table["importance"] < table["upper"]).all()
    # the stacked computation the bootstrap uses equals one matrix at a time
    rows = np.random.default_rng(2).integers(0, len(mobi), size=(2, len(mobi)))
    corrs = np.stack([np.corrcoef(mobi.iloc[r][[*items, "CUSA1"]].to_numpy(float),
                                  rowvar=False) for r in rows])
    np.testing.assert_allclose(shapley_r_squared(corrs),
                               [shapley_r_squared(c) for c in corrs], atol=1e-14)
