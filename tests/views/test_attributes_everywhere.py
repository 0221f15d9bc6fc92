"""Customer attributes wherever they are useful: the --where filters of the action lists and
the export (CLI, API), the dashboard's customer list, the 360 view (attributes and referral
value), the headline's equity with referral value, and the profile kept per snapshot."""

from __future__ import annotations

import csv
import json
import shutil
import warnings

import duckdb
import pytest

import valuecrm
from tests.helpers.acquired import hand_made
from tests.helpers.cli import run
from valuecrm import views
from valuecrm.store.users import add_user


@pytest.fixture(scope="module")
def base(acquired_db, tmp_path_factory):
    """A copy of the generated base with an extra attribute (household_size 1-4)."""
    path = shutil.copy(acquired_db, tmp_path_factory.mktemp("everywhere") / "crm.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO customer_attributes SELECT customer_id, 'household_size', "
                    "CAST(1 + hash(customer_id) % 4 AS VARCHAR), 'integer' FROM customers")
    return path


def _ids(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return {r[0] for r in con.execute(sql).fetchall()}


def test_action_lists_keep_the_customers_with_the_attribute(base):
    web = _ids(base, "SELECT customer_id FROM customers WHERE signup_channel = 'web'")
    two = _ids(base, "SELECT customer_id FROM customer_attributes WHERE name = "
                     "'household_size' AND value = '2'")
    with valuecrm.connect(base, read_only=True) as database:
        everyone = views.action_list(database, "winback")["customers"]
        found = views.action_list(database, "winback", where=["signup_channel=web",
                                                               "household_size=2"])
        top = views.action_list(database, "winback", top=3, where=["signup_channel=web"])
    expected = [r["customer_id"] for r in everyone if r["customer_id"] in web & two]
    assert expected and [r["customer_id"] for r in found["customers"]] == expected
    assert found["rows"] == len(expected) < len(everyone)
    in_web = [r["customer_id"] for r in everyone if r["customer_id"] in web]
    assert [r["customer_id"] for r in top["customers"]] == in_web[:3]  # filtered, then top


def test_the_cli_filters_lists_and_exports(base, tmp_path, monkeypatch, capsys):
    path = shutil.copy(base, tmp_path / "crm.duckdb")
    result = run(monkeypatch, capsys, "--db", str(path), "actions", "retention", "--where",
                 "household_size=3", "--json")
    assert result.code == 0, result.err
    three = _ids(path, "SELECT customer_id FROM customer_attributes WHERE value = '3'")
    rows = json.loads(result.out)["customers"]
    assert rows and {r["customer_id"] for r in rows} <= three
    out = tmp_path / "value.csv"
    result = run(monkeypatch, capsys, "--db", str(path), "customers", "export", "--out",
                 str(out), "--where", "household_size=3", "--where", "signup_channel=app")
    assert result.code == 0, result.err
    with out.open(encoding="utf-8-sig") as handle:
        exported = {row["customer_id"] for row in csv.DictReader(handle)}
    app = _ids(path, "SELECT customer_id FROM customers WHERE signup_channel = 'app'")
    in_snapshot = _ids(path, "SELECT customer_id FROM customer_value")
    assert exported == three & app & in_snapshot
    result = run(monkeypatch, capsys, "--db", str(path), "actions", "winback", "--where",
                 "shoe_size=9")
    assert result.code == 2 and "no customer attribute 'shoe_size'" in result.err


@pytest.fixture
def client(base, tmp_path):
    from valuecrm.interfaces.server import create_app

    path = shutil.copy(base, tmp_path / "crm.duckdb")
    with valuecrm.connect(path) as database:
        tokens = {role: add_user(database.raw, role, role)[1] for role in ("viewer", "analyst")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(path), raise_server_exceptions=False) as test_client:
        yield test_client, tokens, path


def test_the_api_filters_lists_and_exports(client, base):
    test_client, tokens, _ = client  # the server holds its copy: read the base
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    analyst = {"Authorization": f"Bearer {tokens['analyst']}"}
    listed = test_client.get("/api/actions/winback", params={"where": "household_size=1"},
                             headers=viewer)
    assert listed.status_code == 200, listed.text
    one = _ids(base, "SELECT customer_id FROM customer_attributes WHERE value = '1'")
    assert {r["customer_id"] for r in listed.json()["customers"]} <= one
    exported = test_client.get("/api/exports/customer_value",
                               params={"where": ["household_size=1"]}, headers=analyst)
    assert exported.status_code == 200, exported.text
    in_snapshot = _ids(base, "SELECT customer_id FROM customer_value")
    assert int(exported.headers["x-rows"]) == len(one & in_snapshot)
    bad = test_client.get("/api/actions/winback", params={"where": "nope"}, headers=viewer)
    assert bad.status_code == 400 and "ATTRIBUTE=VALUE" in bad.text


def test_the_360_view_has_attributes_and_referral_value(client, base):
    test_client, tokens, _ = client  # the server holds its copy: read the base
    referrer = sorted(_ids(base, "SELECT referrer_id FROM referrals WHERE referred_customer_id "
                                 "IS NOT NULL"))[0]
    answer = test_client.get(f"/api/customers/{referrer}",
                             headers={"Authorization": f"Bearer {tokens['viewer']}"}).json()
    assert [a["name"] for a in answer["attributes"]] == ["household_size"]
    referral = answer["referral"]
    assert referral["referrals"] >= 1
    assert referral["clv_plus_crv"] == pytest.approx(referral["clv"] + referral["crv"])
    with valuecrm.connect(base, read_only=True) as database:
        expected = valuecrm.referral_value(database, referrer=referrer).table.iloc[0]
    assert referral["crv"] == pytest.approx(expected["crv"])


def test_the_customer_page_and_list(base):
    from tests.helpers.web import signed_in

    referrer = sorted(_ids(base, "SELECT referrer_id FROM referrals WHERE "
                                 "referred_customer_id IS NOT NULL"))[0]
    two = _ids(base, "SELECT v.customer_id FROM customer_value v JOIN customer_attributes a "
                     "USING (customer_id) WHERE a.value = '2'")
    path = shutil.copy(base, base.parent / "web.duckdb")
    for web, _ in signed_in(path, "ana"):
        page = web.get(f"/customers/{referrer}?lang=en").text
        listed = web.get("/customers?where=household_size%3D2&lang=en").text
        bad = web.get("/customers?where=shoe_size%3D9")
    assert 'data-attribute="household_size"' in page and 'data-field="crv"' in page
    assert f"of {len(two):,}" in listed and 'value="household_size=2"' in listed
    assert bad.status_code == 400


def test_headline_equity_with_referral_value_beside_equity(db):
    hand_made(db)
    found = views.headline(db, 1)
    assert found["customer_equity"] == 600.0  # unchanged
    assert found["referral_value"] == 385.0 and found["equity_with_referrals"] == 985.0
    assert "twice" in found["methods"]["equity_with_referrals"]


def test_the_profile_is_kept_per_snapshot(db, monkeypatch):
    from valuecrm.views import profiles as profile_views

    hand_made(db)
    db.ingest("customers", __import__("pandas").DataFrame(
        {"customer_id": ["a1", "a2"], "household_size": [1, 2]}))
    calls = []
    real = profile_views.profile
    monkeypatch.setattr(profile_views, "profile", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = profile_views.customer_profile(db, "signup_channel")
    again = profile_views.customer_profile(db, "signup_channel")
    assert first == again and len(calls) == 1
