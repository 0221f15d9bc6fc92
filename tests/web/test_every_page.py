"""Every link of the dashboard answers 200 with an HTML page, in English and in 简体中文: on the
real CDNOW demo (``valuecrm demo``) and on a generated database (``valuecrm generate`` and
``analyze``), through the real app in FastAPI's TestClient (issue 12, point 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.web import signed_in

LINK = re.compile(r'href="(/[^"#]*)"')
SKIPPED = ("/static", "/api", "/docs", "/login", "/logout")
DOWNLOADS = (".csv", ".parquet")
CUSTOMER_PAGES = 3  # of the many /customers/ID links, the first few


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``valuecrm generate --customers 300`` then ``valuecrm analyze`` (default settings)."""
    from valuecrm.analysis import analyze
    from valuecrm.store import connect
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("pages-generated") / "crm.duckdb"
    generate(300, db=path, seed=12)
    with connect(path) as database:
        analyze(database)
    return path


def links_of(html: str) -> list[str]:
    """The dashboard's own links on a page: no sign-out, static files, API or downloads."""
    found = {link.replace("&amp;", "&") for link in LINK.findall(html)}
    return sorted(link for link in found if not link.startswith(SKIPPED)
                  and not link.split("?")[0].endswith(DOWNLOADS))


def walk(path: Path) -> tuple[list[str], list[str]]:
    """Every navigation link of the overview, then every link on those pages (a few customer
    pages), each asked for in both languages: the links and the failures."""
    failures: list[str] = []
    for client, overview in signed_in(path, "page-walker"):
        navigation = [link for link in links_of(overview) if "?" not in link]
        assert len(navigation) >= 7, navigation
        seen = set(navigation)
        for link in navigation:
            seen |= set(links_of(client.get(link, params={"lang": "en"}).text))
        customers = sorted(link for link in seen if link.startswith("/customers/"))
        visited = sorted((seen - set(customers)) | set(customers[:CUSTOMER_PAGES]))
        for link in visited:
            for lang in ("en", "zh-CN"):
                sep = "&" if "?" in link else "?"
                answer = client.get(f"{link}{sep}lang={lang}")
                kind = answer.headers.get("content-type", "")
                if answer.status_code != 200 or "text/html" not in kind:
                    failures.append(f"{link} ({lang}): {answer.status_code} {kind} "
                                    f"{answer.text[:120]!r}")
                elif f'<html lang="{lang}">' not in answer.text:
                    failures.append(f"{link} ({lang}): the page is not in {lang}")
    return visited, failures


def test_every_page_of_the_demo_answers_html_in_both_languages(demo_db):
    visited, failures = walk(demo_db)
    assert "/models" in visited and "/actions?list=winback" in visited
    assert failures == []


def test_every_page_of_a_generated_database_answers_html_in_both_languages(generated_db):
    visited, failures = walk(generated_db)
    assert "/models" in visited and any(link.startswith("/customers/") for link in visited)
    assert failures == []


def test_frequency_recency_grid_stays_within_the_demo_history(demo_db):
    """The demo's history is 77.86 weeks: the grid's last recency is the history itself, not
    the 78 weeks it rounds to (recency > T is no customer, and the model refuses it)."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.interfaces.web.queries import frequency_cap
    from valuecrm.store import connect
    from valuecrm.views.model_figures import frequency_recency

    with connect(demo_db, read_only=True) as database:
        snapshot = get_snapshot(database, None)
        grid = frequency_recency(snapshot, frequency_cap(database.raw, snapshot.snapshot_id))
    history = snapshot.metadata["holdout"]["history_weeks"]
    assert history % 1 > 0.5  # the case that rounded past the history
    assert grid is not None and max(grid["recency_weeks"]) == history
    assert all(v is not None for row in grid["expected"][1:] for v in row[1:])
