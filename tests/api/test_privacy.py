"""A viewer never receives personal data: no e-mail address, phone number or full name in any
answer of any GET route, while an analyst sees them (so the check can fail); birth year, gender
and city reach viewers only coarsened (an age band, the region), and what each role sees is
documented in the README and the OpenAPI description."""

from __future__ import annotations

import re

import duckdb
import httpx
import pytest

from tests.helpers.api import EMAIL, phone_in
from tests.helpers.servers import ApiData, Server
from valuecrm.store.users import User
from valuecrm.views.privacy import (
    ROLE_TABLE,
    age_band,
    mask_email,
    mask_name,
    mask_phone,
    mask_record,
    region_of,
    search_columns,
)


@pytest.fixture(scope="module")
def people(api_data: ApiData) -> list[tuple[str, str, str, str]]:
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        return con.execute("SELECT customer_id, name, email, phone FROM customers "
                           "ORDER BY customer_id").fetchall()


@pytest.fixture(scope="module")
def viewer_bodies(server: Server, clients, people) -> list[str]:
    """The body of every GET route a viewer may call, over every customer."""
    schema = httpx.get(f"{server.url}/openapi.json").json()
    viewer_gets = sorted(path for path, ops in schema["paths"].items()
                         if ops.get("get", {}).get("x-min-role") == "viewer")
    assert viewer_gets == [
        "/api/acquisition", "/api/actions/{kind}", "/api/campaigns",
        "/api/campaigns/{campaign_id}", "/api/cohorts",
        "/api/cross-sell/cross-buying", "/api/cross-sell/rules", "/api/customer-values",
        "/api/customers", "/api/customers/{customer_id}",
        "/api/kpis", "/api/loyalty", "/api/loyalty/tiers", "/api/loyalty/value",
        "/api/migration", "/api/models", "/api/models/holdout", "/api/profile",
        "/api/profile/segment/{segment}", "/api/referral-value", "/api/segments",
        "/api/segments/{by}/{group}", "/api/snapshots",
        "/api/snapshots/{snapshot}", "/api/snapshots/{snapshot}/customers",
        "/api/voice/drivers", "/api/voice/index", "/api/voice/ipma", "/api/voice/journey",
        "/api/voice/nps", "/api/voice/nps/segments", "/api/voice/nps/trend",
        "/api/voice/perceived-value", "/api/voice/quadrants", "/api/voice/recovery",
        "/api/voice/scores", "/api/voice/surveys",
    ], "a new viewer route: add it to this test"
    viewer = clients["viewer"]
    bodies = [viewer.get(path, params=params).text for path, params in [
        ("/api/customers", {"page_size": 500}), ("/api/kpis", {}), ("/api/models", {}),
        ("/api/snapshots", {}), ("/api/snapshots/latest", {}),
        ("/api/snapshots/latest/customers", {"page_size": 500}),
        ("/api/segments", {}), ("/api/segments", {"by": "tier"}),
        ("/api/actions/retention", {}), ("/api/actions/winback", {}), ("/api/cohorts", {}),
        ("/api/customer-values", {"limit": 500}),
        ("/api/models/holdout", {"calibration_end": "2025-06-30", "bootstrap": 20}),
        ("/api/campaigns", {}), ("/api/profile", {"by": "signup_channel"}),
        ("/api/profile", {"by": "region"}), ("/api/loyalty", {}), ("/api/loyalty/tiers", {}),
        ("/api/loyalty/value", {}),
        # aggregates of the survey answers (too few on this base for the index and its IPMA:
        # tests/api/test_voice_api.py checks those on a larger one)
        ("/api/voice/nps", {}), ("/api/voice/nps/trend", {}), ("/api/voice/nps/segments", {}),
        ("/api/voice/scores", {}), ("/api/voice/drivers", {}),
        ("/api/cross-sell/rules", {"level": "product", "min_support": 0.001}),
        ("/api/cross-sell/cross-buying", {}),
        ("/api/voice/recovery", {}), ("/api/voice/journey", {}),
        ("/api/voice/surveys", {}), ("/api/voice/quadrants", {"satisfaction_threshold": 5}),
        ("/api/referral-value", {}),
        *(("/api/acquisition", {"by": by}) for by in ("signup_channel", "first_category",
                                                       "first_product", "referred",
                                                       "signup_cohort")),
    ]]
    bodies += [viewer.get(f"/api/campaigns/{c['campaign_id']}").text
               for c in viewer.get("/api/campaigns").json()["campaigns"]]
    segments = viewer.get("/api/segments").json()["items"]
    bodies += [viewer.get(f"/api/profile/segment/{s['group']}").text for s in segments]
    bodies += [viewer.get(f"/api/segments/rfm_segment/{s['group']}",
                          params={"page_size": 500}).text for s in segments]
    bodies += [viewer.get(f"/api/customers/{cid}").text for cid, *_ in people]
    assert all('"error"' not in body for body in bodies), "every viewer request should succeed"
    return bodies


def test_the_data_has_personal_data_to_hide(people):
    assert len(people) == 80
    assert all(EMAIL.fullmatch(email) for _, _, email, _ in people)
    assert all(phone_in(phone) for _, _, _, phone in people)
    assert any(re.search(r"[\u4e00-\u9fff]", name) for _, name, _, _ in people)


def test_no_viewer_answer_holds_an_email_or_phone_number(viewer_bodies):
    for body in viewer_bodies:
        assert not EMAIL.search(body), EMAIL.search(body)
        assert not phone_in(body), phone_in(body)


def test_no_viewer_answer_holds_a_real_name(viewer_bodies, people):
    text = "\n".join(viewer_bodies)
    for _, name, _, _ in people:
        assert name not in text


def test_viewers_see_masked_profiles(clients, people):
    cid, name, email, phone = people[0]
    profile = clients["viewer"].get(f"/api/customers/{cid}").json()["profile"]
    assert profile["customer_id"] == cid
    assert profile["name"] == mask_name(name) != name
    assert profile["email"] == mask_email(email) != email
    assert profile["phone"] == mask_phone(phone) != phone


def test_analysts_see_personal_data(clients, people):
    """The control: the same answers to an analyst do hold the personal data."""
    cid, name, email, phone = people[0]
    body = clients["analyst"].get(f"/api/customers/{cid}").text
    assert email in body and phone in body and name in body
    listing = clients["analyst"].get("/api/customers", params={"page_size": 500}).text
    assert EMAIL.search(listing) and phone_in(listing)


def test_viewers_cannot_search_by_personal_data(clients, people):
    """A search by e-mail would tell a viewer whose address it is: viewers search ids only."""
    _, _, email, _ = people[0]
    assert clients["analyst"].get("/api/customers", params={"q": email}).json()["total"] == 1
    assert clients["viewer"].get("/api/customers", params={"q": email}).json()["total"] == 0


@pytest.mark.parametrize(("masker", "value", "expected"), [
    (mask_name, "张三", "张*"),
    (mask_name, "宋华帆", "宋**"),
    (mask_name, "George Carter", "G***** C*****"),
    (mask_email, "jane.doe@example.com", "j***@example.com"),
    (mask_phone, "13812345678", "138****5678"),
    (mask_phone, "+86 15379024530", "+86 153****4530"),
    (mask_phone, "+1 433 555 0100", "+1 433 *** 0100"),
    (mask_phone, "+44 7700 900939", "+44 770* **0939"),
])
def test_masks(masker, value, expected):
    assert masker(value) == expected


# ---- quasi-identifiers: birth year, gender, city ---------------------------------------------

@pytest.fixture(scope="module")
def quasi(api_data: ApiData) -> list[tuple[str, int | None, str | None, str | None, str | None]]:
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        return con.execute("SELECT customer_id, birth_year, gender, region, city FROM customers "
                           "WHERE birth_year IS NOT NULL AND gender IS NOT NULL AND city IS NOT "
                           "NULL ORDER BY customer_id").fetchall()


def test_viewers_see_an_age_band_and_a_region_not_birth_year_gender_or_city(clients, quasi):
    cid, year, _gender, region, city = quasi[0]
    profile = clients["viewer"].get(f"/api/customers/{cid}").json()["profile"]
    assert profile["birth_year"] is None and profile["age_band"] == age_band(year)
    assert profile["gender"] == "***" and profile["city"] == "***"
    assert profile["region"] == (region or region_of(city)) is not None
    listing = clients["viewer"].get("/api/customers", params={"page_size": 500}).json()["items"]
    assert {(r["birth_year"], r["gender"], r["city"]) for r in listing} <= {
        (None, "***", "***"), (None, None, None), (None, "***", None), (None, None, "***")}


def test_analysts_see_birth_year_gender_and_city(clients, quasi):
    cid, year, gender, _region, city = quasi[0]
    profile = clients["analyst"].get(f"/api/customers/{cid}").json()["profile"]
    assert (profile["birth_year"], profile["gender"], profile["city"]) == (year, gender, city)


def test_viewers_cannot_search_by_city(clients, quasi):
    city = quasi[0][4]
    assert clients["viewer"].get("/api/customers", params={"q": city}).json()["total"] == 0


@pytest.mark.parametrize(("year", "expected"), [
    (1990, "30-39"), (1999, "20-29"), (2000, "20-29"), (2026, "0-9"), (1890, None),
    (2030, None), (None, None), (float("nan"), None), (True, None), (1990.0, "30-39"),
])
def test_age_bands(year, expected):
    import datetime as dt

    assert age_band(year, today=dt.date(2026, 5, 1)) == expected


def test_regions_of_cities():
    assert region_of("深圳") == "广东" and region_of("北京") == "北京"
    assert region_of("Glasgow ") == "Scotland" and region_of("Nowhere") is None
    assert region_of(None) is None


def test_mask_record_coarsens_quasi_identifiers_for_viewers_only():
    import datetime as dt

    viewer = User("v", "viewer", "k1", dt.datetime(2026, 1, 1))
    analyst = User("a", "analyst", "k2", dt.datetime(2026, 1, 1))
    record = {"customer_id": "C1", "birth_year": 1984, "gender": "female", "region": None,
              "city": "苏州"}
    masked = mask_record(record, viewer)
    assert masked["birth_year"] is None and masked["age_band"] is not None
    assert (masked["gender"], masked["city"], masked["region"]) == ("***", "***", "江苏")
    assert mask_record({**record, "region": "华东"}, viewer)["region"] == "华东"
    assert mask_record({"customer_id": "C2", "city": "Atlantis"}, viewer) == {
        "customer_id": "C2", "city": "***", "region": None}
    assert mask_record(record, analyst) == record
    assert search_columns(viewer) == ("customer_id",)


def test_what_each_role_sees_is_documented(server):
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert ROLE_TABLE in readme
    schema = httpx.get(f"{server.url}/openapi.json").json()
    assert ROLE_TABLE in schema["info"]["description"]
    for path in ("/api/customers", "/api/customers/{customer_id}"):
        assert ROLE_TABLE in schema["paths"][path]["get"]["description"]
