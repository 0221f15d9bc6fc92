"""``valuecrm serve --memory-limit``: a cap on the memory DuckDB uses for the server (its cache
of the database and every query's work), refused in the words of the command line when it is
no size."""

from __future__ import annotations

import socket
import warnings
from pathlib import Path

from tests.helpers.cli import run


def test_the_server_runs_under_the_cap(empty_db: Path):
    from valuecrm.interfaces.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    app = create_app(empty_db, memory_limit="1gb")
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 200
        with app.state.valuecrm.cursor() as cur:
            limit = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "953.6 MiB"  # 1 GB as DuckDB writes it


def test_no_size_is_refused_with_the_option_named(monkeypatch, capsys, empty_db: Path):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free once closed
    done = run(monkeypatch, capsys, "--db", str(empty_db), "serve", "--port", str(port),
               "--memory-limit", "lots")
    assert done.code != 0 and "Serving" not in done.out
    message = " ".join(done.err.split())
    assert "--memory-limit must be a size of at least 64MB, e.g. 4GB. Got 'lots'" in message
    assert "Traceback" not in done.err + done.out
    assert run(monkeypatch, capsys, "--db", str(empty_db), "users", "list").code == 0
    with socket.create_server(("127.0.0.1", port)):
        pass  # and the port was let go
