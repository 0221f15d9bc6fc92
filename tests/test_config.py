"""AnalysisConfig: validation messages and copies."""

from __future__ import annotations

import pytest

from valuecrm.config import AnalysisConfig
from valuecrm.errors import ParameterError


def test_defaults_are_valid_and_serialisable():
    config = AnalysisConfig().validated()
    data = config.to_dict()
    assert data["tier_shares"] == [0.01, 0.05, 0.2]
    assert data["candidates"] == ["BetaGeo", "ParetoNBD", "ModifiedBetaGeo"]
    assert AnalysisConfig(**{**data, "tier_shares": tuple(data["tier_shares"]),
                             "candidates": tuple(data["candidates"])}) == config


@pytest.mark.parametrize(("changes", "message"), [
    ({"candidates": ("Foo",)}, "'candidates' parameter"),
    ({"horizon_months": 0}, "'horizon_months' parameter"),
    ({"horizon_months": 5e-324}, "'horizon_months' parameter"),
    ({"horizon_months": 6.5}, "whole number of months"),
    ({"horizon_months": 121}, "'horizon_months' parameter"),
    ({"interval_level": 5e-324}, "'interval_level' parameter"),
    ({"discount_rate": 1.5}, "'discount_rate' parameter"),
    ({"matrix_cut": "mode"}, "'matrix_cut' parameter"),
    ({"pyramid_value": "spend"}, "'pyramid_value' parameter"),
    ({"selection_sample": 10}, "'selection_sample' parameter"),
    ({"new_days": 0}, "'new_days' parameter"),
    ({"selection_bootstrap": -1}, "'selection_bootstrap' parameter"),
])
def test_bad_settings_are_named(changes, message):
    with pytest.raises(ParameterError, match=message):
        AnalysisConfig(**changes).validated()


def test_replace_refuses_unknown_fields():
    assert AnalysisConfig().replace(new_days=30).new_days == 30
    with pytest.raises(ParameterError, match="no field 'nwe_days'"):
        AnalysisConfig().replace(nwe_days=30)
