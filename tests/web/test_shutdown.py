"""The server stops the dashboard's cache warm-up before it closes the database: a DuckDB query
still running on a closed database crashed a test worker with a segmentation fault (the
warm-up thread was in ``group_summary`` while the app's lifespan closed the connection)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path


def test_the_warm_up_has_ended_when_the_app_has_stopped(sample_db: Path, tmp_path: Path):
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
        from fastapi.testclient import TestClient
    db = tmp_path / "served.duckdb"
    shutil.copy(sample_db, db)
    for _ in range(3):  # stop at once, while the warm-up is still computing
        app = create_app(db)
        with TestClient(app):
            thread, _stop = app.state.warmup
        assert not thread.is_alive()
