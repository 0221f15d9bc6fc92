"""A real ``valuecrm serve`` process over a copy of a template database: the template's path and
user tokens (``ApiData``), the running server (``Server``) and how to start one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROLES = ("viewer", "analyst", "admin")
STARTUP_SECONDS = 120


@dataclass(frozen=True)
class ApiData:
    """The template database and the tokens of its users."""

    path: Path
    tokens: dict[str, str]  # role -> token, plus "revoked"


@dataclass(frozen=True)
class Server:
    """A running ``valuecrm serve`` process."""

    url: str
    db_path: Path
    tokens: dict[str, str]
    log_path: Path

    def client(self, role: str | None = None, token: str | None = None) -> httpx.Client:
        """An HTTP client sending the token of ``role`` (or ``token``; none if neither)."""
        token = token if token is not None else (self.tokens[role] if role else None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data: ApiData, folder: Path,
                 env: dict[str, str] | None = None) -> Iterator[Server]:
    """Copy the template database into ``folder``, serve it (with ``env`` added to the
    environment), wait for /api/health."""
    db_path = folder / "served.duckdb"
    shutil.copy(data.path, db_path)
    port = free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "valuecrm", "--db", str(db_path), "serve", "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"The server exited with {process.returncode}:\n"
                            + log_path.read_text())
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("The server did not answer /api/health in time:\n"
                            + log_path.read_text())
            time.sleep(0.2)
        yield Server(url, db_path, data.tokens, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
