"""The Customers page lists every customer of the snapshot, highest CLV first, 50 a page, filtered
by status, RFM segment and tier (the labels shown in the page's language), the filters kept in
every page link; on the real CDNOW demo (23,570 customers) through FastAPI's TestClient
(issue 12, point 14)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import duckdb
import pytest

from tests.helpers.web import signed_in
from valuecrm.errors import ParameterError
from valuecrm.views.customer_list import customer_page

ROW = re.compile(r'<tr><td><a class="raw" href="/customers/([^"]+)">')


WHERE = {"all": "TRUE", "lost small": "status = 'lost' AND tier = 'small'",
         "champions": "rfm_segment = 'Champions'", "vip": "tier = 'VIP'"}


@pytest.fixture(scope="module")
def expected(demo_db) -> dict[str, Any]:
    """Customer ids in the page's order, per filter of ``WHERE``, read straight from the value
    table (before the app holds the file), and the snapshot id."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        sid = con.execute("SELECT max(snapshot_id) FROM customer_value").fetchone()[0]
        found: dict[str, Any] = {name: [r[0] for r in con.execute(
            f"SELECT customer_id FROM customer_value WHERE snapshot_id = ? AND {where} "
            "ORDER BY clv DESC NULLS LAST, customer_id", [sid]).fetchall()]
            for name, where in WHERE.items()}
    return {**found, "snapshot_id": sid}


@pytest.fixture(scope="module")
def client(demo_db, expected) -> Iterator[Any]:
    for test_client, _ in signed_in(demo_db, "list-viewer", "viewer"):
        yield test_client


def listed(html: str) -> list[str]:
    return ROW.findall(html.split('id="list"')[1])


def pager(html: str) -> list[str]:
    found = re.search(r'<nav class="pager".*?</nav>', html, flags=re.S)
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', found.group(0))] if found else []


def test_every_customer_page_by_page(client, expected):
    every = expected["all"]
    assert len(every) == 23570
    first = client.get("/customers", params={"lang": "en"}).text
    assert "1–50 of 23,570" in first and listed(first) == every[:50]
    links = pager(first)
    assert "/customers?page=2" in links and "/customers?page=472" in links  # 23,570 / 50
    last = client.get("/customers?page=472&lang=en").text
    assert "23,551–23,570 of 23,570" in last and listed(last) == every[-20:]
    middle = client.get("/customers?page=200&lang=zh-CN").text
    assert "第 9,951–10,000 位，共 23,570 位" in middle and listed(middle) == every[9950:10000]


def test_filters_by_status_segment_and_tier_across_pages(client, expected):
    rows = expected["lost small"]
    assert len(rows) > 100
    first = client.get("/customers", params={"status": "lost", "tier": "small", "lang": "en"})
    assert first.status_code == 200
    assert f"1–50 of {len(rows):,}" in first.text and listed(first.text) == rows[:50]
    assert '<option value="lost" selected>Lost</option>' in first.text
    following = [link for link in pager(first.text) if link.endswith("page=2")]
    assert following == ["/customers?status=lost&tier=small&page=2"] * len(following) != []
    second = client.get(following[0] + "&lang=zh-CN").text
    assert f"第 51–100 位，共 {len(rows):,} 位" in second and listed(second) == rows[50:100]
    assert '<option value="small" selected>小客户</option>' in second
    assert all("status=lost&tier=small" in link for link in pager(second))
    champions = expected["champions"]
    page = client.get("/customers", params={"segment": "Champions", "lang": "zh-CN"}).text
    assert f"共 {len(champions):,} 位" in page and listed(page) == champions[:50]
    assert '<option value="Champions" selected>冠军客户</option>' in page


def test_a_filter_nobody_matches_and_an_unknown_value(client):
    page = client.get("/customers", params={"status": "new", "segment": "Lost", "lang": "en"})
    assert page.status_code == 200 and "No customer matches." in page.text
    wrong = client.get("/customers", params={"status": "gone", "lang": "en"})
    assert wrong.status_code == 400 and wrong.headers["content-type"].startswith("text/html")
    assert "The status &#39;gone&#39; does not exist." in wrong.text


def test_the_read_function_below_the_interfaces(client, expected):
    vip = expected["vip"]
    with client.app.state.valuecrm.cursor() as cur:
        found = customer_page(cur, expected["snapshot_id"], filters={"tier": "VIP", "status": ""},
                              limit=5, offset=5)
        assert found.total == len(vip) and found.filters == {"tier": "VIP"}
        assert [r["customer_id"] for r in found.rows] == vip[5:10]
        assert set(found.rows[0]) >= {"customer_id", "name", "status", "tier", "clv"}
        with pytest.raises(ParameterError, match="Choose one of: VIP, key"):
            customer_page(cur, expected["snapshot_id"], filters={"tier": "gold"})
