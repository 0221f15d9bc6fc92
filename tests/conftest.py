"""Shared fixtures: real DuckDB files in a temporary folder."""

from __future__ import annotations

import os
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Spark tests share one worker (``--dist loadgroup``), so Spark starts once per run."""
    for item in items:
        if item.get_closest_marker("spark"):
            item.add_marker(pytest.mark.xdist_group("spark"))
