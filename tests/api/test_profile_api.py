"""GET /api/profile and /api/profile/segment/{segment}: the views of valuecrm profile, over
FastAPI's TestClient on a real DuckDB file."""

from __future__ import annotations

import warnings

import pytest

from tests.helpers.profiled import profiled_database
from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.views.profiles import customer_profile, segment_profile


@pytest.fixture
def expected(db_path):
    """The views' answers, computed before the server opens the file."""
    with connect(db_path) as database:
        profiled_database(database)
        return {"age": customer_profile(database, "age", measures=["spend", "clv"]),
                "champions": segment_profile(database, "Champions")}


@pytest.fixture
def client(db_path, expected):
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with connect(db_path) as database:
        token = add_user(database.raw, "reader", "viewer")[1]
    with TestClient(create_app(db_path), raise_server_exceptions=False) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def test_profile_route_answers_the_view(client, expected):
    answer = client.get("/api/profile", params={"by": "age", "measures": ["spend", "clv"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["measures"] == ["spend", "clv"]
    assert [g["age"] for g in body["groups"]] == ["19-24", "25-34", "65+"]
    assert client.get("/api/profile").json()["by"] == "age"  # the default attribute
    assert body == expected["age"]


def test_segment_route_answers_the_view(client, expected):
    answer = client.get("/api/profile/segment/Champions")
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected["champions"]


def test_unknown_attribute_and_measure_are_bad_requests(client):
    answer = client.get("/api/profile", params={"by": "height"})
    assert answer.status_code == 400
    assert "no customer attribute 'height'" in answer.json()["message"]
    assert client.get("/api/profile", params={"measures": "joy"}).status_code == 422


def test_customer_values_filter_by_attributes(client):
    answer = client.get("/api/customer-values", params={"where": ["age=19-24",
                                                                 "income_band=15-24K"]})
    assert answer.status_code == 200, answer.text
    assert [row["customer_id"] for row in answer.json()["items"]] == ["c2"]
    assert client.get("/api/customer-values", params={"where": "height=1"}).status_code == 400


def test_viewers_may_not_group_by_a_personal_detail(client):
    answer = client.get("/api/profile", params={"by": "city"})
    assert answer.status_code == 403
    assert "birth year, gender and city" in answer.json()["message"]
