"""A real server in a thread of the test process, for tests that must hold or replace library
code the server calls (``monkeypatch`` reaches it): uvicorn on a free port, a real HTTP client.

Each server gets a copy of the session's analysed template (``api_data``), so writes stay there.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.helpers.servers import ApiData, free_port

STARTUP_SECONDS = 60


@dataclass(frozen=True)
class ThreadedServer:
    """A running in-process server and the tokens of its users."""

    url: str
    db_path: Path
    tokens: dict[str, str]

    def client(self, role: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60,
                            headers={"Authorization": f"Bearer {self.tokens[role]}"})


def copy_database(data: ApiData, folder: Path) -> Path:
    """A copy of the template database in ``folder``, for one server to change."""
    db_path = folder / "threaded.duckdb"
    shutil.copy(data.path, db_path)
    return db_path


@contextmanager
def serve_in_thread(db_path: Path, tokens: dict[str, str]) -> Iterator[ThreadedServer]:
    """Serve the database at ``db_path`` (its users have ``tokens``) until the block ends;
    the dashboard's cache warm-up has ended when the block starts."""
    from valuecrm.interfaces.server import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_path), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the in-process server did not start")
            time.sleep(0.05)
        for other in threading.enumerate():  # the dashboard's cache warm-up fits a model:
            if other.name == "valuecrm-warmup":  # let it end before a test replaces code
                other.join(STARTUP_SECONDS)
        yield ThreadedServer(f"http://127.0.0.1:{port}", db_path, tokens)
    finally:
        server.should_exit = True
        thread.join(30)
