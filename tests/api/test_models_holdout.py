"""``GET /api/models/holdout``: valuecrm.evaluate_holdout on the database's orders (the CDNOW
sample: calibration to 1997-09-30, holdout to 1998-06-30), the figures the CLI prints."""

from __future__ import annotations

import warnings

import pytest

from tests.helpers.data import CDNOW_CALIBRATION_END


@pytest.fixture(scope="module")
def client(analysed_db, tmp_path_factory):
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    path = analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None,
                       copy_to=tmp_path_factory.mktemp("holdout-api"))
    with connect(path) as database:
        token = add_user(database.raw, "holdout-viewer", "viewer")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    with TestClient(create_app(path), headers={"Authorization": f"Bearer {token}"}) as made:
        yield made


def test_holdout_figures_and_choice(client):
    from valuecrm import evaluate_holdout
    from valuecrm.datasets import load_cdnow

    response = client.get("/api/models/holdout", params={
        "calibration_end": CDNOW_CALIBRATION_END, "observation_end": "1998-06-30",
        "purchase_model": ["BetaGeo", "ModifiedBetaGeo"], "bootstrap": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = evaluate_holdout(load_cdnow(sample=True), calibration_end=CDNOW_CALIBRATION_END,
                                observation_end="1998-06-30", n_bootstrap=100,
                                models=["BetaGeo", "ModifiedBetaGeo"])
    assert [r["model"] for r in body["ranking"]] == list(expected.ranking["model"])
    assert body["ranking"][0]["rmse"] == pytest.approx(expected.ranking.loc[0, "rmse"])
    assert body["chosen"] == expected.best_name and body["reason"] == expected.reason
    assert set(body["tracking"]["expected"]) == {"BetaGeo", "ModifiedBetaGeo"}
    assert "paired bootstrap" in body["method"]
    assert body["customers"] == body["population"] == 2357


def test_a_seeded_sample_of_the_customers(client):
    """``sample``: the customers evaluated, a seeded random sample drawn in the database."""
    from valuecrm import evaluate_holdout
    from valuecrm.datasets import load_cdnow

    response = client.get("/api/models/holdout", params={
        "calibration_end": CDNOW_CALIBRATION_END, "observation_end": "1998-06-30",
        "purchase_model": ["BetaGeo"], "bootstrap": 0, "sample": 500})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = evaluate_holdout(load_cdnow(sample=True), calibration_end=CDNOW_CALIBRATION_END,
                                observation_end="1998-06-30", n_bootstrap=0,
                                models=["BetaGeo"], sample=500)
    assert (body["customers"], body["population"]) == (500, 2357)
    assert body["ranking"][0]["mae"] == pytest.approx(expected.ranking.loc[0, "mae"], rel=1e-12)
    assert body["reason"] == expected.reason
    refused = client.get("/api/models/holdout", params={
        "calibration_end": CDNOW_CALIBRATION_END, "sample": 5})
    assert refused.status_code == 422


def test_dates_in_the_wrong_order_are_refused(client):
    response = client.get("/api/models/holdout", params={
        "calibration_end": "1998-06-30", "observation_end": "1998-06-30"})
    assert response.status_code == 400, response.text
    assert "must end before the holdout ends" in response.json()["message"]
    response = client.get("/api/models/holdout", params={"purchase_model": "Lifetimes",
                                                          "calibration_end": "1997-09-30"})
    assert response.status_code == 422
