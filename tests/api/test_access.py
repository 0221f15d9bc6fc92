"""Every route of the running server: 401 without a valid token, 403 below its role.

The routes are read from the server's own OpenAPI schema, so a route added later is checked
too; only ``GET /api/health`` may answer without a token.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers.api import PATH_VALUES
from tests.helpers.servers import ROLES, Server

PUBLIC = {("get", "/api/health")}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in schema["paths"].items()
            for method, op in ops.items() if path.startswith("/api/")]


@pytest.fixture(scope="module")
def schema(server: Server) -> dict[str, Any]:
    return httpx.get(f"{server.url}/openapi.json").json()


@pytest.fixture(scope="module")
def concrete(clients: dict[str | None, httpx.Client]):
    customer_id = clients["admin"].get("/api/customers", params={"page_size": 1}).json()[
        "items"][0]["customer_id"]
    values = {**PATH_VALUES, "customer_id": customer_id}

    def fill(path: str) -> str:
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"no test value for a parameter of {path}"
        return path

    return fill


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message", "hint", "details"}
    assert body["error"] == code


def test_only_health_is_public(schema):
    public = {(m, p) for m, p, op in operations(schema) if "x-min-role" not in op}
    assert public == PUBLIC
    for method, path, op in operations(schema):
        if (method, path) not in PUBLIC:
            assert op["x-min-role"] in ROLES
            assert op.get("security") == [{"HTTPBearer": []}], (method, path)


def test_every_route_refuses_a_missing_wrong_or_revoked_token(schema, concrete, clients, server):
    checked = 0
    wrong = server.client(token="vcrm_000000000000_not-a-real-token")
    garbage = server.client(token="garbage")
    for method, path, _ in operations(schema):
        if (method, path) in PUBLIC:
            continue
        url = concrete(path)
        for client in (clients[None], wrong, garbage, clients["revoked"]):
            response = client.request(method.upper(), url)
            assert_error(response, 401, "unauthenticated")
            assert response.headers["www-authenticate"] == "Bearer"
        checked += 1
    assert checked >= 10


def test_every_route_refuses_roles_below_its_own(schema, concrete, clients):
    refused = 0
    for method, path, op in operations(schema):
        if (method, path) in PUBLIC:
            continue
        needed = ROLES.index(op["x-min-role"])
        for role in ROLES:
            response = clients[role].request(method.upper(), concrete(path))
            if ROLES.index(role) < needed:
                assert_error(response, 403, "forbidden")
                assert response.json()["details"]["required_role"] == op["x-min-role"]
                refused += 1
            else:
                assert response.status_code not in (401, 403), (method, path, role,
                                                                 response.text)
    assert refused >= 8  # analyst and viewer below admin routes, viewer below exports


def test_health_needs_no_token(clients):
    response = clients[None].get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_roles_as_documented(schema):
    roles = {(m, p): op["x-min-role"] for m, p, op in operations(schema) if "x-min-role" in op}
    assert roles[("get", "/api/customers")] == "viewer"
    assert roles[("get", "/api/exports/customers")] == "analyst"
    # acquisition and referral value: aggregates for everyone, the referrers for analysts
    assert roles[("get", "/api/acquisition")] == "viewer"
    assert roles[("get", "/api/referral-value")] == "viewer"
    assert roles[("get", "/api/referral-value/referrers")] == "analyst"
    assert roles[("post", "/api/ingest/{table}")] == "admin"
    assert roles[("post", "/api/users")] == "admin"
    assert roles[("get", "/api/audit")] == "admin"
    # campaigns: analysts plan and measure, admins launch, viewers see the records
    assert roles[("post", "/api/campaigns")] == "analyst"
    assert roles[("post", "/api/campaigns/{campaign_id}/measurement")] == "analyst"
    assert roles[("post", "/api/campaigns/{campaign_id}/launch")] == "admin"
    assert roles[("get", "/api/campaigns/{campaign_id}/treatment-list")] == "admin"
    assert roles[("get", "/api/campaigns/{campaign_id}")] == "viewer"
