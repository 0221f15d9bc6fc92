"""``/api/cross-sell``: viewers get the rules and the cross-buying figures (no customer ids),
analysts and admins the per-customer lists too; the answers are the CLI's views; bad
thresholds and levels are refused in the API's words."""

from __future__ import annotations

import pytest

from valuecrm.store import connect
from valuecrm.views import cross_sell


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_every_role_reads_rules_and_cross_buying(clients, role):
    rules = clients[role].get("/api/cross-sell/rules", params={"level": "category"})
    assert rules.status_code == 200 and rules.json()["level"] == "category"
    assert "association rules" in rules.json()["method"]
    buying = clients[role].get("/api/cross-sell/cross-buying", params={"by": "tier"})
    assert buying.status_code == 200 and buying.json()["by"] == "tier"
    assert "customer_id" not in rules.text + buying.text


@pytest.mark.parametrize("path", ["/api/cross-sell/next-best", "/api/cross-sell/up-sell"])
def test_only_analysts_and_admins_get_the_lists(clients, path):
    assert clients["viewer"].get(path).status_code == 403
    assert clients[None].get(path).status_code == 401
    for role in ("analyst", "admin"):
        answer = clients[role].get(path)
        assert answer.status_code == 200, answer.text
        assert answer.json()["columns"][0] == "customer_id"


def test_the_api_answers_the_view(clients, api_data):
    answer = clients["analyst"].get("/api/cross-sell/next-best",
                                    params={"level": "category", "min_support": 0.01,
                                            "top": 2}).json()
    with connect(api_data.path, read_only=True) as database:
        assert answer == cross_sell.next_best(database, level="category", min_support=0.01,
                                              top=2, limit=1000)  # the API answers a page


@pytest.mark.parametrize(("params", "words"), [
    ({"min_support": 0}, "min_support: Input should be greater than 0"),
    ({"level": "shelf"}, "level: Input should be 'product', 'type'"),
    ({"max_len": 1}, "max_len: Input should be greater than or equal to 2"),
])
def test_bad_input_is_refused_in_the_api_words(clients, params, words):
    answer = clients["viewer"].get("/api/cross-sell/rules", params=params)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_request"
    assert f"query.{words}" in answer.json()["message"]
