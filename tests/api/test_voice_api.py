"""GET /api/voice/...: the voice of the customer read layer over FastAPI's TestClient on a copy
of a generated database; viewers get aggregates only, never who answered or what they wrote."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator

import pytest

from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.views.voice_index import voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import (
    voice_nps,
    voice_nps_by_segment,
    voice_nps_trend,
    voice_scores,
)

AGGREGATES = ["/api/voice/nps", "/api/voice/nps/trend", "/api/voice/nps/segments",
              "/api/voice/scores", "/api/voice/index", "/api/voice/ipma", "/api/voice/drivers"]


@pytest.fixture(scope="module")
def served(voice_db, tmp_path_factory) -> Iterator[tuple[object, dict[str, str], dict]]:
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    path = shutil.copy(voice_db, tmp_path_factory.mktemp("voice-api") / "crm.duckdb")
    with connect(path) as database:
        tokens = {role: add_user(database.raw, f"v-{role}", role)[1]
                  for role in ("viewer", "analyst")}
        expected = {"/api/voice/nps": voice_nps(database),
                    "/api/voice/nps/trend": voice_nps_trend(database),
                    "/api/voice/nps/segments": voice_nps_by_segment(database),
                    "/api/voice/scores": voice_scores(database),
                    "/api/voice/index": voice_index(database),
                    "/api/voice/ipma": voice_ipma(database),
                    "/api/voice/drivers": voice_drivers(database)}
        respondents = database.raw.execute(
            "SELECT DISTINCT customer_id FROM survey_responses").fetchall()
        texts = database.raw.execute("SELECT DISTINCT answer_text FROM survey_responses WHERE "
                                     "answer_text IS NOT NULL").fetchall()
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        yield client, tokens, {"expected": expected, "ids": [r[0] for r in respondents],
                               "texts": [r[0] for r in texts]}


def _get(served, role: str | None, path: str, **params):
    client, tokens, _ = served
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    return client.get(path, params=params, headers=headers)


@pytest.mark.parametrize("path", AGGREGATES)
def test_viewers_get_the_aggregates_and_nothing_personal(served, path):
    answer = _get(served, "viewer", path)
    assert answer.status_code == 200, answer.text
    facts = served[2]
    assert answer.json() == facts["expected"][path]
    assert not any(customer in answer.text for customer in facts["ids"])
    assert not any(text in answer.text for text in facts["texts"])
    assert _get(served, None, path).status_code == 401


def test_only_analysts_see_who_answered_and_what_they_wrote(served):
    refused = _get(served, "viewer", "/api/voice/responses")
    assert refused.status_code == 403 and "analyst" in refused.json()["message"]
    allowed = _get(served, "analyst", "/api/voice/responses", limit=1000)
    assert allowed.status_code == 200
    body = allowed.json()
    assert body["total"] == 91
    assert {r["customer_id"] for r in body["responses"]} == set(served[2]["ids"])
    assert {r["answer_text"] for r in body["responses"]} - {None} <= set(served[2]["texts"])


def test_parameters_and_errors(served):
    by_quarter = _get(served, "viewer", "/api/voice/nps/trend", by="quarter").json()
    assert by_quarter["by"] == "quarter" and by_quarter["groups"][0]["period"].endswith("Q1")
    status = _get(served, "viewer", "/api/voice/nps/segments", by="status").json()
    assert status["by"] == "status"
    loyalty = _get(served, "viewer", "/api/voice/ipma", target="Loyalty").json()
    assert "Satisfaction" in {r["construct"] for r in loyalty["table"]}
    assert _get(served, "viewer", "/api/voice/ipma", target="Image").status_code == 422
    missing = _get(served, "viewer", "/api/voice/nps", survey="nps-1999q1")
    assert missing.status_code == 404 and "nps-1999q1" in missing.json()["message"]


def test_the_routes_are_in_openapi_with_their_roles(served):
    client = served[0]
    paths = client.get("/openapi.json").json()["paths"]
    for path in AGGREGATES:
        assert paths[path]["get"]["x-min-role"] == "viewer", path
    assert paths["/api/voice/responses"]["get"]["x-min-role"] == "analyst"
