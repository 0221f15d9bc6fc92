"""``POST /api/ingest/{table}`` maps columns and values like the CLI, takes a mapping file and a
dry run, and words its errors with the API's field names (issue 12, points 6, 7 and 14)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from valuecrm.interfaces.server import create_app
from valuecrm.store import connect
from valuecrm.store.users import add_user

CUSTOMERS = "会员号,性别,城市\nC1,男,上海\nC2,女,北京\n"
ORDERS = ("单据,客户编号,下单时间,实付金额,订单状态\n"
          "O1,C1,2024-01-05,10,已完成\nO2,C2,2024-01-06,20,Finished\n")


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "crm.duckdb"
    with connect(path) as database:
        token = add_user(database.raw, "boss", "admin")[1]
    with TestClient(create_app(path), headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def upload(client: TestClient, table: str, name: str, content: bytes, *,
           mapping_file: tuple[str, bytes] | None = None, **form: object):
    files = {"file": (name, content)}
    if mapping_file:
        files["mapping_file"] = mapping_file
    data = {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            for k, v in form.items()}
    return client.post(f"/api/ingest/{table}", files=files, data=data)


def stored(client: TestClient) -> int:
    return client.get("/api/kpis").json()["tables"]["orders"]


def test_chinese_headers_and_values_are_recognised(admin):
    response = upload(admin, "customers", "客户.csv", CUSTOMERS.encode("gbk"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rows_loaded"] == 2
    assert {(c["source"], c["column"], c["how"]) for c in report["columns"]} == {
        ("会员号", "customer_id", "recognised"), ("性别", "gender", "recognised"),
        ("城市", "city", "recognised")}
    assert {(v["value"], v["to"], v["rows"]) for v in report["values"]} == {
        ("男", "male", 1), ("女", "female", 1)}


def test_column_and_value_mappings_as_fields(admin):
    upload(admin, "customers", "c.csv", CUSTOMERS.encode())
    response = upload(admin, "orders", "o.xlsx", excel(ORDERS), mapping={"单据": "order_id"},
                      values={"status": {"finished": "completed"}})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rows_loaded"] == 2
    assert ("单据", "order_id", "given") in {(c["source"], c["column"], c["how"])
                                             for c in report["columns"]}
    assert {"column": "status", "value": "Finished", "to": "completed", "how": "given",
            "rows": 1} in report["values"]


def test_a_mapping_file_upload(admin):
    upload(admin, "customers", "c.csv", CUSTOMERS.encode())
    mapping = ("orders:\n  columns: {单据: order_id}\n  values:\n    status: {Finished: "
               "completed}\n").encode()
    response = upload(admin, "orders", "o.csv", ORDERS.encode(),
                      mapping_file=("map.yaml", mapping))
    assert response.status_code == 200, response.text
    assert response.json()["rows_loaded"] == 2


def test_a_dry_run_writes_nothing_and_says_what_a_load_would_do(admin):
    upload(admin, "customers", "c.csv", CUSTOMERS.encode())
    response = upload(admin, "orders", "o.csv", ORDERS.encode(), mapping={"单据": "order_id"},
                      dry_run="true")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True
    assert (report["rows_read"], report["rows_good"], report["rows_rejected"]) == (2, 1, 1)
    assert report["bad_rows"][0]["value"] == "Finished"
    assert report["sample"] == [{"order_id": "O1", "customer_id": "C1",
                                 "ordered_at": "2024-01-05 00:00:00", "amount": 10.0,
                                 "status": "completed"}]
    assert stored(admin) == 0


def test_errors_name_the_fields_not_the_cli_options(admin):
    upload(admin, "customers", "c.csv", CUSTOMERS.encode())
    missing = upload(admin, "orders", "o.csv", ORDERS.encode())
    assert missing.status_code == 400
    assert "--map" not in missing.text
    assert 'mapping={"单据": "order_id"}' in missing.json()["hint"]
    refused = upload(admin, "orders", "o.csv", ORDERS.encode(), mapping={"单据": "order_id"})
    assert refused.status_code == 422
    hint = refused.json()["hint"]
    assert "load the 1 good row with on_error=skip." in hint
    assert 'values={"status": {"Finished": "completed"}}' in hint
    assert "--" not in hint
    bad_value = upload(admin, "orders", "o.csv", ORDERS.encode(), mapping={"单据": "order_id"},
                       values={"status": {"Finished": "done!"}})
    assert bad_value.status_code == 400
    assert bad_value.json()["message"] == (
        'values["status"]["Finished"]: \'done!\' is not a value of orders.status, so '
        "'Finished' cannot be read as it.")
    bad_column = upload(admin, "orders", "o.csv", ORDERS.encode(), mapping={"单据": "order"})
    assert bad_column.json()["message"].startswith(
        'mapping["单据"]: the orders table has no column \'order\'')
    not_json = upload(admin, "orders", "o.csv", ORDERS.encode(), mapping="{单据: order_id}")
    assert not_json.status_code == 400
    assert not_json.json()["message"].startswith("The field 'mapping' is not valid JSON")
    no_good = upload(admin, "orders", "o.csv", b"order_id,customer_id,ordered_at,amount\n"
                                               b"o1,nobody,2024-01-05,10\n")
    assert no_good.status_code == 422
    assert "0 good rows" not in no_good.text
    assert "no row is good, so on_error=skip would load nothing" in no_good.json()["hint"]
    assert "use create_customers=true" in no_good.json()["message"]
    wrong_encoding = upload(admin, "customers", "c.csv", CUSTOMERS.encode("gbk"),
                            encoding="ascii")
    assert wrong_encoding.status_code == 400
    assert "Give the file's encoding with encoding" in wrong_encoding.json()["hint"]
    assert "--" not in wrong_encoding.json()["hint"]
    assert stored(admin) == 0


def test_openapi_documents_the_new_fields(admin):
    spec = admin.get("/openapi.json").json()
    body = spec["components"]["schemas"]["Body_ingest_file_api_ingest__table__post"]
    fields = body["properties"]
    assert {"mapping", "values", "mapping_file", "dry_run", "date_format", "encoding",
            "sheet"} <= set(fields)
    for name in ("mapping", "values", "mapping_file", "dry_run"):
        assert fields[name]["description"], name


def excel(csv_text: str) -> bytes:
    buffer = io.BytesIO()
    pd.read_csv(io.StringIO(csv_text), dtype=str).to_excel(buffer, index=False)
    return buffer.getvalue()
