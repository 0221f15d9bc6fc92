"""Every dashboard page in headless Chromium against a real server, in English and 简体中文."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.helpers.servers import Server
from tests.helpers.web import ADMIN_PASSWORD, PAGES, stray_english
from valuecrm.views.privacy import mask_email, mask_name, mask_phone

# the visible text of the page, without user data (class "raw": names, ids, free text)
VISIBLE_TEXT_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('.raw, script, style')) continue;
    if (el.closest('svg') === null && el.offsetParent === null) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def sign_in(browser: Browser, server: Server, role: str, *, lang: str = "en",
            viewport: dict[str, int] | None = None) -> BrowserContext:
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900},
                                  locale="zh-CN" if lang == "zh-CN" else "en-US")
    page = context.new_page()
    page.goto(f"{server.url}/login?lang={lang}")
    page.fill("input[name=token]", server.tokens[role])
    page.click("form[action='/login'] button")
    page.wait_for_url("**/overview")
    page.close()
    return context


def open_page(context: BrowserContext, url: str) -> tuple[Page, list[str]]:
    """``url`` loaded and its charts drawn; the console errors and page errors seen."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    charts = page.locator(".chart[data-figure]")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=15000)
    return page, errors


@pytest.fixture(scope="module")
def admin(browser: Browser, web_server: Server) -> Iterator[BrowserContext]:
    context = sign_in(browser, web_server, "admin")
    yield context
    context.close()


@pytest.fixture(scope="module")
def customer_id(web_server: Server) -> str:
    with web_server.client("admin") as client:
        return client.get("/api/customers", params={"page_size": 1}).json()["items"][0][
            "customer_id"]


def test_pages_need_sign_in(browser: Browser, web_server: Server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{web_server.url}/rfm")
    assert "/login" in page.url
    page.fill("input[name=token]", "vcrm_not_a_real_token")
    page.click("form[action='/login'] button")
    assert page.locator(".error").is_visible()
    assert "/login" in page.url
    context.close()


def test_password_sign_in_goes_to_the_page_asked_for(browser: Browser, web_server: Server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{web_server.url}/value")
    page.fill("input[name=name]", "web-admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_url("**/value")
    assert page.locator("h1").inner_text() == "Value"
    cookie = next(c for c in context.cookies() if c["name"] == "vcrm_session")
    assert cookie["httpOnly"]
    page.click("header form button")
    page.wait_for_url("**/login")
    page.goto(f"{web_server.url}/value")
    assert "/login" in page.url
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_page_renders_its_charts_without_errors(admin: BrowserContext, web_server: Server,
                                                      customer_id: str, lang: str):
    for path in (*PAGES, f"/customers/{customer_id}", "/customers?q=C0"):
        sep = "&" if "?" in path else "?"
        page, errors = open_page(admin, f"{web_server.url}{path}{sep}lang={lang}")
        assert errors == [], (path, errors)
        assert page.locator("html").get_attribute("lang") == lang
        charts = page.locator(".chart[data-figure]")
        for i in range(charts.count()):
            assert charts.nth(i).evaluate(
                "el => el.classList.contains('js-plotly-plot') && "
                "el.querySelector('svg.main-svg') !== null"), (path, i)
        if path in PAGES[:5]:
            assert charts.count() >= 2, path
        if path in ("/overview", "/lifecycle"):  # trends, migration (two snapshots), cohorts
            assert charts.count() >= 3, path
        drawn = set(charts.evaluate_all("els => els.map(e => e.id)"))
        if path == "/models":
            assert {"chart-palive", "chart-tracking", "chart-fr"} <= drawn, drawn
        if path == f"/customers/{customer_id}":
            assert {"chart-timeline", "chart-palive"} <= drawn, drawn
        if lang == "zh-CN":
            text = page.evaluate(VISIBLE_TEXT_JS)
            assert stray_english(text) == [], (path, stray_english(text))
        page.close()


def test_customer_page_palive_over_time_and_histories(admin: BrowserContext,
                                                      web_server: Server, customer_id: str):
    with web_server.client("admin") as client:
        view = client.get(f"/api/customers/{customer_id}").json()
        latest = client.get("/api/snapshots/latest").json()
    page, errors = open_page(admin, f"{web_server.url}/customers/{customer_id}?lang=en")
    assert errors == []
    figure = json.loads(page.locator("#figure-palive").text_content())
    line = figure["data"][0]
    assert line["x"][-1] == latest["as_of"]  # up to the snapshot's as-of date
    assert all(0 <= p <= 1 for p in line["y"])
    value = page.locator("dl.facts dd").nth(9).inner_text()  # P(alive) of the value row
    shown, _, interval = value.partition(" (")  # "0.014 (90% interval 0.010 to 0.018)"
    assert f"{line['y'][-1]:.3f}" == shown
    assert interval.startswith("90% interval ") and interval.endswith(")")
    headings = page.locator("section.card h2").all_inner_texts()
    for title in ("Interactions", "Complaints", "Survey answers", "Loyalty points",
                  "Segment history"):
        assert any(h.startswith(title) for h in headings), (title, headings)
    assert view["interactions"]["total"] >= 0
    page.close()


def test_models_page_tracking_and_frequency_recency(admin: BrowserContext, web_server: Server):
    page, errors = open_page(admin, f"{web_server.url}/models?lang=en")
    assert errors == []
    tracking = json.loads(page.locator("#figure-tracking").text_content())
    actual, expected = tracking["data"][0]["y"], tracking["data"][1]["y"]
    assert actual == sorted(actual) and expected == sorted(expected)  # cumulative
    assert actual[-1] > 0 and 0.3 < expected[-1] / actual[-1] < 3
    assert tracking["layout"]["shapes"][0]["x0"]  # the holdout's start is marked
    grid = json.loads(page.locator("#figure-fr").text_content())["data"][0]["z"]
    assert len(grid) >= 2 and all(v is not None and v >= 0 for row in grid for v in row)
    assert grid[-1][-1] > grid[-1][0]  # frequent and recent buyers are expected to buy more
    page.close()


def test_rfm_page_shows_segments_with_actions(admin: BrowserContext, web_server: Server):
    page, _ = open_page(admin, f"{web_server.url}/rfm?lang=zh-CN")
    table = page.locator("table").first.inner_text()
    assert "冠军客户" in table or "休眠客户" in table
    assert "奖励" in table or "折扣" in table
    assert page.locator(".js-plotly-plot .heatmaplayer").count() == 1
    assert page.locator(".js-plotly-plot .treemap").count() >= 1
    page.close()


def test_language_switch_keeps_the_page_and_is_remembered(admin: BrowserContext,
                                                          web_server: Server):
    page, _ = open_page(admin, f"{web_server.url}/value?lang=en")
    assert page.locator("h1").inner_text() == "Value"
    page.click("a.lang-switch")
    page.wait_for_url("**/value?lang=zh-CN")
    assert page.locator("h1").inner_text() == "客户价值"
    page.goto(f"{web_server.url}/models")  # no lang in the URL: the cookie decides
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("nav a.active").inner_text() == "模型"
    page.click("a.lang-switch")
    page.wait_for_url("**/models?lang=en")
    assert page.locator("nav a.active").inner_text() == "Models"
    page.close()


def test_dates_and_numbers_follow_the_language(admin: BrowserContext, web_server: Server):
    page, _ = open_page(admin, f"{web_server.url}/overview?lang=zh-CN")
    snapshot_line = page.locator(".snapshot").inner_text()
    assert "年" in snapshot_line and "月" in snapshot_line and "日" in snapshot_line
    assert page.locator(".kpi strong").first.inner_text() == "500"
    page.goto(f"{web_server.url}/overview?lang=en")
    assert "As of " in page.locator(".snapshot").inner_text()
    page.close()


def test_viewer_sees_masked_personal_data(browser: Browser, admin: BrowserContext,
                                          web_server: Server, customer_id: str):
    with web_server.client("admin") as client:
        profile = client.get(f"/api/customers/{customer_id}").json()["profile"]
    context = sign_in(browser, web_server, "viewer")
    page, errors = open_page(context, f"{web_server.url}/customers/{customer_id}")
    assert errors == []
    shown = {field: page.locator(f"dd[data-field={field}]").inner_text()
             for field in ("name", "email", "phone")}
    assert shown == {"name": mask_name(profile["name"]), "email": mask_email(profile["email"]),
                     "phone": mask_phone(profile["phone"])}
    html = page.content()
    assert profile["email"] not in html and profile["phone"] not in html
    page.close()
    context.close()
    admin_page = admin.new_page()
    admin_page.goto(f"{web_server.url}/customers/{customer_id}")
    assert admin_page.locator("dd[data-field=email]").inner_text() == profile["email"]
    admin_page.close()


def test_phone_viewport(browser: Browser, web_server: Server, tmp_path: Path):
    context = sign_in(browser, web_server, "admin", lang="zh-CN",
                      viewport={"width": 390, "height": 844})
    page, errors = open_page(context, f"{web_server.url}/overview")
    assert errors == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    boxes = [page.locator(".chart").nth(i).bounding_box() for i in range(2)]
    assert all(box is not None and box["width"] <= 390 for box in boxes)
    assert boxes[1]["y"] > boxes[0]["y"]  # one column: the charts are stacked
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    context.close()


def test_plotly_comes_from_the_installed_package_with_caching(web_server: Server):
    from plotly.offline import get_plotlyjs

    response = httpx.get(f"{web_server.url}/static/plotly.min.js", timeout=30)
    assert response.status_code == 200
    assert response.text == get_plotlyjs()
    etag = response.headers["etag"]
    again = httpx.get(f"{web_server.url}/static/plotly.min.js",
                      headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304
    page = httpx.get(f"{web_server.url}/login", timeout=30).text
    assert "cdn" not in page.lower()


def test_action_lists_export_for_analysts_only(browser: Browser, admin: BrowserContext,
                                               web_server: Server):
    page, errors = open_page(admin, f"{web_server.url}/actions?list=retention")
    assert errors == []
    with page.expect_download() as download:
        page.click("a[href='/actions/retention.csv']")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcustomer_id,")  # trust 11: a BOM, so Excel reads UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("customer_id,name,email,phone")
    assert ",True," not in raw.decode("utf-8-sig") and ",False," not in raw.decode("utf-8-sig")
    assert len(lines) >= 2
    page.close()
    viewer = sign_in(browser, web_server, "viewer")
    viewer_page, _ = open_page(viewer, f"{web_server.url}/actions?list=winback")
    assert viewer_page.locator("a[href$='.csv']").count() == 0
    assert viewer.request.get(f"{web_server.url}/actions/winback.csv").status == 403
    viewer.close()
