"""The OpenAPI contract is as strict as the server: a snapshot key has a documented pattern on
every route that takes one, a taken user name answers 409, and a 405 lists in ``Allow`` every
method of the path (Starlette listed those of the first route only)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.servers import Server

SNAPSHOT_ROUTES = {("/api/snapshots/{snapshot}", "path"),
                   ("/api/snapshots/{snapshot}/customers", "path"),
                   ("/api/segments", "query"), ("/api/segments/{by}/{group}", "query"),
                   ("/api/exports/customer_value", "query")}


@pytest.fixture(scope="module")
def schema(server: Server) -> dict[str, Any]:
    return httpx.get(f"{server.url}/openapi.json").json()


def snapshot_parameters(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(path, p["in"]): p["schema"] for path, ops in schema["paths"].items()
            for op in ops.values() for p in op.get("parameters", ()) if p["name"] == "snapshot"}


def test_every_snapshot_parameter_documents_its_pattern(schema):
    found = snapshot_parameters(schema)
    assert set(found) >= SNAPSHOT_ROUTES
    for where, documented in found.items():
        pattern = re.compile(documented["pattern"])
        for good in ("latest", "3", "1998-06-30"):
            assert pattern.search(good), (where, good)
        for bad in ("", "newest", "1998-6-30", "-1", "3.0", "1998-06-30x", "0000-01-01"):
            assert not pattern.search(bad), (where, bad)


@pytest.mark.parametrize(("key", "status"), [("nonsense", 422), ("1998-13-01", 422),
                                             ("2023-02-30", 404), ("999", 404), ("latest", 200)])
def test_snapshot_keys_answer_as_documented(clients, key, status):
    for url, params in ((f"/api/snapshots/{key}", {}), ("/api/segments", {"snapshot": key})):
        response = clients["viewer"].get(url, params=params)
        assert response.status_code == status, (url, key, response.text)
        if status == 422:
            assert "snapshot" in response.json()["message"]


def test_a_taken_user_name_answers_409(clients):
    admin = clients["admin"]
    name = f"twice-{uuid.uuid4().hex[:8]}"
    assert admin.post("/api/users", json={"name": name, "role": "viewer"}).status_code == 201
    again = admin.post("/api/users", json={"name": name, "role": "viewer"})
    assert again.status_code == 409, again.text
    body = again.json()
    assert body["error"] == "already_exists" and f"DELETE /api/users/{name}" in body["hint"]
    assert admin.delete(f"/api/users/{name}").status_code == 200


def test_a_405_lists_every_method_of_the_path(schema, clients, server):
    checked = 0
    for path, operations in schema["paths"].items():
        documented = {m.upper() for m in operations}
        url = re.sub(r"\{[^}]+\}", "x", path).replace("/api/segments/x/x",
                                                      "/api/segments/tier/VIP")
        response = clients["admin"].request("OPTIONS", url)
        assert response.status_code == 405, (path, response.text)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed - {"HEAD"} == documented, (path, allowed)
        assert response.json()["error"] == "method_not_allowed"
        checked += 1
    assert checked >= 15
    assert clients["admin"].request("PUT", "/api/users").headers["allow"] == "GET, POST"
    assert clients["admin"].request("PUT", "/api/analyses").headers["allow"] == "GET, POST"


def test_each_route_names_its_role_once_however_many_apps_are_made(tmp_path):
    """The routers are module-level objects shared by every app: making a second app must not
    write the role note into a route's description again."""
    from valuecrm import create_app
    from valuecrm.store import connect

    db = tmp_path / "roles.duckdb"
    connect(db).close()
    for _ in range(3):
        app = create_app(db)
    notes = [op.get("description", "").count("role (or above)")
             for path in app.openapi()["paths"].values() for op in path.values()]
    assert notes and max(notes) == 1
