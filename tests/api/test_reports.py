"""The reading routes that mirror the CLI (lists, cohorts, migration, the customer value table):
every role may read them, viewers get names and contacts masked and search by id only."""

from __future__ import annotations

import duckdb
import pytest

from tests.helpers.servers import ApiData


@pytest.fixture(scope="module")
def someone(api_data: ApiData) -> tuple[str, str]:
    """A customer with a name, who has a row in the customer value table."""
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        return con.execute("SELECT v.customer_id, c.name FROM customer_value v JOIN customers c "
                           "USING (customer_id) WHERE length(c.name) > 2 ORDER BY v.clv DESC "
                           "LIMIT 1").fetchone()


@pytest.mark.parametrize("kind", ["retention", "winback"])
def test_lists_for_every_role_masked_for_viewers(clients, kind):
    analyst = clients["analyst"].get(f"/api/actions/{kind}").json()
    viewer = clients["viewer"].get(f"/api/actions/{kind}").json()
    assert analyst["list"] == kind and analyst["rows"] == len(analyst["customers"])
    assert sum(analyst["by_reason"].values()) == analyst["rows"]
    assert [r["customer_id"] for r in viewer["customers"]] == \
        [r["customer_id"] for r in analyst["customers"]]
    named = [(a, v) for a, v in zip(analyst["customers"], viewer["customers"], strict=True)
             if a.get("name")]
    assert all(v["name"] != a["name"] and "*" in v["name"] for a, v in named)
    top = clients["viewer"].get(f"/api/actions/{kind}", params={"top": 1}).json()
    assert top["rows"] == min(1, analyst["rows"])
    assert clients[None].get(f"/api/actions/{kind}").status_code == 401


def test_cohorts_and_migration(clients):
    cohorts = clients["viewer"].get("/api/cohorts", params={"period": "Q"}).json()
    assert cohorts["period"] == "quarter" and cohorts["cohorts"][0]["share"] == 1.0
    moved = clients["viewer"].get("/api/migration", params={"by": "status"})
    if moved.status_code == 200:  # another test may have added a snapshot
        assert moved.json()["by"] == "status"
    else:
        assert moved.status_code == 404 and "earlier" in moved.json()["hint"]


def test_customer_values_like_the_cli(clients, someone):
    customer_id, name = someone
    fragment = name[1:3].lower()
    analyst = clients["analyst"].get("/api/customer-values", params={"search": fragment}).json()
    assert customer_id in [r["customer_id"] for r in analyst["items"]]
    viewer = clients["viewer"].get("/api/customer-values", params={"search": fragment}).json()
    assert customer_id not in [r["customer_id"] for r in viewer["items"]] or \
        fragment in customer_id.lower()
    by_id = clients["viewer"].get("/api/customer-values", params={"search": customer_id}).json()
    assert [r["customer_id"] for r in by_id["items"]] == [customer_id]
    assert by_id["items"][0]["name"] != name
    page = clients["viewer"].get("/api/customer-values", params={
        "sort": "p_alive", "ascending": True, "limit": 5, "offset": 5}).json()
    values = [r["p_alive"] for r in page["items"]]
    assert values == sorted(values) and page["offset"] == 5 and len(values) == 5


def test_openapi_documents_them(clients):
    schema = clients[None].get("/openapi.json").json()
    for path in ("/api/actions/{kind}", "/api/migration", "/api/cohorts",
                 "/api/customer-values", "/api/kpis"):
        operation = schema["paths"][path]["get"]
        assert operation["x-min-role"] == "viewer", path
        assert operation["description"], path
    kpis = schema["paths"]["/api/kpis"]["get"]
    assert "new, active or at risk" in " ".join(kpis["description"].split())
    example = kpis["responses"]["200"]["content"]["application/json"]["example"]
    assert isinstance(example["figures"]["active_customers"], int)


def test_kpis_before_the_first_analysis(tmp_path):
    from fastapi.testclient import TestClient

    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    path = tmp_path / "crm.duckdb"
    with connect(path, create=True) as database:
        token = add_user(database.raw, "boss", "viewer")[1]
    with TestClient(create_app(path), headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.get("/api/kpis")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["snapshot_id"] is None and body["figures"] == {} and body["missing"]
    assert body["tables"]["orders"] == 0 and body["tables"]["customers"] == 0
