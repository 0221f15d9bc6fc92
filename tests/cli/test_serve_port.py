"""``valuecrm serve`` on a port another program listens on: one clear message naming the port and
what to do, no banner and no traceback, exit code 5 (documented in ``--help`` and the README),
and the database is left alone (another command can open it at once)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import run


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port held by a real listening socket for the length of the test."""
    with socket.create_server(("127.0.0.1", 0)) as holder:
        yield holder.getsockname()[1]


def test_a_busy_port_is_refused_before_the_banner(monkeypatch, capsys, empty_db: Path,
                                                  busy_port: int):
    done = run(monkeypatch, capsys, "--db", str(empty_db), "serve", "--host", "127.0.0.1",
               "--port", str(busy_port))
    assert done.code == 5, done
    assert "Serving" not in done.out and "Traceback" not in done.err + done.out
    message = " ".join(done.err.split())
    assert f"Port {busy_port} on 127.0.0.1 is already in use by another program" in message
    assert "--port " in message
    # the database was not opened and held: a writing command works at once
    assert run(monkeypatch, capsys, "--db", str(empty_db), "users", "list").code == 0


def test_the_exit_code_is_documented(monkeypatch, capsys):
    done = run(monkeypatch, capsys, "--help")
    assert "5 'serve' cannot listen on its port" in " ".join(done.out.split())
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "5 `serve`\ncannot listen on its port" in readme


def test_the_suggested_port_is_free(busy_port: int):
    from valuecrm.errors import PortUnavailableError
    from valuecrm.interfaces.commands.serve import bind

    with pytest.raises(PortUnavailableError) as refused:
        bind("127.0.0.1", busy_port)
    suggested = int(refused.value.hint.rsplit("--port ", 1)[1].rstrip("."))
    bind("127.0.0.1", suggested).close()
