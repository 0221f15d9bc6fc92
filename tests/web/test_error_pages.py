"""One exception handler for the whole app: the API's JSON error shape on /api paths, an HTML
page in the user's language (with the message, the hint and a link back, under the error's
status) everywhere else; never raw JSON or a traceback on a dashboard page (issue 12, point 1)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import pytest
from fastapi import Query

from tests.helpers.web import stray_english
from valuecrm.errors import DataError, NotFoundError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
    from fastapi.testclient import TestClient

PAGE = "text/html"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a small generated database with routes that fail on purpose, signed in."""
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("errors") / "crm.duckdb"
    generate(30, db=path, seed=3)
    with connect(path) as database:
        token = add_user(database.raw, "error-admin", "admin")[1]
    app = create_app(path)

    def unusable() -> None:
        raise DataError("18 row(s) have recency greater than T.",
                        hint="Measure recency and T from the first purchase.")

    def missing() -> None:
        raise NotFoundError("There is no snapshot 7.", hint="List them with valuecrm snapshots.")

    def bug() -> None:
        raise RuntimeError("secret internals")

    def bounded(n: int = Query(le=10)) -> dict[str, int]:
        return {"n": n}

    for path_, endpoint in (("/unusable", unusable), ("/missing", missing), ("/bug", bug),
                            ("/bounded", bounded)):
        app.get(path_)(endpoint)
        app.get("/api" + path_)(endpoint)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.token = token
        yield test_client


@pytest.fixture(scope="module")
def signed_in(client: TestClient) -> TestClient:
    assert client.post("/login", data={"token": client.token}).status_code == 200
    return client


@pytest.mark.parametrize(("path", "status"), [
    ("/unusable", 422), ("/missing", 404), ("/bug", 500), ("/bounded?n=99", 422),
    ("/no-such-page", 404), ("/customers/x/y", 404), ("/actions?list=nonsense", 422),
])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_failing_page_answers_an_html_error_page(signed_in, path, status, lang, caplog):
    sep = "&" if "?" in path else "?"
    with caplog.at_level(logging.ERROR, logger="valuecrm.api"):
        answer = signed_in.get(f"{path}{sep}lang={lang}")
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith(PAGE)
    html = answer.text
    assert f'<html lang="{lang}">' in html and '<nav>' in html
    assert '"error":' not in html and "Traceback" not in html and "secret" not in html
    assert 'href="/overview"' in html and ("返回总览" if lang == "zh-CN" else
                                           "Back to the overview") in html
    main = html.split("<main>")[1]
    if lang == "zh-CN":  # the page's own words are Chinese; the error's text is marked English
        marked = ('p class="error raw', 'p class="raw', 'code class="raw')
        visible = " ".join(part.split(">", 1)[-1] for part in main.split("<")
                           if not part.startswith(marked))
        assert stray_english(visible) == [], visible


def test_the_error_message_and_hint_are_shown(signed_in):
    for lang, title in (("en", "This cannot be computed"), ("zh-CN", "无法完成计算")):
        html = signed_in.get("/unusable", params={"lang": lang}).text
        assert f"<h1>{title}</h1>" in html
        assert "18 row(s) have recency greater than T." in html
        assert "Measure recency and T from the first purchase." in html
    html = signed_in.get("/no-such-page", params={"lang": "zh-CN"}).text
    assert "没有这个页面。" in html and "请检查网址" in html
    assert '<code class="raw">/no-such-page</code>' in html


def test_api_paths_keep_the_json_error_shape(signed_in):
    for path, status, code in (("/api/unusable", 422, "unusable_data"),
                               ("/api/missing", 404, "not_found"),
                               ("/api/bug", 500, "internal_error"),
                               ("/api/bounded?n=99", 422, "invalid_request"),
                               ("/api/no-such-route", 404, "not_found")):
        answer = signed_in.get(path)
        assert answer.status_code == status and answer.json()["error"] == code, path
        assert answer.headers["content-type"] == "application/json"


def test_a_signed_out_visitor_gets_the_page_with_a_way_to_sign_in(client):
    with TestClient(client.app, raise_server_exceptions=False) as fresh:
        answer = fresh.get("/no-such-page", params={"lang": "zh-CN"})
    assert answer.status_code == 404 and answer.headers["content-type"].startswith(PAGE)
    assert "<nav>" not in answer.text and 'href="/login"' in answer.text


def test_a_wrong_method_on_a_page_keeps_its_allow_header(signed_in):
    answer = signed_in.post("/overview")
    assert answer.status_code == 405 and answer.headers["content-type"].startswith(PAGE)
    assert answer.headers["allow"] == "GET"
