"""Campaigns through the REST API, end to end: an analyst plans and assigns, an admin launches
and downloads the treatment list, generated responses come in, the analyst measures and
decides; viewers read the record without personal data; bad input writes nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.helpers.campaigns import campaign_database
from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.synthetic.campaign_responses import plant_campaign_responses

ROLES = ("viewer", "analyst", "admin")
PLAN = {"name": "Spring win-back", "kind": "winback", "channel": "email",
        "target": "segment:Champions", "offer": "20 off", "cost_per_contact": 0.5,
        "hypothesis": "A coupon brings champions back", "expected_effect": 0.05,
        "start": "2025-01-01", "window_days": 30, "campaign_id": "K1"}


@pytest.fixture
def api(tmp_path):
    from valuecrm.interfaces.api.app import create_api

    path = campaign_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        tokens = {role: add_user(database.raw, f"u-{role}", role)[1] for role in ROLES}
    app = create_api(path)
    with TestClient(app) as client:
        client.tokens = tokens
        client.app_state = app.state.valuecrm
        yield client


def _as(api, role):
    return {"Authorization": f"Bearer {api.tokens[role]}"}


def test_a_campaign_end_to_end_through_the_api(api):
    assert api.post("/api/campaigns", json=PLAN, headers=_as(api, "viewer")).status_code == 403
    planned = api.post("/api/campaigns", json=PLAN, headers=_as(api, "analyst"))
    assert planned.status_code == 201, planned.text
    assigned = api.post("/api/campaigns/K1/assignment", headers=_as(api, "analyst"),
                        json={"control_share": 0.3, "seed": 4, "stratify_by": "tier"})
    assert assigned.status_code == 200 and assigned.json()["control"] == 60
    assert api.post("/api/campaigns/K1/launch", headers=_as(api, "analyst")).status_code == 403
    launched = api.post("/api/campaigns/K1/launch", headers=_as(api, "admin"))
    assert launched.status_code == 200 and launched.json()["treated"] == 140
    listed = api.get("/api/campaigns/K1/treatment-list", headers=_as(api, "admin"))
    assert listed.status_code == 200 and listed.content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(listed.content), encoding="utf-8-sig")
    assert len(frame) == 140 and frame["email"].str.endswith("@example.com").all()
    assert api.get("/api/campaigns/K1/treatment-list",
                   headers=_as(api, "viewer")).status_code == 403

    truth = plant_campaign_responses(api.app_state.database, "K1", lift=0.4, base_rate=0.1,
                                     seed=3)
    measured = api.post("/api/campaigns/K1/measurement", json={"as_of": "2025-03-01"},
                        headers=_as(api, "analyst"))
    assert measured.status_code == 200, measured.text
    effect = measured.json()["check"]["effect"]
    assert effect["outcome"] == "purchase"
    assert effect["ci_low"] < truth["planted_lift"] < effect["ci_high"]
    decided = api.post("/api/campaigns/K1/decision", headers=_as(api, "analyst"),
                       json={"decision": "scale", "note": "Send it to every champion."})
    assert decided.json()["act"]["decision"] == "scale"

    seen = api.get("/api/campaigns/K1", headers=_as(api, "viewer"))
    assert seen.status_code == 200 and seen.json()["status"] == "decided"
    assert "@example.com" not in seen.text and "Customer 1" not in seen.text
    overview = api.get("/api/campaigns", headers=_as(api, "viewer")).json()["campaigns"]
    assert overview[0]["effect"]["difference"] == pytest.approx(effect["difference"])


def test_bad_input_is_refused_and_nothing_is_written(api):
    api.post("/api/campaigns", json=PLAN, headers=_as(api, "analyst"))
    for share in (0, 1):
        refused = api.post("/api/campaigns/K1/assignment", headers=_as(api, "analyst"),
                           json={"control_share": share, "seed": 1})
        assert refused.status_code == 422
    tiny = {**PLAN, "campaign_id": "K2", "target": "list"}
    api.post("/api/campaigns", json=tiny, headers=_as(api, "analyst"))
    few = api.post("/api/campaigns/K2/assignment", headers=_as(api, "analyst"),
                   json={"control_share": 0.2, "seed": 1, "stratify_by": "none",
                         "customers": ["C0001", "C0002", "C0003"]})
    assert few.status_code == 422 and "at least 2" in few.json()["message"]
    early = api.post("/api/campaigns/K1/measurement", headers=_as(api, "analyst"))
    assert early.status_code == 400 and "not been launched" in early.json()["message"]
    record = api.get("/api/campaigns/K1", headers=_as(api, "viewer")).json()
    assert record["status"] == "planned" and record["do"]["treatment"] == 0
    assert api.get("/api/campaigns/K9", headers=_as(api, "viewer")).status_code == 404


def test_sample_size_route(api):
    found = api.post("/api/sample-size", headers=_as(api, "viewer"),
                     json={"effect": 0.02, "baseline": 0.1})
    assert found.status_code == 200 and found.json()["n_total"] == 7678


def test_the_next_list_route_needs_an_analyst_and_a_measured_campaign(api):
    api.post("/api/campaigns", json=PLAN, headers=_as(api, "analyst"))
    early = api.get("/api/campaigns/K1/next-list", headers=_as(api, "analyst"))
    assert early.status_code == 400 and "not been launched" in early.json()["message"]
    assert api.get("/api/campaigns/K1/next-list",
                   headers=_as(api, "viewer")).status_code == 403
    too_many = api.get("/api/campaigns/K1/next-list", params={"top": 100_001},
                       headers=_as(api, "analyst"))
    assert too_many.status_code == 422  # one answer holds at most 100,000 customers
