"""The estimator contract, checked on every model in valuecrm.models (as scikit-learn's
test_common): __init__ only stores, fit returns self, learned values end in "_", unfitted use
raises NotFittedError, from_params round-trips, and every table type gives the same fit."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import valuecrm.models as models
from tests.helpers.optimum import assert_same_optimum
from valuecrm.errors import NotFittedError
from valuecrm.models.base import BaseFitter

RETENTION = pd.DataFrame(
    {"period": range(8), "active": [1000, 631, 468, 382, 326, 289, 262, 241]}
)


@dataclass(frozen=True)
class Case:
    """How to exercise one model: its data, its parameter names and one prediction."""

    data: str  # name of the fixture (or "retention") holding the fit data
    params: tuple[str, ...]
    predict: Callable[[Any, Any], Any]


CASES: dict[str, Case] = {
    "BetaGeo": Case("cdnow", ("r", "alpha", "a", "b"), lambda m, d: m.probability_alive(d)),
    "ModifiedBetaGeo": Case(
        "cdnow", ("r", "alpha", "a", "b"), lambda m, d: m.expected_purchases(10, d)
    ),
    "ParetoNBD": Case(
        "cdnow", ("r", "alpha", "s", "beta"), lambda m, d: m.probability_alive(d)
    ),
    "GammaGamma": Case(
        "cdnow_repeat_buyers", ("p", "q", "gamma"), lambda m, d: m.expected_spend(d)
    ),
    "BetaGeoBetaBinom": Case(
        "donations", ("alpha", "beta", "gamma", "delta"), lambda m, d: m.probability_alive(d)
    ),
    "ShiftedBetaGeo": Case("retention", ("alpha", "beta"), lambda m, d: m.survival([1, 5])),
}

ESTIMATORS = [
    getattr(models, name)
    for name in models.__all__
    if isinstance(getattr(models, name), type)
    and issubclass(getattr(models, name), BaseFitter)
    and getattr(models, name) is not BaseFitter
]
CUSTOMER_LEVEL = [cls for cls in ESTIMATORS if cls._compress]


def fit_data(cls: type, request: pytest.FixtureRequest) -> pd.DataFrame:
    name = CASES[cls.__name__].data
    return RETENTION if name == "retention" else request.getfixturevalue(name)


def test_every_model_has_a_contract_case():
    assert {cls.__name__ for cls in ESTIMATORS} <= set(CASES), "add a Case for the new model"
    assert {"BetaGeo", "ModifiedBetaGeo", "GammaGamma", "BetaGeoBetaBinom", "ShiftedBetaGeo"} <= {
        cls.__name__ for cls in ESTIMATORS
    }


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_init_only_stores_its_arguments(cls):
    signature = inspect.signature(cls.__init__)
    arguments = [p for p in signature.parameters if p != "self"]
    model = cls()
    assert vars(model) == model.get_params()
    assert sorted(vars(model)) == sorted(arguments)
    assert vars(cls(penalizer_coef=0.5))["penalizer_coef"] == 0.5
    assert repr(model) == f"{cls.__name__}(unfitted)"
    assert model.set_params(tol=1e-6) is model and model.tol == 1e-6
    assert vars(cls(**model.get_params())) == vars(model)
    with pytest.raises(ValueError, match="has no parameter 'nonsense'"):
        model.set_params(nonsense=1)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_returns_self_with_learned_attributes(cls, request):
    model = cls()
    data = fit_data(cls, request)
    assert model.fit(data) is model
    names = list(CASES[cls.__name__].params)
    assert list(model.params_) == names
    assert list(model.standard_errors_) == names
    assert all(value > 0 for value in model.standard_errors_.values())
    assert list(model.confidence_intervals_.index) == names
    assert list(model.confidence_intervals_.columns) == ["lower", "upper"]
    assert np.isfinite([model.log_likelihood_, model.aic_, model.bic_]).all()
    assert model.aic_ == pytest.approx(2 * len(names) - 2 * model.log_likelihood_)
    assert model.n_customers_ > 1
    summary = model.summary()
    assert summary.shape == (len(names), 5)
    assert list(summary.columns) == ["param", "estimate", "se", "lower", "upper"]
    assert (summary["lower"] < summary["estimate"]).all()
    assert (summary["estimate"] < summary["upper"]).all()
    assert (summary["lower"] > 0).all()  # every parameter is positive: profile intervals
    assert "profile-likelihood" in summary.attrs["method"]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_unfitted_use_raises_not_fitted(cls, request):
    model = cls()
    message = f"This {cls.__name__} instance is not fitted yet"
    with pytest.raises(NotFittedError, match=message):
        model.summary()
    with pytest.raises(NotFittedError, match=message):
        CASES[cls.__name__].predict(model, fit_data(cls, request))


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_from_params_round_trip(cls, request):
    data = fit_data(cls, request)
    fitted = cls().fit(data)
    rebuilt = cls.from_params(**fitted.params_)
    assert rebuilt.params_ == fitted.params_
    predict = CASES[cls.__name__].predict
    np.testing.assert_array_equal(predict(rebuilt, data), predict(fitted, data))
    assert rebuilt.summary()["se"].isna().all()
    with pytest.raises(ValueError, match="from_params needs exactly"):
        cls.from_params(nonsense=1.0)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_pandas_pyarrow_and_ibis_tables_give_the_same_fit(cls, request, db):
    data = fit_data(cls, request)
    reference = cls().fit(data)
    db.raw.register("frame", data)
    db.raw.execute("CREATE TABLE fit_data AS SELECT * FROM frame")
    tables = {
        "pyarrow": pa.Table.from_pandas(data),
        "ibis memtable": ibis.memtable(data),
        "table of a DuckDB file": db.con.table("fit_data"),
    }
    predict = CASES[cls.__name__].predict
    for kind, table in tables.items():
        model = cls().fit(table)
        for name, value in reference.params_.items():
            assert model.params_[name] == pytest.approx(value, rel=1e-6), (kind, name)
        assert model.n_customers_ == reference.n_customers_, kind
        np.testing.assert_allclose(predict(model, table), predict(reference, data), rtol=1e-6)


@pytest.mark.parametrize("cls", CUSTOMER_LEVEL, ids=lambda c: c.__name__)
def test_weights_column_equals_duplicated_rows(cls, request):
    data = fit_data(cls, request)
    columns = list(cls._fit_columns)
    if "weights" in data:
        weighted = data[[*columns, "weights"]]
        duplicated = data.loc[data.index.repeat(data["weights"]), columns]
    else:
        weighted = data.groupby(columns, as_index=False).size().rename(columns={"size": "weights"})
        duplicated = data[columns]
    assert len(weighted) < len(duplicated)
    by_weight, by_row = cls().fit(weighted), cls().fit(duplicated)
    assert_same_optimum(by_weight, by_row, weighted, errors=False)  # the stopping rule's bound
    assert by_weight.n_customers_ == by_row.n_customers_
