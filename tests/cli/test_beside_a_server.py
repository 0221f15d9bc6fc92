"""A running 'valuecrm serve' holds the database for writing: reading commands on the same file
stop with a message that says what to do (use the API, or stop the server), exit code 4, and
never show DuckDB's raw lock error."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.api.conftest import ApiData, Server, start_server
from tests.cli_runner import run


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(ApiData(sample_db, {}), tmp_path_factory.mktemp("served"))


def valuecrm(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "valuecrm", "--db", str(server.db_path), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("command", "route"), [
    (("customers", "list"), "GET /api/snapshots/{id}/customers"),
    (("customers", "show", "0042"), "GET /api/customers/0042"),
    (("customers", "export", "--out", "value.csv"), "GET /api/exports/customer_value"),
    (("report", "--out", "report.html"), "/overview"),
])
def test_reading_commands_say_what_to_do(monkeypatch, capsys, tmp_path, server, command,
                                         route):
    monkeypatch.chdir(tmp_path)
    done = run(monkeypatch, capsys, "--db", str(server.db_path), *command)
    assert done.code == 4, done.err
    message = " ".join(done.err.split())
    assert "in use by another process" in message and "valuecrm serve" in message
    assert route in message and "stop the server" in message
    assert "IO Error" not in message and "Conflicting lock" not in message
    assert list(tmp_path.iterdir()) == []


def test_json_error_for_scripts(server):
    """In a process of its own, as a script would run it."""
    done = valuecrm(server, "customers", "list", "--json")
    assert done.returncode == 4
    error = json.loads(done.stdout)
    assert error["error"] == "database_locked" and "/api/" in error["hint"]
    assert server.client().get("/api/health").status_code == 200  # the server is unharmed
