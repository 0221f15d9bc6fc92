"""Customer search: totals and pages against the same search in pandas, the page past the last
one, and viewers searching by customer id only."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.api.conftest import ApiData


@pytest.fixture(scope="module")
def customers(api_data: ApiData) -> pd.DataFrame:
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        return con.execute("SELECT customer_id, name, email FROM customers "
                           "ORDER BY customer_id").df()


def expected(customers: pd.DataFrame, q: str, personal: bool) -> list[str]:
    fields = ["customer_id", "name", "email"] if personal else ["customer_id"]
    hit = pd.Series(False, index=customers.index)
    for field in fields:
        hit |= customers[field].fillna("").str.lower().str.contains(q.lower(), regex=False)
    return customers.loc[hit, "customer_id"].tolist()


@pytest.mark.parametrize("q", ["C0000001", "c00000", "EXAMPLE.COM", "zzz-none", "_", "%"])
def test_search_pages_and_totals(clients, customers, q):
    for role, personal in (("analyst", True), ("viewer", False)):
        want = expected(customers, q, personal)
        seen: list[str] = []
        page = 1
        while True:
            body = clients[role].get("/api/customers",
                                     params={"q": q, "page": page, "page_size": 7}).json()
            assert body["total"] == len(want), (role, q)
            assert body["pages"] == -(-len(want) // 7)
            if not body["items"]:
                break
            seen += [item["customer_id"] for item in body["items"]]
            page += 1
        assert seen == want, (role, q)
        assert page == body["pages"] + 1  # the page past the last one is empty, total kept
