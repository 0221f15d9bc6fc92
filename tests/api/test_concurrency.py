"""Many requests at once, reads beside a write: one cursor per request keeps them apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.fixture
def clients(writer_clients):
    """These tests load data: they use the writers' server (tests/api/conftest.py)."""
    return writer_clients


UPLOAD = "customer_id,name,email\n" + "".join(
    f"PAR-{i},Person {i},p{i}@example.com\n" for i in range(50))


def test_parallel_reads_and_a_write(clients):
    admin = clients["admin"]
    ids = [c["customer_id"] for c in
           admin.get("/api/customers", params={"page_size": 20}).json()["items"]]
    expected = {cid: admin.get(f"/api/customers/{cid}").json()["summary"] for cid in ids}

    def read(cid: str) -> tuple[str, int, dict]:
        response = clients["viewer"].get(f"/api/customers/{cid}")
        return cid, response.status_code, response.json().get("summary", {})

    def write() -> int:
        return admin.post("/api/ingest/customers",
                          files={"file": ("parallel.csv", UPLOAD.encode())}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        upload = pool.submit(write)
        reads = list(pool.map(read, ids * 3))
        kpis = [pool.submit(clients["analyst"].get, "/api/kpis") for _ in range(10)]
    assert upload.result() == 200
    for cid, status, summary in reads:
        assert status == 200 and summary == expected[cid]
    assert all(k.result().status_code == 200 for k in kpis)
    found = admin.get("/api/customers", params={"q": "PAR-"}).json()
    assert found["total"] == 50
