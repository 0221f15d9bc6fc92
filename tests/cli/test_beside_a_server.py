"""A running 'valuecrm serve' holds the database for writing. The reading commands that print a
view (kpis, segments, actions, migration, cohorts, evaluate-holdout, customers list and show)
ask the server for it through the endpoint file beside the database, and print exactly what
they print without the server; customers export and report download the file the server
writes; the commands that write, stop with a message naming the API route (exit code 4),
never with DuckDB's raw lock error."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.cli import run
from tests.helpers.servers import STARTUP_SECONDS, ApiData, Server, free_port, start_server
from valuecrm.interfaces.commands._endpoint import endpoint_path, read_endpoint

READS = [
    ("kpis",), ("kpis", "--json"),
    ("segments", "--by", "status"), ("segments", "--by", "tier", "--json"),
    ("actions", "retention", "--top", "5"), ("actions", "retention", "--json"),
    ("actions", "winback", "--top", "5"), ("actions", "winback", "--json"),
    ("up-sell", "--json"), ("cross-sell", "--level", "category", "--json"),
    ("migration", "--from", "2", "--to", "1", "--by", "status"),
    ("migration", "--from", "1997-12-31", "--to", "1998-06-30", "--json"),
    ("cohorts", "--period", "Q"), ("cohorts", "--period", "Y", "--json"),
    ("customers", "list", "--status", "at risk", "--sort", "p_alive", "--limit", "7"),
    ("customers", "list", "--search", "004", "--offset", "2", "--json"),
    ("customers", "show", "0042"), ("customers", "show", "0042", "--limit", "3", "--json"),
    ("snapshots",), ("snapshots", "--json"),
    ("evaluate-holdout", "--calibration-end", "1997-09-30", "--bootstrap", "50"),
    ("evaluate-holdout", "--calibration-end", "1997-09-30", "--model", "BetaGeo", "--model",
     "ParetoNBD", "--bootstrap", "20", "--json"),
    ("campaign", "list"), ("campaign", "list", "--json"),
]
CHART_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(ApiData(sample_db, {}), tmp_path_factory.mktemp("served"))


def valuecrm(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "valuecrm", "--db", str(server.db_path), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_reading_commands_print_the_same_beside_the_server(monkeypatch, capsys, sample_db,
                                                           server, command):
    alone = run(monkeypatch, capsys, "--db", str(sample_db), *command)  # no server on it
    assert alone.code == 0, alone.err
    beside = run(monkeypatch, capsys, "--db", str(server.db_path), *command)
    assert beside.code == 0, beside.err
    assert beside.out == alone.out
    assert beside.err == ""


def test_a_bad_option_beside_the_server_is_bad_input(monkeypatch, capsys, server):
    done = run(monkeypatch, capsys, "--db", str(server.db_path), "migration", "--from", "1",
               "--to", "9")
    assert done.code == 2, done.err
    assert "snapshot" in done.err.lower() and "Traceback" not in done.err


@pytest.mark.parametrize(("command", "route"), [
    (("analyze",), "POST /api/analyses"),
    (("ingest", "orders", "orders.csv"), "POST /api/ingest/orders"),
    (("campaign", "measure", "K1"), "POST /api/campaigns/K1/measurement"),
])
def test_other_commands_say_what_to_do(monkeypatch, capsys, tmp_path, server, command, route):
    monkeypatch.chdir(tmp_path)
    if command[0] == "ingest":
        (tmp_path / "orders.csv").write_text("order_id,customer_id,ordered_at,amount\n"
                                             "x1,0042,1998-01-02,10\n")
    before = sorted(tmp_path.iterdir())
    done = run(monkeypatch, capsys, "--db", str(server.db_path), *command)
    assert done.code == 4, done.err
    message = " ".join(done.err.split())
    assert "in use by another process" in message and "valuecrm serve" in message
    assert route in message and "stop the server" in message
    assert "read-only" not in message  # there is no such option
    assert "IO Error" not in message and "Conflicting lock" not in message
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("name", ["winback.csv", "retention.parquet"])
def test_action_lists_write_the_same_file_beside_the_server(monkeypatch, capsys, tmp_path,
                                                             sample_db, server, name):
    """--out beside the server downloads the list the server streams from its copy
    (GET /api/exports/actions/{kind}): the same rows, and for CSV the same bytes."""
    import pandas as pd

    kind = name.split(".")[0]
    (tmp_path / "alone").mkdir()
    (tmp_path / "beside").mkdir()
    alone = run(monkeypatch, capsys, "--db", str(sample_db), "actions", kind, "--out",
                str(tmp_path / "alone" / name))
    assert alone.code == 0, alone.err
    beside = run(monkeypatch, capsys, "--db", str(server.db_path), "actions", kind, "--out",
                 str(tmp_path / "beside" / name))
    assert beside.code == 0, beside.err
    assert beside.out.replace("beside", "alone") == alone.out
    first, second = tmp_path / "alone" / name, tmp_path / "beside" / name
    if name.endswith(".csv"):
        assert first.read_bytes() == second.read_bytes()
    else:
        pd.testing.assert_frame_equal(pd.read_parquet(first), pd.read_parquet(second))


@pytest.mark.parametrize("name", ["value.csv", "value.parquet"])
def test_customers_export_writes_the_same_file_beside_the_server(monkeypatch, capsys, tmp_path,
                                                                  sample_db, server, name):
    """The server writes the file (GET /api/exports/customer_value, the same filters) and the
    command downloads it: the same bytes for CSV, the same rows for Parquet (the server
    compresses it otherwise), the same summary."""
    import pyarrow.parquet as pq

    filters = ("--status", "at risk", "--tier", "key", "--snapshot", "1998-06-30")
    (tmp_path / "alone").mkdir()
    (tmp_path / "beside").mkdir()
    alone = run(monkeypatch, capsys, "--db", str(sample_db), "customers", "export", "--out",
                str(tmp_path / "alone" / name), *filters, "--json")
    assert alone.code == 0, alone.err
    beside = run(monkeypatch, capsys, "--db", str(server.db_path), "customers", "export",
                 "--out", str(tmp_path / "beside" / name), *filters, "--json")
    assert beside.code == 0, beside.err
    summary, expected = json.loads(beside.out), json.loads(alone.out)
    assert 0 < summary["rows"] == expected["rows"]
    assert {k: summary[k] for k in ("format", "snapshot_id", "as_of")} == {
        k: expected[k] for k in ("format", "snapshot_id", "as_of")}
    written, wanted = tmp_path / "beside" / name, tmp_path / "alone" / name
    if name.endswith(".csv"):
        assert written.read_bytes() == wanted.read_bytes()
    else:
        assert pq.read_table(written).equals(pq.read_table(wanted))
    assert sorted(p.name for p in (tmp_path / "beside").iterdir()) == [name]  # no partial file


def test_customers_export_beside_the_server_checks_its_options(monkeypatch, capsys, tmp_path,
                                                               server):
    done = run(monkeypatch, capsys, "--db", str(server.db_path), "customers", "export",
               "--out", str(tmp_path / "x.csv"), "--tier", "gold")
    assert done.code == 2, done.err
    assert "tier" in done.err and "Traceback" not in done.err
    assert list(tmp_path.iterdir()) == []


def test_report_writes_the_same_html_beside_the_server(monkeypatch, capsys, tmp_path,
                                                       sample_db, server):
    """GET /api/report answers the HTML the command writes. Two things differ between any two
    runs, so they are left out: the footer's generation time ('generated YYYY-MM-DD HH:MM UTC')
    and the random ids plotly gives each chart's element; and the sources name the database
    file as the process that read it was given it (here two copies)."""
    options = ("--snapshot", "1998-06-30", "--lang", "zh-CN", "--json")
    alone = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--out",
                str(tmp_path / "alone.html"), *options)
    assert alone.code == 0, alone.err
    beside = run(monkeypatch, capsys, "--db", str(server.db_path), "report", "--out",
                 str(tmp_path / "beside.html"), *options)
    assert beside.code == 0, beside.err
    assert json.loads(beside.out)["sections"] == json.loads(alone.out)["sections"]

    def lines(name: str) -> list[str]:
        text = CHART_ID.sub("CHART", (tmp_path / name).read_text(encoding="utf-8"))
        text = text.replace(str(server.db_path), "DB").replace(str(sample_db), "DB")
        return [line for line in text.splitlines() if not line.startswith("<footer>")]

    assert lines("beside.html") == lines("alone.html")
    assert len(lines("alone.html")) == len((tmp_path / "alone.html").read_text().splitlines()) - 1


def test_json_error_for_scripts(server, tmp_path):
    """In a process of its own, as a script would run it."""
    done = valuecrm(server, "analyze", "--json")
    assert done.returncode == 4
    error = json.loads(done.stdout)
    assert error["error"] == "database_locked" and "/api/" in error["hint"]
    assert server.client().get("/api/health").status_code == 200  # the server is unharmed


def test_the_endpoint_file_is_private_and_its_identity_only_reads(server):
    path = endpoint_path(server.db_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    endpoint = read_endpoint(server.db_path)
    assert endpoint is not None and endpoint.url == server.url
    reader = server.client(token=endpoint.token)
    assert reader.get("/api/kpis").status_code == 200
    refused = reader.post("/api/analyses", json={})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert server.client(token="local-guess").get("/api/kpis").status_code == 401


def test_the_endpoint_file_goes_with_the_server(sample_db, tmp_path):
    db = tmp_path / "crm.duckdb"
    shutil.copy(sample_db, db)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "valuecrm", "--db", str(db), "serve",
                                "--port", str(port), "--log-level", "warning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while read_endpoint(db) is None or not _answers(port):
            assert process.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.2)
    finally:
        process.terminate()  # what Ctrl-C or a service manager does
        process.wait(timeout=STARTUP_SECONDS)
    assert not endpoint_path(db).exists()


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_a_stale_endpoint_file_is_ignored(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    db = tmp_path / "crm.duckdb"
    endpoint_path(db).write_text(json.dumps({"pid": gone.pid, "url": "http://127.0.0.1:9",
                                             "token": "local-x"}))
    assert read_endpoint(db) is None
    endpoint_path(db).write_text(json.dumps({"pid": os.getpid(), "url": "http://127.0.0.1:9",
                                             "token": "local-x"}))
    assert read_endpoint(db) is not None
