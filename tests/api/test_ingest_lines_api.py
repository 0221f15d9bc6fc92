"""``POST /api/ingest/orders`` with a file of order lines: the same grouping and report."""

from __future__ import annotations

from tests.helpers.line_files import RETAIL_DATE_FORMAT, retail_lines, write_retail_csv


def test_a_line_file_upload_reports_what_it_would_become(clients, tmp_path):
    path = write_retail_csv(tmp_path / "Online Retail.csv", retail_lines(0))
    response = clients["admin"].post(
        "/api/ingest/orders", files={"file": ("Online Retail.csv", path.read_bytes())},
        data={"dry_run": "true", "date_format": RETAIL_DATE_FORMAT,
              "create_customers": "true"})
    assert response.status_code == 200, response.text
    lines = response.json()["lines"]
    assert lines["orders"] == lines["purchases"] + lines["returns"] + lines["cancelled"]
    assert lines["guest_lines"] > 0 and lines["duplicate_lines"] > 0
    assert lines["cancel_prefix"] == "C" and lines["cancel_prefix_how"] == "detected"
    assert response.json()["sample"][0]["lines"] >= 1


def test_the_old_mapping_of_a_line_file_is_refused_in_the_api_words(clients, tmp_path):
    path = write_retail_csv(tmp_path / "Online Retail.csv", retail_lines(0))
    response = clients["admin"].post(
        "/api/ingest/orders", files={"file": ("Online Retail.csv", path.read_bytes())},
        data={"mapping": '{"UnitPrice": "amount"}', "on_error": "skip",
              "date_format": RETAIL_DATE_FORMAT, "create_customers": "true"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert "this looks like one row per product line" in body["message"]
    assert 'mapping={"StockCode": "product_id"}' in body["hint"]


def test_memory_limit_field_is_checked_in_the_api_words(clients, tmp_path):
    path = write_retail_csv(tmp_path / "Online Retail.csv", retail_lines(0))
    upload = {"file": ("Online Retail.csv", path.read_bytes())}
    options = {"dry_run": "true", "date_format": RETAIL_DATE_FORMAT, "create_customers": "true"}
    response = clients["admin"].post("/api/ingest/orders", files=upload,
                                     data={**options, "memory_limit": "lots"})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("memory_limit must be a size such as 1GB")
    response = clients["admin"].post("/api/ingest/orders", files=upload,
                                     data={**options, "memory_limit": "512MB"})
    assert response.status_code == 200, response.text
