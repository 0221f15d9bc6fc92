"""Analyses as background jobs over HTTP: 202 with a Location, polled until it ends, the new
snapshot listed, settings and as-of dates out of range refused with 422 naming the field before
any job starts, one job at a time, roles, audit. (A failing job's error shape:
tests/api/test_analysis_jobs_unit.py.)

The server is one of its own (a copy of the analysed template database), since a job adds a
snapshot the other API tests do not expect.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.servers import ApiData, Server, start_server

POLL_SECONDS = 120


@pytest.fixture(scope="module")
def job_server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(api_data, tmp_path_factory.mktemp("api-jobs"))


@pytest.fixture(scope="module")
def analyst(job_server: Server) -> Iterator[httpx.Client]:
    with job_server.client("analyst") as client:
        yield client


def wait_for(client: httpx.Client, location: str) -> dict[str, Any]:
    """Poll a job until it has ended; every answer along the way is a valid status."""
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        job = client.get(location).json()
        assert job["status"] in ("queued", "running", "succeeded", "failed"), job
        if job["status"] == "running":
            assert 0 <= job["progress"] < 1
        if job["status"] in ("succeeded", "failed"):
            return job
        assert time.monotonic() < deadline, f"the job did not end in time: {job}"
        time.sleep(0.1)


def start(client: httpx.Client, body: dict[str, Any] | None = None) -> httpx.Response:
    return client.post("/api/analyses", json=body) if body is not None else client.post(
        "/api/analyses")


def test_a_job_runs_to_a_new_snapshot(analyst, job_server):
    before = {s["as_of"] for s in analyst.get("/api/snapshots").json()["items"]}
    response = start(analyst, {"as_of": "2024-03-31", "candidates": ["BetaGeo"]})
    assert response.status_code == 202, response.text
    queued = response.json()
    assert response.headers["location"] == f"/api/analyses/{queued['job_id']}"
    assert queued["status"] in ("queued", "running")
    assert queued["config"]["candidates"] == ["BetaGeo"] and queued["as_of"] == "2024-03-31"

    done = wait_for(analyst, response.headers["location"])
    assert done["status"] == "succeeded", done
    assert done["error"] is None and done["progress"] == 1.0 and done["stage"] is None
    assert done["snapshot_as_of"] == "2024-03-31" and done["requested_by"] == "test-analyst"
    snapshots = analyst.get("/api/snapshots").json()["items"]
    new = [s for s in snapshots if s["as_of"] not in before]
    assert [(s["snapshot_id"], s["as_of"]) for s in new] == [(done["snapshot_id"], "2024-03-31")]
    assert new[0]["model"] == "BetaGeo"
    rows = analyst.get(f"/api/snapshots/{done['snapshot_id']}/customers").json()
    assert rows["total"] > 0

    listed = analyst.get("/api/analyses").json()["items"]
    assert listed[0]["job_id"] == queued["job_id"]


def refused_fields(response: httpx.Response) -> list[str]:
    """The fields a 422 names (``body.as_of`` ...), after checking the one error shape."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request" and body["hint"]
    return [e["location"] for e in body["details"]["errors"]]


def test_an_as_of_outside_the_data_is_refused_before_any_job(analyst):
    """As of 2099 every customer would be lost and the snapshot the latest: refused (422)."""
    before = analyst.get("/api/snapshots/latest").json()
    last = analyst.get("/api/analyses").json()["items"][:1]
    for as_of, words in (("2099-12-31", "after the day of the last order"),
                         ("1990-01-01", "the first order is of")):
        response = start(analyst, {"as_of": as_of})
        assert refused_fields(response) == ["body.as_of"], response.text
        assert as_of in response.json()["message"] and words in response.json()["message"]
    assert analyst.get("/api/snapshots/latest").json() == before
    assert analyst.get("/api/analyses").json()["items"][:1] == last  # no job was queued


def test_one_job_at_a_time(analyst, job_server):
    first = start(analyst)  # the whole history: long enough to be still queued or running
    assert first.status_code == 202, first.text
    with job_server.client("admin") as admin:
        second = start(admin, {"candidates": ["BetaGeo"]})
    assert second.status_code == 409, second.text
    body = second.json()
    assert body["error"] == "analysis_running"
    assert first.json()["job_id"] in body["message"] and body["hint"]
    assert wait_for(analyst, first.headers["location"])["status"] == "succeeded"
    again = start(analyst, {"candidates": ["BetaGeo"]})  # free again once it has ended
    assert again.status_code == 202
    assert wait_for(analyst, again.headers["location"])["status"] == "succeeded"


@pytest.mark.parametrize("body", [
    {"candidates": ["Nope"]}, {"candidates": []}, {"discount_rate": 1.5},
    {"discount_rate": -0.01}, {"as_of": "yesterday"}, {"as_of": 0}, {"as_of": "1234567890"},
    {"as_of": 1e12}, {"horizon_months": 5e-324}, {"horizon_months": 6.5},
    {"horizon_months": 0}, {"horizon_months": 121}, {"interval_level": 5e-324},
    {"interval_level": 1}, {"seed": -1}, {"selection_sample": 10**12}, {"margin_rate": 0},
    {"margin_rate": 1.5},
])
def test_unreasonable_settings_are_refused_naming_the_field(analyst, body):
    (field,) = body
    assert [f.split(".")[1] for f in refused_fields(start(analyst, body))] == [field]


def test_unknown_jobs(analyst):
    missing = analyst.get("/api/analyses/000000000000")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_viewers_may_not_start_or_see_jobs(job_server):
    with job_server.client("viewer") as viewer:
        for method, path in (("POST", "/api/analyses"), ("GET", "/api/analyses"),
                             ("GET", "/api/analyses/whatever")):
            response = viewer.request(method, path)
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["details"]["required_role"] == "analyst"
    with job_server.client() as anonymous:
        assert anonymous.post("/api/analyses").status_code == 401


def test_jobs_are_audited(analyst, job_server):
    response = start(analyst, {"as_of": "2024-02-29", "candidates": ["BetaGeo"]})
    job = wait_for(analyst, response.headers["location"])
    with job_server.client("admin") as admin:
        entries = admin.get("/api/audit", params={"limit": 1000}).json()["items"]
    mine = [e for e in entries if job["job_id"] in str(e)]
    assert sorted(e["action"] for e in mine) == ["analysis_started", "analysis_succeeded"]
    assert {e["actor"] for e in mine} == {"test-analyst"}


def test_the_settings_of_the_cli_are_fields_of_the_request():
    """Every setting 'valuecrm analyze' takes on the command line, the API takes too."""
    from valuecrm.interfaces.api.routes.analyses import AnalysisRequest

    config = AnalysisRequest(horizon_months=24, discount_rate=0.05, margin_rate=0.3,
                             interval_level=0.8, candidates=["ParetoNBD"]).config()
    assert (config.horizon_months, config.discount_rate, config.margin_rate,
            config.interval_level, config.candidates) == (24, 0.05, 0.3, 0.8, ("ParetoNBD",))
