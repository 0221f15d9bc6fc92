"""File upload for ingestion: the same checks and report as the CLI, and an audit trail."""

from __future__ import annotations

import io

import pandas as pd
import pytest


@pytest.fixture
def clients(writer_clients):
    """These tests load data: they use the writers' server (tests/api/conftest.py)."""
    return writer_clients


GOOD_CUSTOMERS = (
    "customer_id,name,email,phone,signup_at\n"
    "UP-1,王小明,xiaoming.wang@example.com,13812345678,2024-01-05\n"
    "UP-2,Ada Lovelace,ada@example.org,+44 7700 900123,2024-02-10T08:30:00\n"
)


def bad_orders(prefix: str) -> str:
    """One good order (for customer UP-1) and three bad ones, with ids unique to ``prefix``."""
    return (
        "order_id,customer_id,ordered_at,amount\n"
        f"{prefix}-O1,UP-1,2024-03-01,19.90\n"
        f"{prefix}-O2,UP-1,not a date,5\n"
        f"{prefix}-O3,UP-1,2024-03-02,lots\n"
        f"{prefix}-O4,NOBODY,2024-03-03,7\n"
    )


@pytest.fixture
def customer_up1(clients):
    """Customer UP-1 exists, whatever ran before on this server (loads are upserts)."""
    response = upload(clients["admin"], "customers", "new_customers.csv", GOOD_CUSTOMERS)
    assert response.status_code == 200, response.text


def upload(client, table, name, content, **form):
    return client.post(f"/api/ingest/{table}", files={"file": (name, content.encode())},
                       data={k: str(v).lower() for k, v in form.items()})


def test_good_file_is_loaded_with_its_report(clients):
    response = upload(clients["admin"], "customers", "new_customers.csv", GOOD_CUSTOMERS)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["table"] == "customers"
    assert report["source"] == "new_customers.csv"
    assert report["rows_read"] == 2
    assert report["rows_inserted"] + report["rows_updated"] == 2  # inserted, or upserted again
    assert report["rows_rejected"] == 0 and report["bad_rows"] == []
    profile = clients["analyst"].get("/api/customers/UP-1").json()["profile"]
    assert profile["name"] == "王小明" and profile["email"] == "xiaoming.wang@example.com"
    assert clients["viewer"].get("/api/customers/UP-1").json()["profile"]["name"] == "王**"


def test_bad_file_is_refused_with_every_bad_row(clients, customer_up1):
    before = clients["admin"].get("/api/kpis").json()["tables"]["orders"]
    response = upload(clients["admin"], "orders", "orders.csv", bad_orders("UPR"))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "ingest_rejected"
    assert {"message", "hint", "details"} <= set(body)
    report = body["report"]
    assert report["rows_read"] == 4 and report["rows_rejected"] == 3
    assert report["rows_inserted"] == 0
    problems = {(row["line"], row["column"]) for row in report["bad_rows"]}
    assert problems == {(3, "ordered_at"), (4, "amount"), (5, "customer_id")}
    assert "line 3" in body["message"] and "on_error=skip" in body["hint"]
    assert "--" not in body["hint"]  # the API's field names, not the CLI's options
    assert clients["admin"].get("/api/kpis").json()["tables"]["orders"] == before


def test_skip_loads_the_good_rows(clients, customer_up1):
    before = clients["admin"].get("/api/kpis").json()["tables"]["orders"]
    response = upload(clients["admin"], "orders", "orders.csv", bad_orders("UPS"),
                      on_error="skip")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rows_inserted"] == 1 and report["rows_rejected"] == 3
    assert len(report["bad_rows"]) == 3
    assert report["rejects_path"] is None  # the upload's folder is gone: the report lists them
    assert clients["admin"].get("/api/kpis").json()["tables"]["orders"] == before + 1


def test_parquet_upload(clients):
    frame = pd.DataFrame({"product_id": ["UP-P1", "UP-P2"], "name": ["Tea", "Cup"],
                          "unit_price": [3.5, 8.0]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    response = clients["admin"].post("/api/ingest/products",
                                     files={"file": ("products.parquet", buffer.getvalue())})
    assert response.status_code == 200, response.text
    assert response.json()["rows_inserted"] == 2


def test_unknown_format_and_missing_column_are_400(clients):
    response = upload(clients["admin"], "customers", "customers.doc", GOOD_CUSTOMERS)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_source"
    response = upload(clients["admin"], "orders", "orders.csv", "order_id,amount\nX,1\n")
    assert response.status_code == 400
    assert response.json()["error"] == "schema_error"


def test_missing_file_is_422(clients):
    response = clients["admin"].post("/api/ingest/orders", data={"on_error": "reject"})
    assert response.status_code == 422
    assert "body.file" in [e["location"] for e in response.json()["details"]["errors"]]


def test_ingests_are_audited(clients, customer_up1):
    upload(clients["admin"], "customers", "again.csv", GOOD_CUSTOMERS)
    upload(clients["admin"], "orders", "refused.csv", bad_orders("UPA"))
    entries = clients["admin"].get("/api/audit", params={"limit": 1000}).json()["items"]
    mine = [e for e in entries if e["actor"] == "test-admin"]
    loaded = next(e for e in mine if e["action"] == "ingest" and e["detail"]["source"]
                  == "again.csv")
    assert loaded["target"] == "customers" and loaded["rows"] == 2
    assert loaded["role"] == "admin" and loaded["logged_at"]
    refused = next(e for e in mine if e["action"] == "ingest_rejected"
                   and e["detail"]["source"] == "refused.csv")
    assert refused["target"] == "orders" and refused["rows"] == 3


def test_gzip_and_zip_uploads_are_read(clients):
    import gzip
    import zipfile

    packed = gzip.compress(GOOD_CUSTOMERS.encode("gb18030"))
    response = clients["admin"].post("/api/ingest/customers",
                                     files={"file": ("customers.csv.gz", packed)})
    assert response.status_code == 200, response.text
    assert response.json()["rows_read"] == 2 and response.json()["encoding"] == "gb18030"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("customers.csv", GOOD_CUSTOMERS)
        out.writestr("notes.txt", "exported by the till")
    response = clients["admin"].post("/api/ingest/customers",
                                     files={"file": ("export.zip", archive.getvalue())})
    assert response.status_code == 400
    assert "holds 2 files: customers.csv, notes.txt" in response.json()["message"]
    assert "with member NAME" in response.json()["hint"]
    response = clients["admin"].post("/api/ingest/customers", data={"member": "customers.csv"},
                                     files={"file": ("export.zip", archive.getvalue())})
    assert response.status_code == 200, response.text
    assert response.json()["rows_read"] == 2
