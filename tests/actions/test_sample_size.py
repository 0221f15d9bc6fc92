"""The sample-size and minimum-detectable-effect calculator against the textbook formulas."""

from __future__ import annotations

import pytest

from valuecrm.actions.campaigns import minimum_detectable_effect, sample_size
from valuecrm.errors import ParameterError


def test_two_proportions_match_the_per_group_formula():
    # per group: (1.959964 + 0.841621)^2 * (0.12 * 0.88 + 0.1 * 0.9) / 0.02^2 = 3838.3
    found = sample_size(0.02, baseline=0.1)
    assert (found.n_treatment, found.n_control, found.n_total) == (3839, 3839, 7678)
    assert found.outcome == "proportion" and "Cohen 1988" in found.method


def test_two_means_with_an_unequal_split():
    # n = 7.8489 * 10^2 * (1/0.8 + 1/0.2) / 1^2 = 4905.6 -> 4906, each group rounded up
    found = sample_size(1.0, sd=10.0, control_share=0.2)
    assert (found.n_treatment, found.n_control) == (3925, 982)


def test_minimum_detectable_effect_inverts_the_sample_size():
    for kwargs in ({"baseline": 0.1}, {"sd": 25.0}):
        effect = minimum_detectable_effect(20_000, control_share=0.3, **kwargs).effect
        assert sample_size(effect, control_share=0.3, **kwargs).n_total == pytest.approx(
            20_000, abs=2)


def test_bad_input_is_explained():
    with pytest.raises(ParameterError, match="control_share"):
        sample_size(0.02, baseline=0.1, control_share=0)
    with pytest.raises(ParameterError, match="either a baseline"):
        sample_size(0.02)
    with pytest.raises(ParameterError, match="not a rate"):
        sample_size(0.95, baseline=0.1)
