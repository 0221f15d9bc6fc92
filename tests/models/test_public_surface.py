"""What other packages need of the models is public: the covariance of the estimates and the
expected purchases at many horizons (``analysis/predict.py`` and ``value/`` read no privates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.errors import DataError, NotFittedError
from valuecrm.models import BetaGeo, BetaGeoBetaBinom, GammaGamma, ModifiedBetaGeo, ParetoNBD
from valuecrm.models.histories import Histories, distinct_histories


class GammaGammaWithoutGradient(GammaGamma):
    """Gamma-Gamma as a model without an analytic gradient (second differences of the
    likelihood)."""

    def _negative_log_likelihood_gradient(self, params, data):
        return None

    def _negative_log_likelihood_and_gradient(self, params, data):
        return self._negative_log_likelihood(params, data), None


CASES = [
    (BetaGeo, "cdnow"), (ModifiedBetaGeo, "cdnow"), (ParetoNBD, "cdnow"),
    (GammaGamma, "cdnow_repeat_buyers"), (GammaGammaWithoutGradient, "cdnow_repeat_buyers"),
    (BetaGeoBetaBinom, "donations"),
]


@pytest.mark.parametrize(("model_class", "data"), CASES, ids=lambda c: getattr(c, "__name__", c))
def test_parameter_covariance_agrees_with_the_standard_errors(model_class, data, request):
    """The covariance on the data of the fit is symmetric, positive definite, and its diagonal
    gives the fit's standard errors; the fit keeps it as ``covariance_``, labelled."""
    data = request.getfixturevalue(data)
    model = model_class().fit(data)
    covariance = model.parameter_covariance(data)
    assert covariance.shape == (len(model.params_),) * 2
    np.testing.assert_allclose(covariance, covariance.T, rtol=1e-8)
    assert np.all(np.linalg.eigvalsh(covariance) > 0)
    np.testing.assert_allclose(np.sqrt(np.diag(covariance)),
                               list(model.standard_errors_.values()), rtol=1e-3)
    kept = model.covariance_
    assert list(kept.index) == list(kept.columns) == list(model.params_)
    np.testing.assert_allclose(kept.to_numpy(), covariance, rtol=1e-6)
    np.testing.assert_array_equal(np.sqrt(np.diag(kept)), list(model.standard_errors_.values()))


def test_a_model_from_parameters_has_no_covariance():
    model = BetaGeo.from_params(r=0.24, alpha=4.4, a=0.79, b=2.4)
    assert model.covariance_.isna().all().all()


def test_parameter_covariance_needs_a_fitted_model(cdnow):
    with pytest.raises(NotFittedError):
        BetaGeo().parameter_covariance(cdnow)


@pytest.mark.parametrize("model_class", [BetaGeo, ModifiedBetaGeo, ParetoNBD],
                         ids=lambda c: c.__name__)
def test_expected_purchases_curve_is_expected_purchases_per_horizon(model_class, cdnow):
    """The curve on a DataFrame or on Histories read once equals ``expected_purchases`` at
    each horizon, bit for bit."""
    model = model_class().fit(cdnow)
    horizons = [0.0, 4.35, 52.18]
    histories = Histories.of(cdnow, "test")
    for data in (cdnow, histories):
        curve = model.expected_purchases_curve(horizons, data)
        assert curve.shape == (len(horizons), len(cdnow))
        for t, row in zip(horizons, curve, strict=True):
            np.testing.assert_array_equal(row, model.expected_purchases(t, cdnow))


def test_distinct_histories_give_back_every_customer(cdnow):
    """The one grouping of identical histories: codes into the distinct rows, which give
    back each customer's (frequency, recency, T); checked like a model's input."""
    codes, rows = distinct_histories(cdnow, "test")
    assert rows.n_rows == len(cdnow[["frequency", "recency", "T"]].drop_duplicates())
    for name in ("frequency", "recency", "T"):
        np.testing.assert_array_equal(rows[name][codes], cdnow[name].to_numpy(dtype=float))
    bad = pd.DataFrame({"frequency": [1.0], "recency": [5.0], "T": [4.0]})
    with pytest.raises(DataError, match="recency greater than T"):
        distinct_histories(bad, "test")
