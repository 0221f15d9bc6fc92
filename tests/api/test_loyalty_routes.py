"""The loyalty programme through the REST API: viewers get the aggregates and are refused the
member lists (403), analysts get them; bad rules answer 400 naming the key; an empty ledger
answers a clear empty document; every answer equals the read layer's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.loyalty import loyalty_database, with_earlier_snapshot
from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.views import loyalty

ROLES = ("viewer", "analyst", "admin")
CHANGED = {"earn": {"points_per_unit": 1, "bonus_categories": {"Electronics": 3}},
           "tiers": {"levels": [{"name": "bronze", "min": 0}, {"name": "silver", "min": 1000},
                                {"name": "gold", "min": 1500}]}}


def _client(path):
    from valuecrm.interfaces.api.app import create_api

    with connect(path) as database:
        tokens = {role: add_user(database.raw, f"u-{role}", role)[1] for role in ROLES}
    client = TestClient(create_api(path))
    client.tokens = tokens
    return client


@pytest.fixture
def api(tmp_path):
    with _client(loyalty_database(tmp_path / "crm.duckdb")) as client:
        yield client


def _as(api, role):
    return {"Authorization": f"Bearer {api.tokens[role]}"}


def test_viewers_see_aggregates_and_analysts_the_members(api):
    viewer, analyst = _as(api, "viewer"), _as(api, "analyst")
    overview = api.get("/api/loyalty", headers=viewer)
    assert overview.status_code == 200
    assert overview.json()["liability"]["outstanding"] == 400
    assert '"A"' not in overview.text and "example.com" not in overview.text
    moves = api.get("/api/loyalty/tiers", params={"from": "2024-12-31", "to": "2025-12-31"},
                    headers=viewer).json()
    assert moves["joined"] == 1 and moves["up"] == 1  # C joined; A bronze -> silver
    value = api.get("/api/loyalty/value", headers=viewer).json()
    assert value["label"] == "selection, not effect"
    assert [g["customers"] for g in value["groups"]] == [3, 1]
    assert api.get("/api/loyalty/members", headers=viewer).status_code == 403
    members = api.get("/api/loyalty/members", headers=analyst)
    assert members.status_code == 200
    assert [r["customer_id"] for r in members.json()["rows"]] == ["A", "C", "B"]


def test_the_what_if_gives_viewers_counts_and_analysts_the_list(api):
    body = {"changed": CHANGED, "as_of": "2025-12-31"}
    counted = api.post("/api/loyalty/what-if", json=body, headers=_as(api, "viewer"))
    assert counted.status_code == 200, counted.text
    assert counted.json()["members_changing_tier"] == 1 and "members" not in counted.json()
    refused = api.post("/api/loyalty/what-if", json={**body, "members": True},
                       headers=_as(api, "viewer"))
    assert refused.status_code == 403
    listed = api.post("/api/loyalty/what-if", json={**body, "members": True},
                      headers=_as(api, "analyst")).json()
    assert listed["members"][0]["customer_id"] == "A"
    assert listed["members"][0]["tier_changed"] == "gold"


@pytest.mark.parametrize(("changed", "key"), [
    ({"tiers": {"levels": [{"name": "a", "min": 0}, {"name": "b", "min": 500},
                           {"name": "c", "min": 100}]}}, "tiers.levels[2].min"),
    ({"earn": {"points_per_unit": -2}}, "earn.points_per_unit"),
    ({"earn": {"bonus_categories": {"Garden": 2}}}, "earn.bonus_categories"),
])
def test_bad_rules_answer_400_naming_the_key_and_write_nothing(api, tmp_path, changed, key):
    before = api.app.state.valuecrm.database.counts()
    answer = api.post("/api/loyalty/what-if", json={"changed": changed},
                      headers=_as(api, "analyst"))
    assert answer.status_code == 400
    assert key in answer.json()["message"] and answer.json()["details"]["key"] == key
    assert api.app.state.valuecrm.database.counts() == before


def test_the_answers_are_the_read_layers(api, tmp_path):
    got = api.get("/api/loyalty", params={"as_of": "2025-06-30"},
                  headers=_as(api, "viewer")).json()
    state = api.app.state.valuecrm
    with state.session() as database:
        assert got == loyalty.loyalty_overview(database, as_of="2025-06-30")
    bad = api.get("/api/loyalty", params={"as_of": "2025-02-30"}, headers=_as(api, "viewer"))
    assert bad.status_code == 400 and "not a day of the calendar" in bad.json()["message"]


def test_an_empty_ledger_answers_an_empty_document(tmp_path):
    with _client(loyalty_database(tmp_path / "crm.duckdb", ledger=False)) as api:
        for path in ("/api/loyalty", "/api/loyalty/tiers", "/api/loyalty/value"):
            answer = api.get(path, headers=_as(api, "viewer"))
            assert answer.status_code == 200 and answer.json()["empty"] is True, path
            assert "loyalty ledger is empty" in answer.json()["message"]
        answer = api.post("/api/loyalty/what-if", json={"changed": CHANGED},
                          headers=_as(api, "viewer"))
        assert answer.status_code == 200 and answer.json()["empty"] is True


def test_a_loyalty_campaign_with_a_control_group_is_named_beside_the_selection(tmp_path):
    from valuecrm.actions.campaigns import assign_campaign, plan_campaign

    path = loyalty_database(tmp_path / "crm.duckdb")
    with connect(path) as database:
        plan_campaign(database, name="Double points", kind="loyalty", channel="email",
                      target="list", campaign_id="LOY1")
        assign_campaign(database, "LOY1", control_share=0.5, seed=1, stratify_by="none",
                        customers=["A", "B", "C", "D"])
        plan_campaign(database, name="Mailer", kind="retention", channel="email",
                      target="list", campaign_id="RET1")
    with _client(path) as api:
        value = api.get("/api/loyalty/value", headers=_as(api, "viewer")).json()
    assert value["label"] == "selection, not effect"
    assert value["controlled_campaigns"] == [{"campaign_id": "LOY1", "name": "Double points",
                                              "status": "assigned", "effects": []}]


def test_the_tier_moves_between_two_snapshots(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    earlier = with_earlier_snapshot(path)
    with _client(path) as api:
        viewer = _as(api, "viewer")
        by_day = api.get("/api/loyalty/tiers", params={"from": "2024-12-31", "to": "2025-12-31"},
                         headers=viewer).json()
        for params in ({"from_snapshot": earlier, "to_snapshot": "latest"},
                       {"from_snapshot": "2024-12-31", "to": "2025-12-31"}):
            found = api.get("/api/loyalty/tiers", params=params, headers=viewer)
            assert found.status_code == 200 and found.json() == by_day, params
        both = api.get("/api/loyalty/tiers", params={"from": "2024-12-31",
                                                     "from_snapshot": earlier}, headers=viewer)
        assert both.status_code == 400 and "given twice" in both.json()["message"]
        assert api.get("/api/loyalty/tiers", params={"to_snapshot": 9},
                       headers=viewer).status_code == 404
