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


def test_the_warm_up_fills_every_cache_without_a_failure(sample_db: Path, tmp_path: Path,
                                                         caplog):
    """Each step of the warm-up runs: a renamed helper would only log a warning, so the
    pages would be computed on the first visit again without anyone noticing."""
    import logging

    from valuecrm.interfaces.server import create_app
    from valuecrm.interfaces.web.warmup import warm_caches

    db = tmp_path / "served.duckdb"
    shutil.copy(sample_db, db)
    app = create_app(db)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(app), caplog.at_level(logging.WARNING, logger="valuecrm.web"):
        thread, _stop = app.state.warmup
        thread.join(timeout=600)
        caplog.clear()
        warm_caches(app)  # again, in this thread, where caplog sees it
    assert [r.getMessage() for r in caplog.records if "warming" in r.getMessage()] == []


def test_the_warm_up_stops_quietly_when_the_server_stops_while_it_prepares(
        sample_db: Path, tmp_path: Path, monkeypatch, caplog):
    """The server stopping while the warm-up builds its steps (``database_of`` interrupted)
    ended the thread with an InterruptException that threading logged as a crash."""
    import logging
    import threading

    import duckdb

    from valuecrm.interfaces.server import create_app
    from valuecrm.interfaces.web import queries
    from valuecrm.interfaces.web.warmup import warm_caches

    db = tmp_path / "served.duckdb"
    shutil.copy(sample_db, db)
    app = create_app(db)
    stop = threading.Event()

    def interrupted(cur):
        stop.set()  # what stop_warming does, then it interrupts the cursor
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(app):
        thread, _stop = app.state.warmup
        thread.join(timeout=600)
        monkeypatch.setattr(queries, "database_of", interrupted)
        with caplog.at_level(logging.WARNING, logger="valuecrm.web"):
            warm_caches(app, stop)  # returns, raises nothing
    assert [r.getMessage() for r in caplog.records if "warming" in r.getMessage()] == []
