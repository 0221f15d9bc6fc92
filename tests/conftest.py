"""Shared fixtures: real DuckDB files in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("VALUECRM_PROGRESS", "0")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.duckdb"


@pytest.fixture
def db(db_path: Path):
    from valuecrm.store import connect

    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """``valuecrm demo --json`` run once per session on the real CDNOW data: its folder (with
    ``demo.duckdb`` and ``report.html``) and the finished process. Tests that write to the
    database copy it first."""
    folder = tmp_path_factory.mktemp("demo")
    out = subprocess.run(
        [sys.executable, "-m", "valuecrm", "--db", str(folder / "demo.duckdb"), "demo",
         "--report", str(folder / "report.html"), "--json"],
        capture_output=True, text=True, cwd=folder, timeout=600,
    )
    return folder, out


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With ``--dist loadgroup``: the tests of a module run on one worker, in order, so its
    module-scoped fixtures (servers, loaded databases) are built once; Spark tests share one
    worker, so Spark starts once per run."""
    for item in items:
        group = "spark" if item.get_closest_marker("spark") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
