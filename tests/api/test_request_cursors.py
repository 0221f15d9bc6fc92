"""Each request's DuckDB cursor (valuecrm.interfaces.api.state.cursor) is closed once its
answer is sent, whatever the route answered: a page, JSON, an error, a streamed export."""

from __future__ import annotations

import shutil
import warnings
from typing import Any

import duckdb
import pytest


def test_every_request_cursor_is_closed_after_the_answer(api_data, tmp_path, monkeypatch):
    from valuecrm.interfaces.api.state import ServerState
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
        from fastapi.testclient import TestClient
    made: list[Any] = []
    original = ServerState.new_cursor

    def recording(self: ServerState) -> Any:
        cursor = original(self)
        made.append(cursor)
        return cursor

    monkeypatch.setattr(ServerState, "new_cursor", recording)
    path = tmp_path / "crm.duckdb"
    shutil.copy(api_data.path, path)
    headers = {"Authorization": f"Bearer {api_data.tokens['analyst']}"}
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        customer = client.get("/api/customers", headers=headers).json()["items"][0]
        made.clear()
        for url in (f"/api/customers/{customer['customer_id']}", "/api/customers/NO-SUCH-ONE",
                    "/api/exports/customers?format=csv", "/api/kpis"):
            answer = client.get(url, headers=headers)
            assert answer.status_code in (200, 404), (url, answer.text[:200])
        assert made, "the routes made no cursor"
        for cursor in made:
            with pytest.raises(duckdb.ConnectionException):
                cursor.execute("SELECT 1")
