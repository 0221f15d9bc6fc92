"""Data the models cannot use gets a DataError that says what to do; failed fits a
ConvergenceError that says what to check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.errors import ConvergenceError, DataError, ParameterError, SchemaError
from valuecrm.models import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ShiftedBetaGeo,
)


def summary(frequency, recency, T) -> pd.DataFrame:
    return pd.DataFrame({"frequency": frequency, "recency": recency, "T": T}, dtype=float)


@pytest.mark.parametrize("model", [BetaGeo, ModifiedBetaGeo])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (summary([0, 0, 0], [0, 0, 0], [5, 6, 7]), "No customer made a repeat purchase"),
        (summary([2], [3], [5]), "more than one customer"),
        (summary([1, 0], [0, 0], [0, 0]), "All purchases fall on one day"),
        (summary([1, -1], [2, 2], [5, 5]), "'frequency' has 1 negative"),
        (summary([1, np.nan], [2, 2], [5, 5]), "'frequency' has 1 missing"),
        (summary([1, 1], [2, 6], [5, 5]), "recency greater than T"),
        (summary([1, 1], [2, 2], [5, 5]).assign(weights=[0.0, 0.0]), "no customers"),
    ],
)
def test_degenerate_purchase_data(model, data, message):
    with pytest.raises(DataError, match=message):
        model().fit(data)


def test_missing_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="T is missing"):
        BetaGeo().fit(pd.DataFrame({"frequency": [1, 2], "recency": [1, 2]}))


def test_unknown_data_type():
    with pytest.raises(ParameterError, match="'data' parameter of BetaGeo"):
        BetaGeo().fit([[1, 2, 3]])


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"frequency": [0, 2, 3], "monetary_value": [0, 10, 20]}), "positive spend"),
        (pd.DataFrame({"frequency": [1, 2, 3], "monetary_value": [5, -1, 20]}), "negative"),
        (pd.DataFrame({"frequency": [1, 2], "monetary_value": [5.0, 5.0]}), "same monetary"),
        (pd.DataFrame({"frequency": [1], "monetary_value": [5.0]}), "more than one"),
    ],
)
def test_degenerate_spend_data(frame, message):
    with pytest.raises(DataError, match=message):
        GammaGamma().fit(frame)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"frequency": [0, 0], "recency": [0, 0], "n_periods": [6, 6]}),
         "No customer made a repeat"),
        (pd.DataFrame({"frequency": [3, 1], "recency": [2, 1], "n_periods": [6, 6]}),
         "frequency <= recency <= n_periods"),
        (pd.DataFrame({"frequency": [1.5, 1], "recency": [2, 1], "n_periods": [6, 6]}),
         "whole numbers"),
    ],
)
def test_degenerate_panel_data(frame, message):
    with pytest.raises(DataError, match=message):
        BetaGeoBetaBinom().fit(frame)


@pytest.mark.parametrize(
    ("active", "message"),
    [([1000, 600, 700], "never increase"), ([1000, 1000, 1000], "No customer churned"),
     ([1000], "a later period")],
)
def test_degenerate_retention_data(active, message):
    table = pd.DataFrame({"period": range(len(active)), "active": active})
    with pytest.raises(DataError, match=message):
        ShiftedBetaGeo().fit(table)


def test_retention_periods_must_have_no_gaps():
    with pytest.raises(DataError, match="without gaps"):
        ShiftedBetaGeo().fit(pd.DataFrame({"period": [0, 1, 3], "active": [10, 8, 5]}))


@pytest.mark.parametrize(
    ("argument", "value"), [("penalizer_coef", -1.0), ("tol", 0.0), ("max_iter", 2.5)]
)
def test_bad_constructor_arguments_are_reported_by_fit(cdnow, argument, value):
    model = BetaGeo(**{argument: value})  # __init__ only stores
    with pytest.raises(ParameterError, match=f"'{argument}' parameter of BetaGeo"):
        model.fit(cdnow)


def test_failed_fit_says_what_to_check(cdnow):
    with pytest.raises(ConvergenceError, match="BetaGeo did not converge") as error:
        BetaGeo(max_iter=1).fit(cdnow)
    assert "Check that" in str(error.value)
    assert "penalizer_coef" in error.value.hint


def test_fallback_recovers_from_a_bad_start(cdnow, monkeypatch):
    monkeypatch.setattr(BetaGeo, "_initial_params", lambda self, data: np.full(4, 1e5))
    model = BetaGeo().fit(cdnow)
    assert model.log_likelihood_ == pytest.approx(-9582.429, abs=0.01)


def test_penalizer_shrinks_the_parameters(cdnow):
    plain = BetaGeo().fit(cdnow)
    penalised = BetaGeo(penalizer_coef=0.1).fit(cdnow)
    assert sum(v**2 for v in penalised.params_.values()) < sum(v**2 for v in plain.params_.values())
    assert penalised.log_likelihood_ < plain.log_likelihood_
