"""An ingest and an analysis never overlap: over HTTP, an ingest answers 409 while an analysis
job runs, and an analysis answers 409 while an ingest loads; each in the one error shape.

The server runs in this process (``threaded_server``), so the analysis or the ingest can be held
on an event: the second request certainly arrives while the first is in progress, whatever the
speed of the machine. The held analysis then runs the real one on the real database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.servers import ApiData
from tests.helpers.threaded_server import ThreadedServer, copy_database, serve_in_thread

HOLD_SECONDS = 30
UPLOAD = "customer_id,name,email\n" + "".join(
    f"EXC-{i},Person {i},e{i}@example.com\n" for i in range(5))


@pytest.fixture
def server(api_data: ApiData, tmp_path: Path) -> Iterator[ThreadedServer]:
    with serve_in_thread(copy_database(api_data, tmp_path), api_data.tokens) as running:
        yield running


class Hold:
    """Replaces a function by one that signals ``started``, waits for ``release``, then runs
    the original."""

    def __init__(self, original: Any) -> None:
        self.original = original
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        assert self.release.wait(HOLD_SECONDS), "the test never released the call"
        return self.original(*args, **kwargs)


def upload(client: httpx.Client) -> httpx.Response:
    return client.post("/api/ingest/customers", files={"file": ("people.csv", UPLOAD.encode())})


def uploaded(client: httpx.Client) -> int:
    return client.get("/api/customers", params={"q": "EXC-"}).json()["total"]


def wait_until_ended(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/analyses/{job_id}").json())["status"] in ("queued",
                                                                             "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    return job


def test_an_ingest_during_an_analysis_is_refused_until_it_ends(server, monkeypatch):
    import valuecrm.analysis

    held = Hold(valuecrm.analysis.analyze)
    monkeypatch.setattr(valuecrm.analysis, "analyze", held)
    with server.client("analyst") as analyst, server.client("admin") as admin:
        started = analyst.post("/api/analyses", json={"candidates": ["BetaGeo"]})
        assert started.status_code == 202, started.text
        job_id = started.json()["job_id"]
        try:
            assert held.started.wait(HOLD_SECONDS)
            refused = upload(admin)
            assert refused.status_code == 409, refused.text
            body = refused.json()
            assert set(body) == {"error", "message", "hint", "details"}
            assert body["error"] == "analysis_running"
            assert f"An analysis is running (job {job_id})" in body["message"]
            assert "try again when it ends" in body["message"]
            assert f"/api/analyses/{job_id}" in body["hint"]
            assert body["details"] == {"job_id": job_id}
            assert uploaded(admin) == 0  # nothing was loaded
            # user changes are not data the analysis reads: they go on
            created = admin.post("/api/users", json={"name": "during-analysis",
                                                     "role": "viewer"})
            assert created.status_code == 201, created.text
        finally:
            held.release.set()
        job = wait_until_ended(analyst, job_id)
        assert job["status"] == "succeeded", job
        loaded = upload(admin)  # free again as soon as the job shows as ended
        assert loaded.status_code == 200, loaded.text
        assert uploaded(admin) == 5


def test_an_analysis_during_an_ingest_is_refused_until_it_ends(server, monkeypatch):
    from valuecrm.store import Database

    held = Hold(Database.ingest)
    monkeypatch.setattr(Database, "ingest", lambda self, *a, **k: held(self, *a, **k))
    with server.client("analyst") as analyst, server.client("admin") as admin, \
            ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(upload, admin)
        try:
            assert held.started.wait(HOLD_SECONDS)
            refused = analyst.post("/api/analyses", json={"candidates": ["BetaGeo"]})
            assert refused.status_code == 409, refused.text
            body = refused.json()
            assert set(body) == {"error", "message", "hint", "details"}
            assert body["error"] == "ingest_running"
            assert body["message"] == ("An ingest is running (people.csv into customers); "
                                       "try again when it ends.")
            assert body["hint"] and body["details"] == {"ingest": "people.csv into customers"}
            assert analyst.get("/api/analyses").json()["items"] == []  # no job was made
        finally:
            held.release.set()
        assert loading.result(HOLD_SECONDS).status_code == 200
        started = analyst.post("/api/analyses", json={"candidates": ["BetaGeo"]})
        assert started.status_code == 202, started.text
        assert wait_until_ended(analyst, started.json()["job_id"])["status"] == "succeeded"


def test_the_409_answers_are_documented(server):
    with server.client("viewer") as viewer:
        paths = viewer.get("/openapi.json").json()["paths"]
    ingest = paths["/api/ingest/{table}"]["post"]
    assert "analysis is queued or running" in ingest["responses"]["409"]["description"]
    assert "409 while an analysis" in ingest["description"]
    analyses = paths["/api/analyses"]["post"]
    assert "ingest_running" in analyses["responses"]["409"]["description"]
    assert "ingests answer 409" in analyses["description"]
