"""Customer search: totals and pages against the same search in pandas over the unfiltered
listing, the page past the last one, and viewers searching by customer id only."""

from __future__ import annotations

import pandas as pd
import pytest


def customers(clients) -> pd.DataFrame:
    """Every customer the server has now (other tests upload some), through the unfiltered
    listing, ordered by id."""
    found, page = [], 1
    while True:
        body = clients["admin"].get("/api/customers",
                                    params={"page": page, "page_size": 500}).json()
        found += body["items"]
        if page >= body["pages"]:
            break
        page += 1
    return pd.DataFrame(found)[["customer_id", "name", "email"]]


def expected(customers: pd.DataFrame, q: str, personal: bool) -> list[str]:
    fields = ["customer_id", "name", "email"] if personal else ["customer_id"]
    hit = pd.Series(False, index=customers.index)
    for field in fields:
        hit |= customers[field].fillna("").str.lower().str.contains(q.lower(), regex=False)
    return customers.loc[hit, "customer_id"].tolist()


@pytest.mark.parametrize("q", ["C0000001", "c00000", "EXAMPLE.COM", "zzz-none", "_", "%"])
def test_search_pages_and_totals(clients, q):
    everyone = customers(clients)
    assert everyone["customer_id"].is_monotonic_increasing and len(everyone) >= 80
    for role, personal in (("analyst", True), ("viewer", False)):
        want = expected(everyone, q, personal)
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
