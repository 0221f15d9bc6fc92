"""GET /api/voice/recovery and /api/voice/journey (viewers: aggregates only) and
/api/voice/recovery/failures (analysts: customer ids), over the real server of tests/api."""

from __future__ import annotations

import httpx

from valuecrm.store import connect
from valuecrm.views.voice_service import failed_recoveries, journey, recovery


def test_viewer_gets_the_aggregates_of_the_views(clients, api_data):
    viewer = clients["viewer"]
    with connect(api_data.path, read_only=True) as database:
        customers = [r[0] for r in database.raw.execute(
            "SELECT customer_id FROM customers").fetchall()]
        expected_recovery = recovery(database, days=60)
        expected_journey = journey(database)
    answer = viewer.get("/api/voice/recovery", params={"days": 60})
    assert answer.status_code == 200
    assert answer.json()["retention"]["days"] == 60
    assert answer.json()["rates"] == expected_recovery["rates"]
    journey_answer = viewer.get("/api/voice/journey")
    assert journey_answer.status_code == 200
    assert journey_answer.json()["mix"]["contacts"] == expected_journey["mix"]["contacts"]
    # aggregates only: no customer id in either answer
    for body in (answer.text, journey_answer.text):
        assert not any(f'"{cid}"' in body for cid in customers)


def test_failed_recoveries_are_for_analysts(clients, api_data):
    assert clients["viewer"].get("/api/voice/recovery/failures").status_code == 403
    answer = clients["analyst"].get("/api/voice/recovery/failures", params={"limit": 5})
    assert answer.status_code == 200
    with connect(api_data.path, read_only=True) as database:
        expected = failed_recoveries(database, limit=5)
    assert answer.json()["total"] == expected["total"]
    assert [r["customer_id"] for r in answer.json()["customers"]] == [
        r["customer_id"] for r in expected["customers"]]


def test_routes_are_in_openapi_with_their_roles(server):
    paths = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    assert paths["/api/voice/recovery"]["get"]["x-min-role"] == "viewer"
    assert paths["/api/voice/journey"]["get"]["x-min-role"] == "viewer"
    assert paths["/api/voice/recovery/failures"]["get"]["x-min-role"] == "analyst"


def test_bad_parameters_get_the_error_shape(clients):
    answer = clients["viewer"].get("/api/voice/recovery", params={"days": 0})
    assert answer.status_code in (400, 422)
    assert "days" in answer.text
