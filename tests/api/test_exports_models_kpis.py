"""Exports (analysts and admins, audited), KPIs, the model summary and the 360 view."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from tests.helpers.servers import ApiData


@pytest.fixture(scope="module")
def truth(api_data: ApiData) -> dict[str, object]:
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        customers, orders, revenue, first, last = con.execute(
            "SELECT (SELECT count(*) FROM customers), count(*), sum(amount) FILTER (WHERE status "
            "IS DISTINCT FROM 'cancelled'), min(ordered_at), max(ordered_at) FROM orders"
        ).fetchone()
        busiest = con.execute("SELECT customer_id, count(*) FROM orders GROUP BY 1 "
                              "ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
    return {"customers": customers, "orders": orders, "revenue": revenue, "first": first,
            "last": last, "busiest": busiest}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_analyst_exports_customers(clients, fmt):
    response = clients["analyst"].get("/api/exports/customers", params={"format": fmt})
    assert response.status_code == 200, response.text
    assert f'filename="customers.{fmt}"' in response.headers["content-disposition"]
    if fmt == "csv":  # trust 11: for spreadsheets, UTF-8 with a BOM
        assert response.content.startswith(b"\xef\xbb\xbfcustomer_id,")
    frame = (pd.read_csv(io.BytesIO(response.content)) if fmt == "csv"
             else pd.read_parquet(io.BytesIO(response.content)))
    total = clients["analyst"].get("/api/customers", params={"page_size": 1}).json()["total"]
    assert len(frame) == total >= 80
    assert frame["email"].str.contains("@").all()
    entries = clients["admin"].get("/api/audit", params={"limit": 1000}).json()["items"]
    assert any(e["action"] == "export" and e["actor"] == "test-analyst"
               and e["detail"] == {"format": fmt} and e["rows"] == total for e in entries)


def test_kpis_match_the_database(clients, truth):
    # other tests may add a few rows (and snapshots) to this server's copy: compare with the
    # template bounds, and the figures with the groups of the same snapshot
    kpis = clients["viewer"].get("/api/kpis").json()
    tables = kpis["tables"]
    assert tables["customers"] >= truth["customers"]
    assert tables["orders"] >= truth["orders"]
    assert tables["first_order"] <= truth["first"].isoformat()
    status = clients["viewer"].get("/api/segments", params={
        "by": "status", "snapshot": kpis["snapshot_id"]}).json()["items"]
    figures = kpis["figures"]
    assert figures["customers"] == sum(g["customers"] for g in status)
    assert figures["active_customers"] == sum(
        g["customers"] for g in status if g["group"] in ("new", "active", "at risk")) > 0
    assert figures["customer_equity"] == pytest.approx(sum(g["clv"] or 0 for g in status))
    assert "new, active or at risk" in kpis["methods"]["active_customers"]


def test_models_give_parameters_with_intervals_and_are_cached(clients):
    first = clients["viewer"].get("/api/models").json()
    assert first["source"] == f"snapshot {first['snapshot_id']}"  # the analysis' own fit
    purchase = first["purchase_model"]
    assert purchase["name"] == "BetaGeo"
    assert [p["param"] for p in purchase["params"]] == ["r", "alpha", "a", "b"]
    for p in purchase["params"]:
        assert p["estimate"] > 0
        if p["se"] is not None:
            assert p["lower"] <= p["estimate"] <= p["upper"]
    assert purchase["log_likelihood"] < 0 and purchase["n_customers"] == first["customers"]
    assert first["spend_model"]["name"] == "GammaGamma"
    monthly = clients["viewer"].get("/api/models", params={"freq": "M"}).json()
    assert monthly["cached"] is False and monthly["freq"] == "M"
    assert monthly["source"].startswith("fitted now: months were asked for")
    again = clients["analyst"].get("/api/models", params={"freq": "M"}).json()
    assert again["cached"] is True
    assert again["purchase_model"] == monthly["purchase_model"]


def test_customer_360(clients, truth):
    cid, n_orders = truth["busiest"]
    view = clients["analyst"].get(f"/api/customers/{cid}", params={"limit": 3}).json()
    assert set(view) >= {"profile", "summary", "orders", "interactions", "complaints",
                         "surveys", "loyalty_points", "value"}
    assert view["profile"]["customer_id"] == cid
    assert view["summary"]["orders"] == view["orders"]["total"] == n_orders
    assert len(view["orders"]["items"]) == min(3, n_orders)
    times = [o["ordered_at"] for o in view["orders"]["items"]]
    assert times == sorted(times, reverse=True)
    assert isinstance(view["loyalty_points"]["balance"], int)


def test_search_pages(clients):
    first = clients["analyst"].get("/api/customers", params={"page_size": 30}).json()
    second = clients["analyst"].get("/api/customers",
                                    params={"page_size": 30, "page": 2}).json()
    assert first["total"] == second["total"] and first["pages"] == -(-first["total"] // 30)
    ids = [c["customer_id"] for c in first["items"] + second["items"]]
    assert len(ids) == 60 == len(set(ids)) and ids == sorted(ids)
    some = first["items"][5]
    found = clients["analyst"].get("/api/customers",
                                   params={"q": some["name"].upper()[:4]}).json()
    assert some["customer_id"] in [c["customer_id"] for c in found["items"]]
    wildcard = clients["analyst"].get("/api/customers", params={"q": "%"}).json()
    assert wildcard["total"] == 0  # % is a character to find, not a wildcard
