"""The shared fitting machinery: grouping rows into weights, the warm start of large fits from
a subsample (with BFGS from its Hessian), and forward-difference standard errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests.helpers.optimum import assert_same_optimum
from tests.helpers.simulate import simulate_bg_nbd
from valuecrm.models import BetaGeo, ParetoNBD
from valuecrm.models.finite_differences import hessian_from_gradient
from valuecrm.models.input_columns import grouped_columns

COLUMNS = ["frequency", "recency", "T"]


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    data = simulate_bg_nbd(60_000, r=0.243, alpha=4.414, a=0.793, b=2.426, seed=3,
                           draw_age=lambda rng, n: rng.integers(7, 547, n) / 7.0)
    data["recency"] = np.floor(data["recency"] * 7) / 7  # whole days, as in a real summary
    assert len(data.drop_duplicates()) > 20_000  # above the warm-start threshold
    return data


def test_grouping_matches_pandas(large):
    expected = large.groupby(COLUMNS, sort=False).size().reset_index(name="weights")
    for data in (large, pa.Table.from_pandas(large), {c: large[c].to_numpy() for c in COLUMNS}):
        columns = grouped_columns(data, COLUMNS, "BetaGeo", compress=True)
        got = pd.DataFrame(columns)
        pd.testing.assert_frame_equal(got, expected.astype(float), check_dtype=False)
    weighted = grouped_columns(large.assign(weights=2.0), COLUMNS, "BetaGeo", compress=True)
    np.testing.assert_array_equal(weighted["weights"], 2.0 * expected["weights"])


@pytest.mark.parametrize("model_class", [BetaGeo, ParetoNBD])
def test_warm_start_reaches_the_same_optimum(large, model_class):
    """The fit from a subsample's estimate (BFGS from its Hessian) ends where a cold L-BFGS-B
    fit from the default start ends, to the optimiser's precision: estimates, log-likelihood
    and standard errors within the bounds that follow from the stopping rules
    (tests/helpers/optimum.py). The cold fit stops on L-BFGS-B's ftol about 1e-7 from the
    optimum in log(s) and log(beta), the warm one 1e-10 from it."""
    cold_class = type("Cold", (model_class,), {"_warm_start_above": None})
    warm, cold = model_class().fit(large), cold_class().fit(large)
    assert_same_optimum(warm, cold, large)


def test_standard_errors_equal_central_differences(large):
    """The standard errors are those of the central-difference Hessian of the analytic
    gradient (forward differences were 1e-4 off on ill-conditioned Hessians, see
    test_warm_start_reaches_the_same_optimum)."""
    model = BetaGeo().fit(large)
    data = model._prepare_fit_data(model._compressed_columns(large))
    params = np.array(list(model.params_.values()))
    hessian = hessian_from_gradient(lambda p: model._negative_log_likelihood_gradient(p, data),
                                    params)
    central = np.sqrt(np.diag(np.linalg.inv(hessian)))
    np.testing.assert_allclose(list(model.standard_errors_.values()), central, rtol=1e-5)
