"""PLS on data simulated from a known composite model (design: tests/helpers/pls_simulation.py):
the population recovers the truth exactly; bootstrap intervals cover it about 95% of the time."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import pls_simulation as sim
from valuecrm.voice.pls_algorithm import estimate
from valuecrm.voice.pls_structure import layout


def test_mode_b_on_the_population_recovers_the_true_paths():
    spec = layout(sim.BLOCKS, list(sim.TRUE_PATHS), "path", sim.MODES)
    result = estimate(sim.population_correlation()[None], spec.structure, "path")
    index = {c: k for k, c in enumerate(spec.constructs)}
    for (a, b), value in sim.TRUE_PATHS.items():
        assert result.paths[0, index[a], index[b]] == pytest.approx(value, abs=1e-9)


@pytest.mark.slow
def test_bootstrap_intervals_cover_the_true_paths():
    # 60 surveys of 300 respondents, 200 resamples each: 180 intervals, deterministic seeds
    # (bench/pls_coverage.py runs the full design)
    runs = sim.replicate(replications=60, n=300, resamples=200, seed=2026)
    coverage = runs["covered"].mean()
    assert 0.90 <= coverage <= 0.99, coverage
    # the intervals' width is right: bootstrap standard errors match the spread of the
    # estimates over surveys
    ratio = runs["se"].mean(axis=0) / runs["estimate"].std(axis=0, ddof=1)
    assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio


def test_ipma_recovers_the_planted_total_effects():
    """X acts on Y directly (0.3) and through M (0.5 x 0.4): a total effect of 0.5."""
    from valuecrm.voice import PLSPathModel

    data = sim.sample(20_000, np.random.default_rng(8))
    model = PLSPathModel(sim.BLOCKS, list(sim.TRUE_PATHS), modes=sim.MODES).fit(data)
    table = model.ipma("Y").set_index("construct")
    assert table.loc["X", "total_effect"] == pytest.approx(0.3 + 0.5 * 0.4, abs=0.02)
    assert table.loc["M", "total_effect"] == pytest.approx(0.4, abs=0.02)
    assert list(table.index) == ["X", "M"]
