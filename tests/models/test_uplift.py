"""Uplift learners and the Qini / uplift curves.

The curve figures are pinned to scikit-uplift 0.5.1 (``sklift.metrics``, run in bench/'s
environment on the 40 rows below). The Hillstrom figure is REFERENCE.md's: a two-model learner
with gradient boosting, Womens E-Mail against No E-Mail, outcome visit, a 70/30 split
stratified by arm and outcome with seed 0, scores Qini AUC 0.0637 on the test part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from valuecrm import (
    ClassTransformationUplift,
    TwoModelUplift,
    load_hillstrom,
    qini_auc_score,
    qini_curve,
    uplift_auc_score,
    uplift_curve,
)
from valuecrm.errors import DataError, NotFittedError, ParameterError

T = np.array([int(c) for c in "1111111000011001010010001010011111111101"])
Y = np.array([int(c) for c in "1101101000011101010110000010001011110100"])
U = np.array([-0.7, 0.2, -0.5, 0.1, -1.2, -0.6, -0.2, 0.9, 1.1, -1.3, -0.8, 0.6, -2.0, -0.5,
              -0.1, 1.3, 0.7, -0.3, -0.4, -0.3, 1.5, -0.4, -0.3, 0.4, -0.1, -0.2, -1.1, -0.0,
              -0.4, 1.2, 0.7, -0.0, 0.7, -0.3, 1.1, -0.0, 0.6, -1.3, 0.3, -1.7])


def test_qini_and_uplift_areas_equal_scikit_uplift():
    assert qini_auc_score(Y, U, T) == pytest.approx(0.16235447720596222, abs=1e-12)
    assert qini_auc_score(Y, U, T, negative_effect=False) == pytest.approx(
        0.22524453568409594, abs=1e-12)
    assert uplift_auc_score(Y, U, T) == pytest.approx(0.20333819535366987, abs=1e-12)


def test_qini_curve_counts_ties_together_and_starts_at_the_origin():
    x, gain = qini_curve(Y, U, T)
    assert len(x) == 26  # 25 distinct uplift values, and (0, 0)
    assert list(x[:6]) == [0, 1, 2, 3, 5, 6]
    assert list(gain[:6]) == [0.0, 1.0, 2.0, 2.0, 3.0, 3.0]
    n, _ = uplift_curve(Y, U, T)
    assert n[-1] == len(Y)


def test_curves_refuse_bad_input():
    with pytest.raises(ParameterError, match="binary"):
        qini_auc_score(Y * 2, U, T)
    with pytest.raises(ParameterError, match="same length"):
        qini_curve(Y, U[:-1], T)
    with pytest.raises(DataError, match="treated and control"):
        qini_curve(Y, U, np.ones_like(T))


@pytest.fixture(scope="module")
def hillstrom_split():
    from sklearn.model_selection import train_test_split

    h = load_hillstrom()
    h = h[h["segment"].isin(["Womens E-Mail", "No E-Mail"])].reset_index(drop=True)
    treatment = (h["segment"] == "Womens E-Mail").astype(int)
    features = h[["recency", "history_segment", "history", "mens", "womens", "zip_code",
                  "newbie", "channel"]]
    strata = treatment.astype(str) + "_" + h["visit"].astype(str)
    return train_test_split(features, treatment, h["visit"], test_size=0.3, random_state=0,
                            stratify=strata)


@pytest.mark.slow
def test_two_model_learner_reproduces_the_hillstrom_qini(hillstrom_split):
    x_train, x_test, t_train, t_test, y_train, y_test = hillstrom_split
    with threadpool_limits(1):  # the machine is shared: one thread is faster under load
        learner = TwoModelUplift().fit(x_train, t_train, y_train)
        uplift = learner.predict(x_test)
    assert abs(qini_auc_score(y_test, uplift, t_test) - 0.0637) < 0.01
    assert learner.outcome_is_binary_ and "zip_code_Urban" in learner.feature_names_


def test_learners_find_a_planted_uplift():
    rng = np.random.default_rng(0)
    n = 4000
    x = pd.DataFrame({"a": rng.random(n), "kind": rng.choice(["p", "q"], n)})
    t = rng.integers(0, 2, n)
    persuadable = x["a"].to_numpy() > 0.5
    y = (rng.random(n) < 0.2 + 0.4 * t * persuadable).astype(int)
    for learner in (TwoModelUplift(), ClassTransformationUplift()):
        with threadpool_limits(1):
            uplift = learner.fit(x, t, y).predict(x)
        assert uplift[persuadable].mean() > 0.3 > 0.1 > abs(uplift[~persuadable].mean())
        assert qini_auc_score(y, uplift, t) > 0.2


def test_estimator_contract():
    from sklearn.linear_model import LinearRegression

    learner = TwoModelUplift(LinearRegression())
    assert learner.get_params() == {"estimator": learner.estimator}
    with pytest.raises(NotFittedError, match="not fitted yet"):
        learner.predict(np.zeros((2, 1)))
    x = np.arange(20.0).reshape(-1, 1)
    t = np.tile([0, 1], 10)
    spend = 2.0 * x[:, 0] + 5.0 * t  # a money outcome: uplift 5 everywhere
    assert learner.fit(x, t, spend) is learner
    assert not learner.outcome_is_binary_
    assert np.allclose(learner.predict(x), 5.0)


def test_learners_refuse_bad_input():
    x = np.zeros((6, 1))
    with pytest.raises(ParameterError, match="'treatment'"):
        TwoModelUplift().fit(x, [0, 1, 2, 0, 1, 0], [0, 1, 0, 1, 0, 1])
    with pytest.raises(DataError, match="at least 2 control"):
        TwoModelUplift().fit(x, [1, 1, 1, 1, 1, 0], [0, 1, 0, 1, 0, 1])
    with pytest.raises(ParameterError, match="binary"):
        ClassTransformationUplift().fit(x, [0, 1, 0, 1, 0, 1], [0.5, 1, 0, 1, 0, 1])
