"""GET /api/acquisition, /api/referral-value and /api/referral-value/referrers: the views of
'valuecrm acquisition' and 'valuecrm referrals', over FastAPI's TestClient on a real DuckDB
file; viewers get the aggregates, the list of referrers is for analysts."""

from __future__ import annotations

import warnings

import pytest

from tests.helpers.acquired import hand_made
from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.views.acquisition import acquisition_sources, referral_list, referral_summary


@pytest.fixture
def clients(db_path):
    from valuecrm.interfaces.server import create_app

    with connect(db_path) as database:
        hand_made(database)
        expected = {"channel": acquisition_sources(database),
                    "category": acquisition_sources(database, "first_category", period="Q"),
                    "summary": referral_summary(database, joined_anyway=0.25),
                    "list": referral_list(database, limit=1, offset=1)}
        tokens = {role: add_user(database.raw, role, role)[1] for role in ("viewer", "analyst")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(db_path), raise_server_exceptions=False) as client:
        yield client, tokens, expected


def _get(client, token, path, **params):
    return client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_a_viewer_gets_the_aggregates(clients):
    client, tokens, expected = clients
    answer = _get(client, tokens["viewer"], "/api/acquisition")
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected["channel"]
    answer = _get(client, tokens["viewer"], "/api/acquisition", by="first_category", period="Q")
    assert answer.json() == expected["category"]
    summary = _get(client, tokens["viewer"], "/api/referral-value", joined_anyway=0.25).json()
    assert summary == expected["summary"] and "items" not in summary
    assert summary["crv"] == pytest.approx(0.75 * 400 - 15)


def test_the_referrers_are_for_analysts(clients):
    client, tokens, expected = clients
    refused = _get(client, tokens["viewer"], "/api/referral-value/referrers")
    assert refused.status_code == 403
    assert refused.json()["details"]["required_role"] == "analyst"
    answer = _get(client, tokens["analyst"], "/api/referral-value/referrers", limit=1, offset=1)
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected["list"]
    assert [r["referrer_id"] for r in answer.json()["items"]] == ["a2"]


def test_bad_parameters_are_refused(clients):
    client, tokens, _ = clients
    for path, params in [("/api/acquisition", {"by": "weather"}),
                         ("/api/acquisition", {"period": "W"}),
                         ("/api/referral-value", {"joined_anyway": 2})]:
        answer = _get(client, tokens["viewer"], path, **params)
        assert answer.status_code == 422, (path, params, answer.text)
