"""The server's lookup copy (valuecrm.views.lookup_copy): the per-customer tables in customer
order. The 360 view, the customer page's reads and the searches answer the same from it as
from the base tables; it is dropped when a write starts and a new one, built after the load,
sees the new rows."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.helpers.web import served_copy
from valuecrm.views import customer_page as one_customer
from valuecrm.views.customer360 import customer_360
from valuecrm.views.customers import search_customers
from valuecrm.views.lookup_copy import (
    build_copy,
    drop_copies,
    lookup_sources,
    ready_copy,
    search_index,
)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from valuecrm.analysis import analyze
    from valuecrm.store import connect
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("lookups") / "crm.duckdb"
    generate(300, db=path, seed=5)
    with connect(path) as database:
        analyze(database)
    return path


def lookups(cur: duckdb.DuckDBPyConnection, customer_id: str) -> dict[str, Any]:
    """Every per-customer read of the 360 view and the customer page."""
    from valuecrm.store import Database
    from valuecrm.views.acquisition import customer_referral
    from valuecrm.views.customers import customer_view

    reads = one_customer.customer_reads(cur, customer_id, timeline_limit=9, history_limit=5)
    if reads is not None:  # the page's one read of each table answers as the reads one by one
        assert reads == {"profile": one_customer.profile(cur, customer_id),
                         "timeline": one_customer.order_timeline(cur, customer_id, 9),
                         "histories": {t: one_customer.history(cur, t, customer_id, 5)
                                       for t in one_customer.HISTORY_TABLES},
                         "balance": one_customer.loyalty_balance(cur, customer_id),
                         "values": one_customer.value_by_snapshot(cur, customer_id),
                         "attributes": one_customer.attributes_of(cur, customer_id)}
    return {"360": customer_360(cur, customer_id, limit=7),
            "view": customer_view(Database.over_cursor(cur), customer_id, limit=3),
            # its referral value in the latest snapshot, its CLV read alone
            "referral": customer_referral(Database.over_cursor(cur), customer_id),
            "reads": reads,
            "timeline": one_customer.order_timeline(cur, customer_id, 2000),
            "histories": {t: one_customer.history(cur, t, customer_id, 5)
                          for t in one_customer.HISTORY_TABLES},
            "balance": one_customer.loyalty_balance(cur, customer_id),
            "values": one_customer.value_by_snapshot(cur, customer_id),
            "attributes": one_customer.attributes_of(cur, customer_id)}


def searches(cur: duckdb.DuckDBPyConnection, pieces: list[str]) -> list[dict[str, Any]]:
    return [search_customers(cur, q, fields, page=page, page_size=4)
            for q in pieces for fields in (("customer_id",), ("customer_id", "name", "email"))
            for page in (1, 2)]


def test_the_copy_answers_as_the_base_tables(analysed: Path, tmp_path: Path) -> None:
    path = tmp_path / "crm.duckdb"
    shutil.copy(analysed, path)
    con = duckdb.connect(str(path))
    cur = con.cursor()
    ids = [r[0] for r in cur.execute("SELECT customer_id FROM customers ORDER BY customer_id "
                                     "LIMIT 40").fetchall()]
    busy = cur.execute("SELECT customer_id FROM orders GROUP BY ALL ORDER BY count(*) DESC, "
                       "customer_id LIMIT 3").fetchall()
    ids += [r[0] for r in busy] + ["NO-SUCH-CUSTOMER"]
    names = [r[0] for r in cur.execute("SELECT lower(substr(name, 1, 2)) FROM customers "
                                       "WHERE name IS NOT NULL LIMIT 3").fetchall()]
    pieces = [ids[0][:-2], ids[5][1:4], "@", *names, "%", "NOTHING-MATCHES"]

    def everything() -> tuple[list[Any], list[Any]]:
        found = []
        for customer_id in ids:
            try:
                found.append(lookups(cur, customer_id))
            except Exception as error:  # the unknown id: the same error either way
                found.append(repr(error))
        return found, searches(cur, pieces)

    base = everything()
    assert lookup_sources(cur).copy is None
    alias = build_copy(cur, lambda: True)
    assert alias is not None and ready_copy(cur) is not None
    assert set(lookup_sources(cur).copy.tables) >= {"orders", "customer_value"}
    assert search_index(cur) is not None  # searches read the in-memory index
    assert everything() == base
    assert any(item["360"]["orders"]["total"] for item in base[0] if isinstance(item, dict))
    drop_copies(cur)
    assert ready_copy(cur) is None and lookup_sources(cur).copy is None
    con.close()


def test_a_copy_built_across_a_write_is_discarded(analysed: Path, tmp_path: Path) -> None:
    path = tmp_path / "crm.duckdb"
    shutil.copy(analysed, path)
    con = duckdb.connect(str(path))
    assert build_copy(con.cursor(), lambda: False) is None
    assert ready_copy(con.cursor()) is None
    con.close()


def test_the_snapshots_are_read_once_while_a_copy_is_attached(analysed: Path,
                                                               tmp_path: Path) -> None:
    """While the copy is attached nothing is written (the server drops it first), so the kept
    answers' check and the pages' snapshot list are read once; after it is dropped, again."""
    from valuecrm.views.answer_cache import generation
    from valuecrm.views.dashboard import snapshots

    path = tmp_path / "crm.duckdb"
    shutil.copy(analysed, path)
    con = duckdb.connect(str(path))
    cur = con.cursor()
    before, listed = generation(cur), snapshots(cur)
    assert build_copy(cur, lambda: True) is not None
    assert generation(cur) == before and snapshots(cur) == listed
    # a write the server would have dropped the copy for is not seen while it is attached
    cur.execute("UPDATE snapshots SET created_at = created_at + INTERVAL 1 SECOND")
    assert generation(cur) == before and snapshots(cur) == listed
    drop_copies(cur)
    after = generation(cur)
    assert after != before
    assert [s.created_at for s in snapshots(cur)] == [
        s.created_at + dt.timedelta(seconds=1) for s in listed]
    con.close()


ORDERS = ("order_id,customer_id,ordered_at,amount\n"
          "LOOKUP-O1,{customer},{day},123.45\n")


@pytest.fixture
def app_client(analysed: Path, tmp_path: Path) -> Iterator[tuple[Any, Any, str]]:
    with served_copy(analysed, tmp_path, "lookup-admin", "admin") as served:
        yield served


def wait_for_copy(app: Any, present: bool = True) -> None:
    """Until the copy is ready (and, when ``present``, what lookups share is warm, so that
    ``/api/health`` says "ready"), or until it is gone."""
    state = app.state.valuecrm
    for _ in range(600):
        with state.cursor() as cur:
            if (ready_copy(cur) is not None) == present and (
                    not present or app.state.lookups.ready):
                return
        time.sleep(0.05)
    raise AssertionError("the lookup copy was never built")


def test_after_a_load_the_new_copy_sees_the_new_rows(app_client) -> None:
    client, app, token = app_client
    headers = {"Authorization": f"Bearer {token}"}
    state = app.state.valuecrm
    wait_for_copy(app)
    assert client.get("/api/health").json()["lookups"] == "ready"
    with state.cursor() as cur:
        first = ready_copy(cur)[0]
    customer = client.get("/api/customers", headers=headers).json()["items"][0]["customer_id"]
    before = client.get(f"/api/customers/{customer}", headers=headers).json()
    day = dt.date.today() - dt.timedelta(days=1)  # newer than every generated order
    loaded = client.post("/api/ingest/orders", headers=headers, files={
        "file": ("orders.csv", ORDERS.format(customer=customer, day=day).encode())})
    assert loaded.status_code == 200, loaded.text
    with state.cursor() as cur:
        assert (ready_copy(cur) or ("",))[0] != first  # dropped when the load started
    wait_for_copy(app)
    with state.cursor() as cur:
        assert ready_copy(cur)[0] != first
        assert "orders" in lookup_sources(cur).copy.tables  # read from the new copy
    after = client.get(f"/api/customers/{customer}", headers=headers).json()
    assert after["orders"]["total"] == before["orders"]["total"] + 1
    assert after["orders"]["items"][0]["order_id"] == "LOOKUP-O1"
    found = client.get("/api/customers", params={"q": customer}, headers=headers).json()
    assert customer in [item["customer_id"] for item in found["items"]]


def test_no_copy_without_room_in_the_temporary_directory(analysed: Path, tmp_path: Path,
                                                          monkeypatch, caplog) -> None:
    """A copy takes about 1.5 times the database file: without twice the file and 1 GB free,
    none is built (logged), and the lookups read the base tables."""
    import shutil as shell

    from valuecrm.views import lookup_copy

    path = tmp_path / "crm.duckdb"
    shutil.copy(analysed, path)
    usage = shell.disk_usage(tmp_path)
    monkeypatch.setattr(lookup_copy.shutil, "disk_usage",
                        lambda where: usage._replace(free=2 * path.stat().st_size))
    con = duckdb.connect(str(path))
    cur = con.cursor()
    with caplog.at_level("WARNING", logger="valuecrm.api"):
        assert build_copy(cur, lambda: True) is None
    assert ready_copy(cur) is None and "No lookup copy" in caplog.text
    con.close()


def test_a_column_arrow_gives_back_otherwise_keeps_its_table_out_of_the_copy(tmp_path: Path
                                                                          ) -> None:
    """An interval comes back from Arrow as another Python type than from DuckDB: such a
    result is not written (its table's lookups read the base table); a plain one is."""
    from valuecrm.views.lookup_copy import export

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT '1' AS customer_id, INTERVAL 1 DAY AS waited")
    assert export(con, "SELECT * FROM t", tmp_path / "odd.arrow") is None
    assert not (tmp_path / "odd.arrow").exists()
    plain = export(con, "SELECT customer_id FROM t", tmp_path / "plain.arrow")
    assert plain is not None and plain.to_pylist() == [{"customer_id": "1"}]
    con.close()
