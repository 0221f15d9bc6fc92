"""Answers kept by the server until it next writes (valuecrm.interfaces.api.answers): a kept
answer is the answer, it is dropped when data are loaded or a snapshot is written, a revoked
token is refused at once, and one user's answer is never given to another."""

from __future__ import annotations

import shutil
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from valuecrm.interfaces.api.answers import Answers

ORDERS = ("order_id,customer_id,ordered_at,amount\n"
          "KEPT-O1,{customer},2024-03-01,19.90\n")


@pytest.fixture
def app_client(api_data, tmp_path) -> Iterator[tuple[Any, Any, dict[str, str]]]:
    """An in-process server over a copy of the template database, its app and the tokens."""
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
        from fastapi.testclient import TestClient
    path = tmp_path / "crm.duckdb"
    shutil.copy(api_data.path, path)
    app = create_app(path)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app, api_data.tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def kept_count(app: Any) -> int:
    return len(app.state.valuecrm.answers)


def test_a_kept_answer_is_the_answer(app_client):
    client, app, tokens = app_client
    first = client.get("/api/segments", params={"by": "tier"}, headers=bearer(tokens["analyst"]))
    assert first.status_code == 200 and kept_count(app) == 1
    again = client.get("/api/segments", params={"by": "tier"}, headers=bearer(tokens["analyst"]))
    assert again.content == first.content and again.headers == first.headers
    assert kept_count(app) == 1  # answered from what was kept, not kept twice


def test_loading_data_drops_the_kept_answers(app_client):
    client, _, tokens = app_client
    admin = bearer(tokens["admin"])
    before = client.get("/api/kpis", headers=admin).json()["tables"]["orders"]
    assert client.get("/api/kpis", headers=admin).json()["tables"]["orders"] == before
    customer = client.get("/api/customers", headers=admin).json()["items"][0]["customer_id"]
    loaded = client.post("/api/ingest/orders", headers=admin, files={
        "file": ("orders.csv", ORDERS.format(customer=customer).encode())})
    assert loaded.status_code == 200, loaded.text
    assert client.get("/api/kpis", headers=admin).json()["tables"]["orders"] == before + 1


def test_a_new_snapshot_drops_the_kept_answers(app_client):
    client, _, tokens = app_client
    admin = bearer(tokens["admin"])
    before = client.get("/api/snapshots", headers=admin).json()
    assert client.get("/api/snapshots", headers=admin).json() == before  # kept
    started = client.post("/api/analyses", headers=admin,
                          json={"as_of": "2024-03-31", "candidates": ["BetaGeo"]})
    assert started.status_code == 202, started.text
    job = started.json()["job_id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/analyses/{job}", headers=admin).json()["status"] not in (
            "succeeded", "failed"):
        assert time.monotonic() < deadline, "the analysis did not end"
        time.sleep(0.2)
    assert client.get(f"/api/analyses/{job}", headers=admin).json()["status"] == "succeeded"
    after = client.get("/api/snapshots", headers=admin).json()
    assert len(after["items"]) == len(before["items"]) + 1


def test_a_revoked_token_is_refused_at_once(app_client):
    client, _, tokens = app_client
    admin = bearer(tokens["admin"])
    made = client.post("/api/users", headers=admin, json={"name": "kept-late", "role": "viewer"})
    token = made.json()["token"]
    assert client.post("/login", data={"token": token},  # the dashboard, with the same token
                       follow_redirects=False).status_code == 303
    for _ in range(2):  # the user and the answers are kept now
        assert client.get("/api/kpis", headers=bearer(token)).status_code == 200
        assert client.get("/api/customers", headers=bearer(token)).status_code == 200
        assert client.get("/overview").status_code == 200
    assert client.delete("/api/users/kept-late", headers=admin).status_code == 200
    assert client.get("/api/kpis", headers=bearer(token)).status_code == 401
    assert client.get("/api/customers", headers=bearer(token)).status_code == 401
    assert client.get("/overview", follow_redirects=False).status_code == 303  # to sign in


def test_one_users_answer_is_never_anothers(app_client):
    client, _, tokens = app_client
    assert client.get("/api/kpis").status_code == 401
    assert client.get("/api/kpis", headers=bearer(tokens["viewer"])).status_code == 200
    assert client.get("/api/kpis").status_code == 401  # kept for the viewer only
    assert client.get("/api/kpis", headers=bearer(tokens["revoked"])).status_code == 401
    assert client.get("/api/kpis", headers=bearer("vcrm_x_y")).status_code == 401
    names = {}
    for role in ("viewer", "analyst"):
        made = client.post("/api/users", headers=bearer(tokens["admin"]),
                           json={"name": f"kept-{role}", "role": role}).json()["token"]
        client.cookies.clear()
        assert client.post("/login", data={"token": made},
                           follow_redirects=False).status_code == 303
        names[role] = [client.get("/overview").text for _ in range(2)]
        assert client.get("/api/kpis").status_code == 401  # a session is not an API token
    assert all("kept-viewer" in page and "kept-analyst" not in page for page in names["viewer"])
    assert all("kept-analyst" in page for page in names["analyst"])


def test_kept_answers_are_bounded_and_of_one_epoch():
    answers = Answers(max_bytes=10)
    epoch = answers.epoch
    answers.keep(epoch, ("a",), 200, [], b"12345")
    answers.keep(epoch, ("b",), 200, [], b"12345")
    assert answers.response(("a",)) is not None  # now the most recently used
    answers.keep(epoch, ("c",), 200, [], b"12345")
    assert answers.response(("b",)) is None and answers.response(("a",)) is not None
    answers.written()
    assert answers.response(("a",)) is None and len(answers) == 0
    answers.keep(epoch, ("d",), 200, [], b"1")  # computed before the write: not kept
    assert len(answers) == 0


def test_the_same_answer_asked_for_at_once_is_computed_once():
    """Requests for an answer being computed wait for it (a server's first visitors after a
    start or a load asked for the same pages at once, and computed each one each)."""
    import asyncio
    import datetime as dt
    import re

    import httpx

    from valuecrm.interfaces.api.answers import AnswerMiddleware
    from valuecrm.store.users import User

    calls: list[str] = []
    release = asyncio.Event()

    async def route(scope: Any, receive: Any, send: Any) -> None:
        calls.append(scope["path"])
        await release.wait()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    user = User(name="ann", role="viewer", key_id="k1", created_at=dt.datetime(2026, 1, 1))
    app = AnswerMiddleware(route, Answers(), re.compile(r"/figures/\w+\Z"),
                           lambda request, database: user)

    async def ask_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://t") as client:
            asked = [asyncio.create_task(client.get(path)) for path in
                     ("/figures/a", "/figures/a", "/figures/a", "/figures/b")]
            while len(calls) < 2:  # the first /figures/a and /figures/b are being computed
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the other two are waiting, not computing
            release.set()
            return list(await asyncio.gather(*asked))

    answers = asyncio.run(ask_all())
    assert [a.text for a in answers] == ["/figures/a"] * 3 + ["/figures/b"]
    assert sorted(calls) == ["/figures/a", "/figures/b"]
