"""A real server over a small analysed database, and headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (``scripts/test`` installs it when missing); Playwright
never downloads one. The database: ``valuecrm.generate`` (Chinese and English names, e-mail
addresses, phone numbers), analysed once, with a viewer and an admin who also has a password.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.servers import ApiData, Server, start_server
from tests.helpers.web import ADMIN_PASSWORD, CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def web_data(tmp_path_factory: pytest.TempPathFactory) -> ApiData:
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.store import connect
    from valuecrm.store.users import add_user
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("web-template") / "crm.duckdb"
    generate(500, db=path, seed=7)
    with connect(path) as database:
        config = AnalysisConfig(candidates=("BetaGeo",))  # one model: fast
        last = database.raw.execute("SELECT max(ordered_at) FROM orders").fetchone()[0]
        analyze(database, as_of=(last - dt.timedelta(days=120)).date(), config=config)
        analyze(database, config=config)  # two snapshots: trends and segment migration
        tokens = {"viewer": add_user(database.raw, "web-viewer", "viewer")[1],
                  "admin": add_user(database.raw, "web-admin", "admin",
                                    password=ADMIN_PASSWORD)[1]}
    return ApiData(path, tokens)


@pytest.fixture(scope="module")
def demo_db(demo_run: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's CDNOW demo database (``valuecrm demo``), for users to be added."""
    folder, out = demo_run
    assert out.returncode == 0, out.stderr
    path = tmp_path_factory.mktemp("web-demo") / "demo.duckdb"
    shutil.copy(folder / "demo.duckdb", path)
    return path


@pytest.fixture(scope="session")
def web_server(web_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(web_data, tmp_path_factory.mktemp("web-server"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test (it installs Debian's chromium) "
                    "or 'apt-get install chromium'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
