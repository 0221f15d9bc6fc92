"""``GET /api/models`` answers the fitted models the latest snapshot stores, without fitting,
and fits only when there is no analysis yet or another model or time unit is asked for.

The servers run in this process (``threaded_server``), so the fitting code can be replaced by
one that fails: an answer from the snapshot certainly did not fit anything.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.servers import ApiData
from tests.helpers.threaded_server import ThreadedServer, copy_database, serve_in_thread
from valuecrm.store.snapshots import Snapshot

OTHER_MODEL = {"BetaGeo": "ModifiedBetaGeo", "ModifiedBetaGeo": "BetaGeo",
               "ParetoNBD": "BetaGeo"}


@pytest.fixture(scope="module")
def analysed(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory,
             ) -> tuple[Path, Snapshot]:
    """A copy of the template whose latest snapshot compared two models on a holdout, and that
    snapshot as stored."""
    from valuecrm.analysis import AnalysisConfig, analyze, get_snapshot
    from valuecrm.store import connect

    path = copy_database(api_data, tmp_path_factory.mktemp("models-snapshot"))
    config = AnalysisConfig(candidates=("BetaGeo", "ModifiedBetaGeo"), min_selection_customers=30)
    with connect(path) as database:
        analyze(database, config=config)
        stored = get_snapshot(database)
    assert len(stored.metadata["model_ranking"]) == 2, stored.model_reason
    return path, stored


@pytest.fixture(scope="module")
def server(analysed: tuple[Path, Snapshot], api_data: ApiData) -> Iterator[ThreadedServer]:
    with serve_in_thread(analysed[0], api_data.tokens) as running:
        yield running


def no_fitting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every model fit (and the route's own fit) fail; the calls are listed."""
    from valuecrm.interfaces.api.routes import models as route
    from valuecrm.models.base import BaseFitter

    calls: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append(repr(args[:1]))
        raise AssertionError("GET /api/models fitted a model")

    monkeypatch.setattr(route, "fit_models", refuse)
    monkeypatch.setattr(BaseFitter, "fit", refuse)
    return calls


def assert_stored(answer: dict[str, Any], name: str, fit: dict[str, Any]) -> None:
    """The answer's model is the stored fit, value for value."""
    assert answer["name"] == name
    assert [p["param"] for p in answer["params"]] == list(fit["params"])
    assert {p["param"]: p["estimate"] for p in answer["params"]} == fit["params"]
    assert {p["param"]: p["se"] for p in answer["params"]} == fit["standard_errors"]
    assert answer["log_likelihood"] == fit["log_likelihood"]
    assert answer["n_customers"] == fit["n_customers"]
    for p in answer["params"]:  # the stored 95% profile-likelihood intervals, inside (0, inf]
        lower, upper = fit["intervals"][p["param"]]
        # 0: open at 0, the data of this small base exclude no small value of the parameter
        assert p["lower"] == lower and 0 <= lower < p["estimate"] < upper
        # JSON has no infinity: a parameter the data do not bound above has upper null
        assert p["upper"] == (None if upper == math.inf else upper)
    assert answer["interval_method"] == fit["interval_method"]
    assert "profile-likelihood" in answer["interval_method"]
    k, ll, n = len(fit["params"]), fit["log_likelihood"], fit["n_customers"]
    assert answer["aic"] == pytest.approx(2 * k - 2 * ll)
    assert answer["bic"] == pytest.approx(k * math.log(n) - 2 * ll)


def test_the_latest_snapshot_is_served_without_fitting(server, analysed, monkeypatch):
    stored = analysed[1]
    calls = no_fitting(monkeypatch)
    with server.client("viewer") as viewer:
        response = viewer.get("/api/models")
        explicit = viewer.get("/api/models", params={"purchase_model": stored.model,
                                                     "freq": "W"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert calls == []
    assert body["source"] == f"snapshot {stored.snapshot_id}"
    assert body["snapshot_id"] == stored.snapshot_id
    assert body["observation_end"] == stored.as_of.isoformat() and body["freq"] == "W"
    assert body["customers"] == stored.counts["customers"]
    assert body["repeat_buyers"] == stored.counts["repeat_buyers"]
    assert_stored(body["purchase_model"], stored.model, stored.parameters[stored.model])
    assert "profile-likelihood" in body["method"]
    assert_stored(body["spend_model"], "GammaGamma", stored.parameters["GammaGamma"])
    assert body["selection"] == {"reason": stored.model_reason,
                                 "ranking": stored.metadata["model_ranking"],
                                 "holdout": stored.metadata["holdout"],
                                 "choice": stored.metadata["model_choice"]}
    # the rule's record: the step that decided, each model's RMSE gap and its interval
    choice = body["selection"]["choice"]
    assert choice["chosen"] == stored.model and choice["steps"][0]["criterion"] == "rmse"
    assert choice["decided_by"] in ("rmse", "abs_total_error", "tracking_error", "bic")
    assert {"rmse_gap", "rmse_gap_lower", "rmse_gap_upper", "tracking_error", "bic"} <= set(
        body["selection"]["ranking"][0])
    assert [r["model"] for r in body["selection"]["ranking"]] == [
        r["model"] for r in stored.metadata["model_ranking"]]
    assert f"snapshot {stored.snapshot_id}" in body["method"]
    assert body["cached"] is False
    assert explicit.status_code == 200 and explicit.json() == body


def test_another_model_or_time_unit_is_fitted_and_says_why(server, analysed):
    stored = analysed[1]
    other = OTHER_MODEL[stored.model]
    with server.client("analyst") as analyst:
        monthly = analyst.get("/api/models", params={"freq": "M"}).json()
        again = analyst.get("/api/models", params={"freq": "M"}).json()
        switched = analyst.get("/api/models", params={"purchase_model": other}).json()
    sid = stored.snapshot_id
    assert monthly["source"] == (f"fitted now: months were asked for; snapshot {sid} is "
                                 "fitted in weeks")
    assert monthly["snapshot_id"] is None and monthly["freq"] == "M"
    assert monthly["cached"] is False and again["cached"] is True
    assert again["purchase_model"] == monthly["purchase_model"]
    assert monthly["purchase_model"]["name"] == stored.model
    assert monthly["selection"]["ranking"] == []
    assert monthly["selection"]["reason"].startswith(
        f"{stored.model} as the analysis of snapshot {sid} chose")
    assert "months" in monthly["method"]
    assert switched["source"] == (f"fitted now: {other} was asked for; snapshot {sid} has "
                                  f"{stored.model}")
    assert switched["purchase_model"]["name"] == other and switched["freq"] == "W"


def test_without_an_analysis_the_models_are_fitted_until_one_is_stored(api_data, tmp_path):
    path = copy_database(api_data, tmp_path)
    import duckdb

    with duckdb.connect(str(path)) as raw:
        raw.execute("DROP TABLE customer_value")
        raw.execute("DROP TABLE snapshots")
    with serve_in_thread(path, api_data.tokens) as server, server.client("analyst") as analyst:
        fitted = analyst.get("/api/models")
        assert fitted.status_code == 200, fitted.text
        body = fitted.json()
        assert body["source"] == "fitted now: no analysis yet"
        assert body["snapshot_id"] is None and body["cached"] is False
        assert body["purchase_model"]["name"] == "BetaGeo"
        assert body["purchase_model"]["log_likelihood"] < 0
        assert body["selection"]["ranking"] == []
        assert body["selection"]["reason"].startswith("BetaGeo by default")

        job = analyst.post("/api/analyses", json={"candidates": ["BetaGeo"]})
        assert job.status_code == 202, job.text
        deadline = time.monotonic() + 120
        while (state := analyst.get(job.headers["location"]).json())["status"] in (
                "queued", "running"):
            assert time.monotonic() < deadline, state
            time.sleep(0.05)
        assert state["status"] == "succeeded", state
        served = analyst.get("/api/models").json()
        stored = analyst.get(f"/api/snapshots/{state['snapshot_id']}").json()
    assert served["source"] == f"snapshot {state['snapshot_id']}"
    assert_stored(served["purchase_model"], "BetaGeo", stored["parameters"]["BetaGeo"])
