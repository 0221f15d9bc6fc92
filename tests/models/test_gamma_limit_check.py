"""The gamma limit on large data: found on subsamples, judged by the full data in two
evaluations instead of a walk along the ridge (Pareto/NBD on customers who all share one
purchase rate and one dropout rate)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from valuecrm.errors import ConvergenceError
from valuecrm.models import ParetoNBD
from valuecrm.models import likelihood_optimiser as optimiser_module

N_CUSTOMERS = 24_000


def homogeneous(n: int, *, rate: float, dropout: float, seed: int) -> pd.DataFrame:
    """Pareto/NBD histories with no heterogeneity: one purchase rate, one dropout rate,
    continuous times (so almost every row is distinct)."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(20.0, 80.0, n)
    alive_for = np.minimum(rng.exponential(1 / dropout, n), age)
    x = rng.poisson(rate * alive_for)
    last = alive_for * rng.random(n) ** (1 / np.maximum(x, 1))
    return pd.DataFrame({"frequency": x.astype(float), "recency": np.where(x > 0, last, 0.0),
                         "T": age})


class CountingParetoNBD(ParetoNBD):
    """ParetoNBD that counts likelihood evaluations per number of distinct rows."""

    evaluations: ClassVar[dict[int, int]] = {}

    def _evaluate(self, params: np.ndarray, data: dict,
                  gradient: bool = True) -> tuple[float, np.ndarray | None]:
        size = data["weights"].size
        self.evaluations[size] = self.evaluations.get(size, 0) + 1
        return super()._evaluate(params, data, gradient)


@pytest.fixture
def small_scale(monkeypatch):
    """The subsample sizes scaled down with the data (5,000 and 50,000 rows at full scale)."""
    monkeypatch.setattr(optimiser_module, "_WARM_START_ROWS", 1_500)
    monkeypatch.setattr(optimiser_module, "_LIMIT_CHECK_ROWS", 5_000)
    CountingParetoNBD.evaluations = {}
    return CountingParetoNBD


def test_limit_found_on_subsamples_costs_two_evaluations_of_the_full_data(small_scale):
    """No heterogeneity at all: the error names a gamma's limit and its mean, after two
    evaluations of the full data (the walk from the start took 16 on the same data)."""
    data = homogeneous(N_CUSTOMERS, rate=0.2, dropout=0.02, seed=0)
    with pytest.raises(ConvergenceError, match="grow together without bound") as caught:
        small_scale().fit(data)
    assert small_scale.evaluations[N_CUSTOMERS] == 2
    message = str(caught.value)
    assert "mean purchase rate r/alpha=" in message or "mean dropout rate s/beta=" in message
    if "r/alpha=" in message:
        mean = float(message.split("r/alpha=")[1].split(")")[0])
        assert mean == pytest.approx(0.2, rel=0.02)


def test_no_error_when_the_full_data_reject_the_step(small_scale, monkeypatch):
    """When the full data's objective does not fall along the larger subsample's step across
    the limit, the check returns (and the full data are then fitted from the start)."""
    data = homogeneous(N_CUSTOMERS, rate=0.2, dropout=0.02, seed=0)
    judged = []
    objective = CountingParetoNBD._objective

    def rejecting(self, log_params, columns, n):
        if columns["weights"].size != N_CUSTOMERS:
            return objective(self, log_params, columns, n)
        judged.append(log_params)
        return 1.0 if len(judged) == 2 else 0.0  # the point past the limit is worse

    model = small_scale()
    columns = model._prepare_fit_data(model._compressed_columns(data))
    monkeypatch.setattr(CountingParetoNBD, "_objective", rejecting)
    model._check_limit(columns)  # returns: no error
    assert len(judged) == 2
    limit = np.log(1e4)
    assert max(judged[0][:2].min(), judged[0][2:].min()) <= limit  # short of the limit
    assert max(judged[1][:2].min(), judged[1][2:].min()) > limit  # past it


def test_heterogeneous_data_never_reach_the_check(small_scale):
    """Customers whose rates vary (r = 0.6, s = 0.8): the fit converges, the limit check never
    runs, and the full data need only the few evaluations of the warm start's polish."""
    rng = np.random.default_rng(3)
    n = N_CUSTOMERS
    rate, dropout = rng.gamma(0.6, 1 / 3.0, n), rng.gamma(0.8, 1 / 40.0, n)
    age = rng.uniform(20.0, 80.0, n)
    alive_for = np.minimum(rng.exponential(1 / dropout), age)
    x = rng.poisson(rate * alive_for)
    last = alive_for * rng.random(n) ** (1 / np.maximum(x, 1))
    data = pd.DataFrame({"frequency": x.astype(float), "recency": np.where(x > 0, last, 0.0),
                         "T": age})
    model = small_scale().fit(data)
    assert model.params_["r"] == pytest.approx(0.6, rel=0.15)
    assert model.params_["s"] == pytest.approx(0.8, rel=0.35)
    assert 5_000 not in small_scale.evaluations
