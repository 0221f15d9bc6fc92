"""The vectorised bootstrap equals refitting the model on each resample, one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from valuecrm.voice import ECSI


def test_each_resample_equals_a_plain_refit(ecsi, mobi):
    boot = ecsi.bootstrap(n=12, seed=3)
    # the resamples the bootstrap drew: its generator's first draw, respondents x resamples
    rows = np.random.default_rng(3).integers(0, len(mobi), size=(12, len(mobi)))
    for r in (0, 5, 11):
        refit = ECSI.model().fit(mobi.iloc[rows[r]].reset_index(drop=True))
        np.testing.assert_allclose(boot.draws["paths"][r],
                                   refit.path_coefficients_["coefficient"], atol=1e-8)
        np.testing.assert_allclose(boot.draws["indices"][r], refit.indices_, atol=1e-8)
        np.testing.assert_allclose(boot.draws["loadings"][r], refit.loadings_, atol=1e-8)


def test_summary_tables_are_consistent(ecsi):
    boot = ecsi.bootstrap(n=400, seed=11, level=0.9)
    assert ecsi.bootstrap_ is boot and boot.n_resamples == 400 and boot.n_failed == 0
    paths = boot.paths
    assert list(paths.columns) == ["source", "target", "estimate", "bootstrap_mean", "se", "t",
                                   "lower", "upper"]
    np.testing.assert_allclose(paths["se"], boot.draws["paths"].std(axis=0, ddof=1))
    np.testing.assert_allclose(paths["t"], paths["estimate"] / paths["se"])
    np.testing.assert_allclose(paths["lower"], np.percentile(boot.draws["paths"], 5, axis=0))
    assert (paths["lower"] < paths["upper"]).all()
    sat = boot.indices.set_index("construct").loc["Satisfaction"]
    assert sat["lower"] < 72.454 < sat["upper"] and 0.3 < sat["se"] < 3
    assert set(boot.loadings["item"]) == set(ecsi.loadings_.index)
    assert len(boot.total_effects) == len(ecsi.total_effects_)


def test_same_seed_same_draws_and_another_seed_others(ecsi):
    a, b, c = (ecsi.bootstrap(n=50, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.draws["paths"], b.draws["paths"])
    assert not np.array_equal(a.draws["paths"], c.draws["paths"])


def test_bad_bootstrap_arguments(ecsi):
    from valuecrm.errors import ParameterError

    with pytest.raises(ParameterError, match="'n' parameter of bootstrap"):
        ecsi.bootstrap(n=1)
    with pytest.raises(ParameterError, match="'level'"):
        ecsi.bootstrap(n=10, level=95)


def test_given_resamples_are_used_as_given(ecsi, mobi):
    rows = np.random.default_rng(9).integers(0, len(mobi), size=(4, len(mobi)))
    boot = ecsi.bootstrap(resamples=rows)
    refit = ECSI.model().fit(mobi.iloc[rows[2]].reset_index(drop=True))
    np.testing.assert_allclose(boot.draws["paths"][2], refit.path_coefficients_["coefficient"],
                               atol=1e-8)
    assert boot.n_resamples == 4


def test_large_samples_take_the_row_by_row_path_with_the_same_draws(ecsi, monkeypatch):
    from valuecrm.voice import pls_bootstrap

    fast = ecsi.bootstrap(n=30, seed=4)
    # as for a million respondents: no cross-product table, small chunks of resamples
    monkeypatch.setattr(pls_bootstrap, "_PRODUCT_CELLS", 0)
    monkeypatch.setattr(pls_bootstrap, "_CHUNK_CELLS", 250 * 7)
    slow = ecsi.bootstrap(n=30, seed=4)
    np.testing.assert_allclose(slow.draws["paths"], fast.draws["paths"], atol=1e-10)


def test_a_resample_that_cannot_be_estimated_is_left_out_and_counted():
    """Two formative items equal in most answers: some resamples make them identical (a
    singular block), and only those fail."""
    import pandas as pd

    from valuecrm.voice import PLSPathModel

    rng = np.random.default_rng(1)
    n = 30
    x = rng.integers(1, 6, size=n).astype(float)
    data = pd.DataFrame({"a1": x, "a2": x.copy(), "b1": x + rng.integers(0, 3, n),
                         "b2": rng.integers(1, 6, n)})
    data.loc[0, "a2"] = data.loc[0, "a1"] + 1  # only respondent 0 tells a1 and a2 apart
    model = PLSPathModel({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [("A", "B")],
                         modes={"A": "B"}, scale=(1, 10)).fit(data)
    boot = model.bootstrap(n=200, seed=5)
    assert 0 < boot.n_failed < 200 and boot.n_resamples == 200 - boot.n_failed
    assert np.isfinite(boot.paths["se"]).all()
