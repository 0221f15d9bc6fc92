"""Every error answers one JSON shape: {"error", "message", "hint", "details"}."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import httpx
import pytest

from valuecrm.interfaces.server import create_app

with warnings.catch_warnings():  # starlette asks for httpx2 instead of httpx: not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SHAPE = {"error", "message", "hint", "details"}


def assert_shape(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) >= SHAPE, body
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_unknown_route_is_404(clients):
    for client in (clients[None], clients["admin"]):
        body = assert_shape(client.get("/api/no-such-thing"), 404, "not_found")
        assert "/api/no-such-thing" in body["message"]
        page = client.get("/nowhere")  # outside /api: the dashboard's HTML error page
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_unknown_customer_is_404(clients):
    body = assert_shape(clients["viewer"].get("/api/customers/NO-SUCH-ID"), 404, "not_found")
    assert "NO-SUCH-ID" in body["message"]
    assert body["hint"]


def test_wrong_method_is_405(clients):
    assert_shape(clients["admin"].put("/api/kpis"), 405, "method_not_allowed")


@pytest.mark.parametrize(("path", "params", "location"), [
    ("/api/customers", {"page": 0}, "query.page"),
    ("/api/customers", {"page_size": 501}, "query.page_size"),
    ("/api/customers", {"page": "two"}, "query.page"),
    ("/api/actions/retention", {"top": 0}, "query.top"),
    ("/api/cohorts", {"period": "W"}, "query.period"),
    ("/api/models", {"purchase_model": "Magic"}, "query.purchase_model"),
    ("/api/exports/customers", {"format": "xls"}, "query.format"),
])
def test_validation_errors_are_422_in_the_same_shape(clients, path, params, location):
    body = assert_shape(clients["admin"].get(path, params=params), 422, "invalid_request")
    locations = [e["location"] for e in body["details"]["errors"]]
    assert location in locations
    assert location in body["message"]


def test_bad_json_body_is_422(clients):
    response = clients["admin"].post("/api/users", json={"name": "x y", "role": "boss"})
    body = assert_shape(response, 422, "invalid_request")
    assert {"body.name", "body.role"} <= {e["location"] for e in body["details"]["errors"]}


def test_unknown_ingest_table_is_422(clients):
    response = clients["admin"].post("/api/ingest/nonsense", files={"file": ("a.csv", b"x\n1\n")})
    assert_shape(response, 422, "invalid_request")


def test_bug_answers_500_internal_error_and_is_logged(tmp_path: Path, caplog):
    """An unexpected exception is a bug: logged, answered in the same shape, no traceback."""
    app = create_app(tmp_path / "crm.duckdb")

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR, logger="valuecrm.api"), TestClient(
            app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    body = assert_shape(response, 500, "internal_error")
    assert "secret internals" not in response.text
    assert body["hint"]
    assert any("GET /api/boom" in record.getMessage() and record.exc_info
               for record in caplog.records)


def test_valuecrm_errors_keep_their_status(tmp_path: Path):
    from valuecrm.errors import ConvergenceError, DatabaseLockedError

    app = create_app(tmp_path / "crm.duckdb")

    @app.get("/api/locked")
    def locked() -> None:
        raise DatabaseLockedError("held", hint="stop it", holder="cli")

    @app.get("/api/diverged")
    def diverged() -> None:
        raise ConvergenceError("no")

    with TestClient(app) as client:
        body = assert_shape(client.get("/api/locked"), 409, "database_locked")
        assert body == {"error": "database_locked", "message": "held", "hint": "stop it",
                        "details": {"holder": "cli"}}
        body = assert_shape(client.get("/api/diverged"), 422, "did_not_converge")
        assert body["hint"] is None and body["details"] is None


def test_the_api_alone_answers_json_everywhere_and_has_no_pages(tmp_path: Path):
    """``create_api`` without the dashboard: no page routes, and errors on any path are JSON
    (the server module adds the pages and their HTML errors)."""
    from valuecrm.interfaces.api import create_api

    app = create_api(tmp_path / "crm.duckdb")
    with TestClient(app) as client:
        assert_shape(client.get("/login"), 404, "not_found")  # JSON, not an HTML page
        assert_shape(client.get("/api/customers"), 401, "unauthenticated")


def test_a_request_the_http_layer_cannot_read_answers_in_the_error_shape(server):
    """A request line over llhttp's 80 KB (and bytes that are not HTTP) are refused by the HTTP
    parser before the application sees them: 400 in the API's JSON error shape, not text."""
    import json
    import socket
    from urllib.parse import urlparse

    address = urlparse(server.url)
    for request in (b"GET /api/kpis?q=" + b"x" * 100_000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
                    b"NOT HTTP AT ALL\r\n\r\n"):
        with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400"), head
        assert b"content-type: application/json" in head.lower()
        error = json.loads(body)
        assert error["error"] == "bad_request" and "80 KB" in error["hint"]
        assert set(error) == {"error", "message", "hint", "details"}
