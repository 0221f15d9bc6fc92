"""Every route of the FastAPI app (dashboard pages included), read from ``app.routes``: without a
session or token none answers data, the export pages refuse viewers, and no answer to a viewer
(an HTML page or the API) holds an e-mail address or a phone number of a customer, nor a birth
year, gender or city (quasi-identifiers: together they re-identify people).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.helpers.api import EMAIL, PATH_VALUES, phone_in
from tests.helpers.servers import ApiData, Server
from valuecrm.views.privacy import CITY_REGIONS

# routes that answer without signing in, and why that is safe
PUBLIC = {
    ("GET", "/"): "a redirect to /overview",
    ("GET", "/login"): "the sign-in form",
    ("POST", "/login"): "signing in",
    ("POST", "/logout"): "signing out",
    ("GET", "/static/plotly.min.js"): "Plotly's script",
    ("GET", "/static/{name}"): "the style sheet and script of the dashboard",
    ("GET", "/api/health"): "the health check",
    ("GET", "/openapi.json"): "the API's description",
    ("GET", "/docs"): "the API's documentation page",
    ("GET", "/docs/oauth2-redirect"): "part of the documentation page",
    ("GET", "/redoc"): "the API's documentation page",
}
# pages only analysts and admins may open
ANALYST_PAGES = {"/actions/{kind}.{suffix}", "/cross-sell/next-best.{suffix}",
                 "/cross-sell/up-sell.{suffix}", "/voice/high-value-defectors.{suffix}"}
WEB_VALUES = {"kind": "winback", "suffix": "csv", "name": "style.css"}
# routes that may refuse this small base for too few answers (422, in the API's error shape):
# the refusal is their answer, and it is checked for personal data like any other
TOO_FEW_ANSWERS = {"/api/voice/perceived-value"}  # 72 complete respondents, 8 dimensions need 80
# routes with a required query parameter, and a value for it on the generated base
REQUIRED_QUERIES = {"/api/models/holdout": "?calibration_end=2025-06-30&bootstrap=20"}


def app_routes(db_path: Path) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, nested routers included (HEAD left out)."""
    from valuecrm.interfaces.server import create_app

    app = create_app(db_path)
    try:
        found = set()
        for route in app.routes:
            nested = getattr(route, "effective_route_contexts", None)
            for leaf in nested() if nested is not None else [route]:
                found |= {(m, leaf.path) for m in leaf.methods or () if m != "HEAD"}
        return sorted(found)
    finally:
        app.state.valuecrm.database.close()


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    return app_routes(tmp_path_factory.mktemp("routes") / "empty.duckdb")


@pytest.fixture(scope="module")
def people(web_data: ApiData) -> list[tuple[str, str | None, str | None]]:
    with duckdb.connect(str(web_data.path), read_only=True) as con:
        return con.execute("SELECT customer_id, email, phone FROM customers "
                           "ORDER BY (email IS NULL) OR (phone IS NULL), customer_id").fetchall()


@pytest.fixture(scope="module")
def fill(people):
    values = {**PATH_VALUES, **WEB_VALUES, "customer_id": people[0][0]}

    def concrete(path: str) -> str:
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"no test value for a parameter of {path}"
        return path + REQUIRED_QUERIES.get(path, "")

    return concrete


def signed_in(server: Server, role: str) -> httpx.Client:
    """A client with a dashboard session of ``role`` (and no bearer token)."""
    client = httpx.Client(base_url=server.url, timeout=120)
    response = client.post("/login", data={"token": server.tokens[role]})
    assert response.status_code == 303 and "vcrm_session" in client.cookies
    return client


@pytest.fixture(scope="module")
def viewer(web_server: Server) -> Iterator[httpx.Client]:
    client = signed_in(web_server, "viewer")
    yield client
    client.close()


def test_the_routes_include_every_dashboard_page(routes):
    paths = {path for _, path in routes}
    assert {"/overview", "/rfm", "/value", "/lifecycle", "/models", "/customers",
            "/customers/{customer_id}", "/actions", "/actions/{kind}.{suffix}", "/cross-sell",
            "/api/customers", "/api/analyses"} <= paths
    assert set(PUBLIC) <= set(routes), "a public route is gone: update PUBLIC"


def test_no_route_answers_data_without_signing_in(routes, fill, web_server):
    checked = 0
    with httpx.Client(base_url=web_server.url, timeout=120) as anonymous:
        for method, path in routes:
            if (method, path) in PUBLIC:
                continue
            response = anonymous.request(method, fill(path))
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path, response.text)
            else:
                assert response.status_code == 303, (method, path, response.status_code)
                assert response.headers["location"].startswith("/login?next="), path
                assert response.text == ""
            checked += 1
    assert checked >= 25


def test_export_pages_refuse_viewers(routes, fill, web_server, viewer):
    pages = {path for method, path in routes
             if method == "GET" and not path.startswith("/api/") and "." in path
             and not path.startswith("/static/") and path != "/openapi.json"}
    assert pages == ANALYST_PAGES
    admin = signed_in(web_server, "admin")
    try:
        for path in pages:
            for kind in ("retention", "winback"):
                url = fill(path).replace("winback", kind)
                refused = viewer.get(url)
                assert refused.status_code == 403, url
                assert refused.headers["content-type"].startswith("text/html")
                allowed = admin.get(url)
                assert allowed.status_code == 200 and allowed.text.startswith("\ufeffcustomer_id")
    finally:
        admin.close()


@pytest.fixture(scope="module")
def viewer_bodies(routes, fill, web_server, viewer, people) -> dict[str, str]:
    """URL -> body of every GET route a viewer may call (pages and API), and of the pages and
    360 views of 20 customers with e-mail and phone on file."""
    bodies: dict[str, str] = {}
    with web_server.client("viewer") as api:
        for method, path in routes:
            if method != "GET" or path.startswith(("/static/", "/docs", "/redoc", "/openapi")):
                continue
            url = fill(path)
            response = (api if path.startswith("/api/") else viewer).get(url)
            allowed = (200, 303, 403, 404) + ((422,) if path in TOO_FEW_ANSWERS else ())
            assert response.status_code in allowed, (url, response.status_code)
            bodies[url] = response.text
    for customer_id, _, _ in people[:20]:  # customer pages with e-mail and phone on file
        url = fill("/customers/{customer_id}").rsplit("/", 1)[0] + f"/{customer_id}"
        bodies[url] = viewer.get(url).text
        bodies[f"/api/customers/{customer_id}"] = api_text = httpx.get(
            f"{web_server.url}/api/customers/{customer_id}",
            headers={"Authorization": f"Bearer {web_server.tokens['viewer']}"}).text
        assert customer_id in api_text
    return bodies


def test_no_viewer_answer_holds_an_email_or_phone(viewer_bodies, people):
    emails = {e for _, e, _ in people if e}
    phones = {p for _, _, p in people if p}
    assert len(emails) > 100 and len(phones) > 100
    assert any("***" in body for body in viewer_bodies.values())  # masked values are shown
    for url, body in viewer_bodies.items():
        assert EMAIL.search(body) is None, (url, EMAIL.search(body))
        assert phone_in(body) is None, (url, phone_in(body))
        assert not [e for e in emails if e in body], url
        assert not [p for p in phones if p in body], url


@pytest.fixture(scope="module")
def quasi(web_data: ApiData) -> dict[str, tuple[int | None, str | None, str | None]]:
    """customer id -> (birth year, gender, city) as stored."""
    with duckdb.connect(str(web_data.path), read_only=True) as con:
        return {cid: (year, gender, city) for cid, year, gender, city in con.execute(
            "SELECT customer_id, birth_year, gender, city FROM customers").fetchall()}


def quasi_identifiers_in(value: object) -> list[tuple[str, object]]:
    """(key, value) of every birth year, gender or city in a JSON answer that is not hidden."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("birth_year", "gender", "city") and inner not in (None, "***"):
                found.append((key, inner))
            found += quasi_identifiers_in(inner)
    elif isinstance(value, list):
        for inner in value:
            found += quasi_identifiers_in(inner)
    return found


def standalone(year: int, text: str) -> bool:
    """Whether ``year`` stands alone in ``text`` (not in a date, an id or a longer number)."""
    return re.search(rf"(?<![\w.,\-]){year}(?![\w.,\-])", text) is not None


def test_no_viewer_answer_holds_a_birth_year_gender_or_city(viewer_bodies, quasi):
    regions = set(CITY_REGIONS.values())
    cities = {city for _, _, city in quasi.values() if city and city not in regions}
    assert len(cities) >= 10 and any(year for year, _, _ in quasi.values())
    profiles = 0
    for url, body in viewer_bodies.items():
        if url.startswith("/api/"):
            answer = json.loads(body)
            assert quasi_identifiers_in(answer) == [], url
            profiles += "profile" in answer
        visible = re.sub(r"<script.*?</script>", "", body, flags=re.S)
        assert not [c for c in cities if c in visible], url
        assert not re.search(r"\b(female|male)\b", visible), url
        customer_id = url.rsplit("/", 1)[-1]
        if customer_id in quasi and quasi[customer_id][0] is not None:
            assert not standalone(quasi[customer_id][0], visible), url
    assert profiles >= 20
    pages = [b for u, b in viewer_bodies.items() if u.startswith("/customers/")]
    assert pages and all("***" in page for page in pages)  # the city is shown as hidden


def test_the_walk_would_see_them(web_server, quasi, fill, people):
    """The control: an admin's answers hold the birth year, gender and city, so the check can
    fail."""
    customer_id = people[0][0]
    with web_server.client("admin") as admin:
        answer = admin.get(f"/api/customers/{customer_id}").json()
    year, gender, city = quasi[customer_id]
    assert ("birth_year", year) in quasi_identifiers_in(answer)
    assert ("gender", gender) in quasi_identifiers_in(answer)
    assert ("city", city) in quasi_identifiers_in(answer)
