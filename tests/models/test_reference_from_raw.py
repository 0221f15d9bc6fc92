"""REFERENCE.md reproduced from the raw CDNOW sample transactions, through rfm_summary (weeks,
calibration ends 1997-09-30), not from the pre-summarised file.

Sources: Fader, Hardie & Lee (2005), Marketing Science 24(2) (BG/NBD); Schmittlein, Morrison &
Colombo (1987) with the estimates of Fader, Hardie & Lee (2005) (Pareto/NBD); Fader, Hardie & Lee
(2005), JMR 42(4) (Gamma-Gamma); Batislam, Denizel & Filiztekin (2007) via BTYDplus (MBG/NBD).
"""

from __future__ import annotations

import pandas as pd
import pytest

from valuecrm.datasets import load_cdnow
from valuecrm.features import rfm_summary
from valuecrm.models import BetaGeo, GammaGamma, ModifiedBetaGeo, ParetoNBD


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return rfm_summary(load_cdnow(sample=True), observation_end="1997-09-30",
                       freq="W").to_pandas()


def check(params: dict[str, float], expected: dict[str, float], rel: float) -> None:
    for name, value in expected.items():
        assert params[name] == pytest.approx(value, rel=rel), name


def test_bg_nbd(summary):
    model = BetaGeo().fit(summary)
    check(model.params_, {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199,
                          "b": 2.4258881}, rel=1e-3)
    assert model.log_likelihood_ == pytest.approx(-9582.429, abs=0.01)


def test_pareto_nbd(summary):
    model = ParetoNBD().fit(summary)
    check(model.params_, {"r": 0.55315, "alpha": 10.57633, "s": 0.60625, "beta": 11.67150},
          rel=1e-3)
    assert model.log_likelihood_ == pytest.approx(-9594.976, abs=0.01)
    check(model.standard_errors_, {"r": 0.0476, "alpha": 0.8427, "s": 0.1873,
                                   "beta": 6.2105}, rel=0.02)


def test_gamma_gamma_on_the_repeat_buyers(summary):
    repeat = summary[summary["frequency"] > 0]
    assert len(repeat) == 946
    assert repeat["monetary_value"].mean() == pytest.approx(35.08, abs=0.01)
    model = GammaGamma().fit(repeat)
    check(model.params_, {"p": 6.25, "q": 3.74, "gamma": 15.44}, rel=5e-3)
    assert model.log_likelihood_ == pytest.approx(-4055.92, abs=0.01)
    spend = model.expected_spend(summary.head(10))
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    assert list(spend.round(2)) == pytest.approx(expected, abs=0.011)


def test_mbg_nbd(summary):
    model = ModifiedBetaGeo().fit(summary)
    check(model.params_, {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}, rel=1e-2)
