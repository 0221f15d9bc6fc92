"""load_cdnow_summary: the published CDNOW summary with the columns the models take, or with
the published names."""

from __future__ import annotations

import pytest

from valuecrm import BetaGeo, GammaGamma, ParetoNBD, load_cdnow, load_cdnow_summary


def test_default_columns_fit_the_models_as_published():
    """The first thing a user tries works, and gives the estimates of REFERENCE.md (Fader,
    Hardie & Lee 2005: BG/NBD r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.43)."""
    summary = load_cdnow_summary()
    assert list(summary.columns) == ["customer_id", "frequency", "recency", "T",
                                     "monetary_value"]
    assert len(summary) == 2357
    model = BetaGeo().fit(summary)
    assert model.log_likelihood_ == pytest.approx(-9582.429, abs=0.01)
    assert model.params_["r"] == pytest.approx(0.2425945, rel=1e-4)
    assert ParetoNBD().fit(summary).log_likelihood_ == pytest.approx(-9594.976, abs=1e-2)
    repeat = summary[summary["frequency"] > 0]
    assert GammaGamma().fit(repeat).params_["p"] == pytest.approx(6.25, abs=0.01)


def test_ids_join_the_sample_orders():
    ids = set(load_cdnow(sample=True)["customer_id"])
    assert set(load_cdnow_summary()["customer_id"]) == ids


def test_published_names_on_request():
    published = load_cdnow_summary(published_names=True)
    assert list(published.columns) == ["ID", "x", "t_x", "T", "zbar"]
    first = published.iloc[0]
    assert (first["ID"], first["x"], first["t_x"], first["T"]) == (1, 2, 30.43, 38.86)
    default = load_cdnow_summary()
    assert (default["frequency"] == published["x"]).all()
    assert (default["monetary_value"] == published["zbar"]).all()
