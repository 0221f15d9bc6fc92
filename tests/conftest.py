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
