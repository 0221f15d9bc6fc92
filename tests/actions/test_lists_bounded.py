"""Customer lists stay in the engine (issue 16, point 7): the retention, win-back, next-best and
up-sell lists are written by DuckDB to a file once per snapshot; an answer reads a page of it,
the downloads and ``--out`` stream it, and no step brings a row per customer of the whole list
to Python. The rows and their order are those of the public DataFrame functions."""

from __future__ import annotations

import csv
import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.reads import Pulls, record_pulls
from valuecrm import views
from valuecrm.actions import retention_list, winback_list
from valuecrm.store import connect
from valuecrm.store.users import add_user
from valuecrm.views import cross_sell

PAGE = 7


@pytest.fixture
def pulls(monkeypatch: pytest.MonkeyPatch) -> Pulls:
    return record_pulls(monkeypatch)


def _pages(read: Any, rows: int) -> Iterator[dict[str, Any]]:
    for offset in range(0, rows, PAGE):
        yield from read(offset, PAGE)["customers"]


def test_pages_of_the_lists_are_the_lists_and_never_pull_them_whole(two_snapshots, pulls):
    with connect(two_snapshots.path, read_only=True) as database:
        expected = {"retention": retention_list(database), "winback": winback_list(database)}
        pulls.sizes.clear()
        for kind, frame in expected.items():
            first = views.action_list(database, kind, limit=PAGE)
            assert first["rows"] == len(frame) > 3 * PAGE
            assert len(first["customers"]) == PAGE
            rows = list(_pages(lambda offset, limit, kind=kind: views.action_list(
                database, kind, offset=offset, limit=limit), first["rows"]))
            assert [r["customer_id"] for r in rows] == frame["customer_id"].tolist()
            assert [r["action"] for r in rows] == frame["action"].tolist()
            counts = frame["reason"].value_counts()
            assert list(first["by_reason"].items()) == list(counts.items())
        # the lists were built and written by DuckDB: no per-customer result came to Python
        # beyond a page (the DataFrame functions above pull each whole list)
        assert pulls.most() <= PAGE, pulls.sizes


def test_offer_lists_are_paged_from_the_engine(two_snapshots, pulls):
    with connect(two_snapshots.path, read_only=True) as database:
        whole = cross_sell.next_best(database, level="category", min_support=0.01)
        ups = cross_sell.up_sell(database)
        pulls.sizes.clear()
        for read, full in ((lambda **k: cross_sell.next_best(database, level="category",
                                                             min_support=0.01, **k), whole),
                           (lambda **k: cross_sell.up_sell(database, **k), ups)):
            assert full["rows"] > 3 * PAGE
            rows = list(_pages(lambda offset, limit, read=read: read(offset=offset,
                                                                     limit=limit),
                               full["rows"]))
            assert rows == full["customers"]
            assert read(limit=PAGE)["customers_reached"] == full["customers_reached"]
        assert pulls.most() == 0, pulls.sizes


def test_the_cli_streams_json_and_files(monkeypatch, capsys, two_snapshots, tmp_path):
    """``--json`` is printed a page at a time and reads as one document; ``--out`` files are
    written by DuckDB with the same rows (CSV with a BOM, dates as dates)."""
    import valuecrm.interfaces.commands._reading as reading

    db = str(two_snapshots.path)
    with connect(two_snapshots.path, read_only=True) as database:
        frame = winback_list(database)
    monkeypatch.setattr(reading, "LIST_PAGE", PAGE)
    result = run(monkeypatch, capsys, "--db", db, "actions", "winback", "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert [r["customer_id"] for r in payload["customers"]] == frame["customer_id"].tolist()
    assert payload["rows"] == len(frame) and payload["limit"] is None
    target = tmp_path / "winback.csv"
    result = run(monkeypatch, capsys, "--db", db, "actions", "winback", "--out", str(target))
    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"\xef\xbb\xbfcustomer_id,")
    with target.open(encoding="utf-8-sig") as handle:
        written = list(csv.DictReader(handle))
    assert [r["customer_id"] for r in written] == frame["customer_id"].tolist()
    assert {r["snapshot_date"] for r in written} == {"2025-12-31"}
    assert {r["poor_recovery"] for r in written} <= {"true", "false"}
    target = tmp_path / "up.parquet"
    result = run(monkeypatch, capsys, "--db", db, "up-sell", "--out", str(target))
    assert result.code == 0, result.err
    with connect(two_snapshots.path, read_only=True) as database:
        expected = pd.DataFrame(cross_sell.up_sell(database)["customers"])
    pd.testing.assert_frame_equal(pd.read_parquet(target), expected, check_dtype=False)


@pytest.fixture
def client(two_snapshots, tmp_path) -> Iterator[tuple[Any, dict[str, str]]]:
    from valuecrm.interfaces.server import create_app

    path = shutil.copy(two_snapshots.path, tmp_path / "crm.duckdb")
    with connect(path) as database:
        tokens = {role: add_user(database.raw, role, role)[1] for role in ("viewer", "analyst")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(path), raise_server_exceptions=False) as test_client:
        yield test_client, tokens


def test_the_api_pages_and_streams_the_lists(client, two_snapshots, pulls, tmp_path):
    test_client, tokens = client
    analyst = {"Authorization": f"Bearer {tokens['analyst']}"}
    with connect(two_snapshots.path, read_only=True) as database:
        frame = winback_list(database)
    pulls.sizes.clear()
    page = test_client.get("/api/actions/winback", params={"offset": 10, "limit": 5},
                           headers=analyst).json()
    assert page["rows"] == len(frame) and page["offset"] == 10 and page["limit"] == 5
    assert [r["customer_id"] for r in page["customers"]] == frame["customer_id"][10:15].tolist()
    assert len(test_client.get("/api/actions/winback", headers=analyst).json()["customers"]) \
        == min(len(frame), 1000)
    for format in ("csv", "parquet"):
        answer = test_client.get("/api/exports/actions/winback", params={"format": format},
                                 headers=analyst)
        assert answer.status_code == 200, answer.text
        assert int(answer.headers["x-rows"]) == len(frame)
        target = tmp_path / f"winback.{format}"
        target.write_bytes(answer.content)
        got = (pd.read_parquet(target) if format == "parquet"
               else pd.read_csv(target, encoding="utf-8-sig", dtype={"customer_id": str}))
        assert got["customer_id"].tolist() == frame["customer_id"].tolist()
    for path in ("/api/exports/next-best", "/api/exports/up-sell"):
        answer = test_client.get(path, headers=analyst)
        assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbfcustomer_id")
        assert test_client.get(path, headers={
            "Authorization": f"Bearer {tokens['viewer']}"}).status_code == 403
    assert pulls.most() <= 5, pulls.sizes


def test_an_in_memory_database_gets_its_lists_too(two_snapshots):
    """Without a file there is no state to keep lists for: each answer writes its own."""
    con = ibis.duckdb.connect()
    con.raw_sql(f"ATTACH '{two_snapshots.path}' AS base (READ_ONLY)")
    con.raw_sql("COPY FROM DATABASE base TO memory")
    from valuecrm.store import Database

    database = Database(con, None)
    found = views.action_list(database, "retention", limit=3)
    assert len(found["customers"]) == 3 and found["rows"] > 3


def test_lists_of_old_states_and_of_removed_databases_are_removed(two_snapshots, tmp_path):
    from valuecrm.views.stored_lists import _folder

    gone = shutil.copy(two_snapshots.path, tmp_path / "gone.duckdb")
    with connect(gone, read_only=True) as database:
        views.action_list(database, "retention", limit=1)
        old = _folder(database)
    Path(gone).unlink()
    kept = shutil.copy(two_snapshots.path, tmp_path / "kept.duckdb")
    with connect(kept) as database:
        views.action_list(database, "retention", limit=1)
        first = _folder(database)
        assert not old.exists() and first.exists()  # the removed database's lists are gone
        database.raw.execute("UPDATE snapshots SET created_at = created_at + INTERVAL 1 SECOND")
        views.action_list(database, "retention", limit=1)
        assert not first.exists() and _folder(database).exists()  # a new state
