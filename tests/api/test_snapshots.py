"""Saved analyses over HTTP: snapshots, their value rows, segments and their members."""

from __future__ import annotations

import io
import json

import duckdb
import pandas as pd
import pytest

from tests.helpers.servers import ApiData


@pytest.fixture(scope="module")
def stored(api_data: ApiData) -> dict[str, object]:
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        snapshot_id, as_of = con.execute("SELECT snapshot_id, as_of FROM snapshots").fetchone()
        rows = con.execute("SELECT count(*) FROM customer_value").fetchone()[0]
        top = con.execute("SELECT customer_id, clv FROM customer_value ORDER BY clv DESC "
                          "NULLS LAST, customer_id LIMIT 1").fetchone()
        champions = con.execute("SELECT count(*) FROM customer_value "
                                "WHERE rfm_segment = 'Champions'").fetchone()[0]
    return {"id": snapshot_id, "as_of": as_of.isoformat(), "rows": rows, "top": top,
            "champions": champions}


def test_snapshot_list_and_lookup(clients, stored):
    listed = clients["viewer"].get("/api/snapshots").json()["items"]
    assert [(s["snapshot_id"], s["as_of"]) for s in listed] == [(stored["id"], stored["as_of"])]
    for key in ("latest", str(stored["id"]), stored["as_of"]):
        found = clients["viewer"].get(f"/api/snapshots/{key}").json()
        assert found["snapshot_id"] == stored["id"] and found["model"]
    missing = clients["viewer"].get("/api/snapshots/1999-01-01")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    garbage = clients["viewer"].get("/api/snapshots/last-tuesday")
    assert garbage.status_code == 422 and garbage.json()["error"] == "invalid_request"


def test_value_rows_are_paged_and_sorted(clients, stored):
    first = clients["viewer"].get("/api/snapshots/latest/customers",
                                  params={"page_size": 10}).json()
    assert first["total"] == stored["rows"] and len(first["items"]) == 10
    assert (first["items"][0]["customer_id"], pytest.approx(first["items"][0]["clv"])) == (
        stored["top"][0], stored["top"][1])
    clvs = [row["clv"] for row in first["items"] if row["clv"] is not None]
    assert clvs == sorted(clvs, reverse=True)
    by_id = clients["viewer"].get("/api/snapshots/latest/customers", params={
        "sort_by": "customer_id", "descending": "false", "page": 2, "page_size": 5}).json()
    ids = [row["customer_id"] for row in by_id["items"]]
    assert ids == sorted(ids) and len(ids) == 5


def test_segments_add_up(clients, stored):
    body = clients["viewer"].get("/api/segments").json()
    assert body["by"] == "rfm_segment" and body["snapshot_id"] == stored["id"]
    assert sum(s["customers"] for s in body["items"]) == stored["rows"]
    assert sum(s["share"] for s in body["items"]) == pytest.approx(1.0)
    tiers = clients["viewer"].get("/api/segments", params={"by": "tier"}).json()["items"]
    assert sum(s["customers"] for s in tiers) == stored["rows"]


def test_segment_members(clients, stored):
    groups = {s["group"]: s["customers"] for s in
              clients["viewer"].get("/api/segments").json()["items"]}
    group, size = max(groups.items(), key=lambda item: item[1])
    members = clients["viewer"].get(f"/api/segments/rfm_segment/{group}",
                                    params={"page_size": 500}).json()
    assert members["total"] == size == len(members["items"])
    assert {row["rfm_segment"] for row in members["items"]} == {group}
    missing = clients["viewer"].get("/api/segments/rfm_segment/Nobodies")
    assert missing.status_code == 404 and group in missing.json()["hint"]


def test_customer_360_has_the_latest_value(clients, stored):
    """The latest value with the intervals of CLV, P(alive) and expected purchases, and the
    settings name how they were computed (the snapshot's interval method)."""
    cid = stored["top"][0]
    view = clients["viewer"].get(f"/api/customers/{cid}").json()
    value = view["value"]
    assert value["snapshot_id"] == stored["id"] and value["clv"] == pytest.approx(stored["top"][1])
    for name in ("clv", "p_alive", "expected_purchases"):
        assert value[f"{name}_lower"] <= value[name] <= value[f"{name}_upper"], name
    assert value["p_alive_lower"] >= 0 and value["p_alive_upper"] <= 1
    method = view["settings"]["interval_method"]
    assert "delta method" in method and "logit" in method


def test_export_value_table(clients, stored):
    response = clients["analyst"].get("/api/exports/customer_value",
                                      params={"format": "parquet"})
    assert response.status_code == 200, response.text
    frame = pd.read_parquet(io.BytesIO(response.content))
    assert len(frame) == stored["rows"] and {"clv", "p_alive", "rfm_segment"} <= set(frame)
    assert clients["viewer"].get("/api/exports/customer_value").status_code == 403


def test_export_value_table_filtered_as_the_cli_filters(clients, api_data, stored):
    """segment, status, tier and search filter the export as `valuecrm customers export`
    does; the headers say how many rows and of which snapshot."""
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        status, tier, wanted = con.execute(
            "SELECT status, tier, count(*) FROM customer_value GROUP BY ALL "
            "ORDER BY 3 DESC, 1, 2 LIMIT 1").fetchone()
        total = con.execute("SELECT count(*) FROM customer_value").fetchone()[0]
    response = clients["analyst"].get("/api/exports/customer_value", params={
        "format": "parquet", "status": status, "tier": tier})
    assert response.status_code == 200, response.text
    frame = pd.read_parquet(io.BytesIO(response.content))
    assert 0 < len(frame) == wanted == int(response.headers["x-rows"]) < total
    assert set(frame["status"]) == {status} and set(frame["tier"]) == {tier}
    assert response.headers["x-snapshot-id"] == str(stored["id"])
    assert response.headers["x-as-of"] == stored["as_of"]
    by_id = clients["analyst"].get("/api/exports/customer_value",
                                   params={"search": stored["top"][0]})
    assert by_id.status_code == 200 and by_id.headers["x-rows"] == "1"
    bad = clients["analyst"].get("/api/exports/customer_value", params={"tier": "gold"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"
    refused = clients["viewer"].get("/api/exports/customer_value", params={"status": "lost"})
    assert refused.status_code == 403


def test_report_route(clients, stored):
    """GET /api/report: the report's HTML for analysts and admins, not for viewers."""
    for role in ("analyst", "admin"):
        response = clients[role].get("/api/report", params={"snapshot": stored["as_of"],
                                                            "lang": "zh-CN"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.startswith("<!doctype html") and 'lang="zh-CN"' in response.text
        assert len(json.loads(response.headers["x-report-sections"])) > 3
    assert clients["viewer"].get("/api/report").status_code == 403
    assert clients["analyst"].get("/api/report", params={"lang": "fr"}).status_code == 422
    assert clients["analyst"].get("/api/report", params={"snapshot": "99"}).status_code == 404
