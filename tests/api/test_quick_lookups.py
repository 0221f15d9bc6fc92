"""Customer lookups on the server's event loop (valuecrm.interfaces.api.state.lookup).

Once the lookup copy is ready and what lookups share is kept, searches and 360 views (API
and dashboard) are answered on the event loop, with the same answers as in a worker thread;
a lookup that finds something to compute after all (``SlowWork``) is answered in a thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.acquired import generated_analysed
from tests.helpers.web import served_copy
from valuecrm.views import answer_cache


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_analysed(tmp_path_factory.mktemp("quick") / "crm.duckdb")


@pytest.fixture
def served(analysed: Path, tmp_path: Path) -> Iterator[tuple[Any, Any, dict[str, str]]]:
    """A TestClient signed in to the dashboard, the app, and API headers (an analyst's)."""
    with served_copy(analysed, tmp_path, "quick-analyst", "analyst") as (client, app, token):
        assert client.post("/login", data={"token": token, "next": "/overview"}).status_code == 200
        for _ in range(1200):
            if app.state.valuecrm.quick_lookups:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the lookups never became quick (copy built and warm)")
        yield client, app, {"Authorization": f"Bearer {token}"}


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # a worker thread
        return False
    return True


def record(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, where: list[bool],
           before: Any = None) -> None:
    """Replace ``module.name`` by a call that records whether it ran on the event loop (and
    calls ``before()`` first, if given)."""
    read = getattr(module, name)

    def run(*args: Any, **kwargs: Any) -> Any:
        where.append(on_event_loop())
        if before is not None:
            before()
        return read(*args, **kwargs)

    monkeypatch.setattr(module, name, run)


def recording(monkeypatch: pytest.MonkeyPatch, where: list[bool]) -> None:
    """Record, for each lookup the routes make, whether it ran on the event loop."""
    from valuecrm.interfaces.web import customers as web_customers
    from valuecrm.views import customer_page
    from valuecrm.views import customers as customer_views

    for module, name in ((customer_views, "customer_view"), (customer_views, "search_customers"),
                         (web_customers, "search_customers"),
                         (customer_page, "customer_reads")):
        record(monkeypatch, module, name, where)


def first_customer(client: Any, headers: dict[str, str]) -> str:
    return client.get("/api/snapshots/latest/customers",
                      headers=headers).json()["items"][0]["customer_id"]


def lookup_answers(client: Any, headers: dict[str, str], customer: str, variant: str
                   ) -> list[Any]:
    """The API's 360 view and search, and the dashboard's page and search, of ``customer``
    (``variant``: a query string that keeps the kept answers of one call from another's)."""
    found = [client.get(f"/api/customers/{customer}?{variant}", headers=headers),
             client.get(f"/api/customers?q={customer[:-1]}&{variant}", headers=headers),
             client.get(f"/customers/{customer}?{variant}"),
             client.get(f"/customers?q={customer[:-1]}&{variant}")]
    assert [r.status_code for r in found] == [200] * 4, [r.text[:200] for r in found]
    # the pages link to themselves in the other language, variant included
    return [r.json() for r in found[:2]] + [r.text.replace(variant, "") for r in found[2:]]


def test_lookups_run_on_the_event_loop_and_answer_as_in_a_thread(served, monkeypatch) -> None:
    client, app, headers = served
    state = app.state.valuecrm
    customers = [r["customer_id"] for r in client.get(
        "/api/snapshots/latest/customers", headers=headers).json()["items"][:3]]
    where: list[bool] = []
    recording(monkeypatch, where)
    quick = [lookup_answers(client, headers, c, "a=1") for c in customers]
    assert where and all(where)  # every lookup read on the event loop
    where.clear()
    state.quick_lookups = False  # as before the copy is ready: worker threads
    threaded = [lookup_answers(client, headers, c, "a=2") for c in customers]
    assert where and not any(where)
    assert quick == threaded
    assert quick[0][0]["referral"]["method"]  # the kept referral table was read


def test_a_lookup_with_something_to_compute_goes_to_a_thread(served, monkeypatch) -> None:
    from valuecrm.views import customers as customer_views

    client, app, headers = served
    customer = first_customer(client, headers)
    where: list[bool] = []
    record(monkeypatch, customer_views, "customer_view", where,
           before=lambda: answer_cache.slow_work("a kept answer to compute"))
    found = client.get(f"/api/customers/{customer}", headers=headers)
    assert found.status_code == 200, found.text
    assert where == [True, False]  # tried on the loop, answered in a thread
    assert found.json()["profile"]["customer_id"] == customer
    assert app.state.valuecrm.quick_lookups  # the next lookups still try the loop first


def test_under_quick_only_an_answer_not_kept_is_not_computed(analysed: Path) -> None:
    from valuecrm.store import connect

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return 42

    with connect(analysed, read_only=True) as database:
        with answer_cache.quick_only(), pytest.raises(answer_cache.SlowWork):
            answer_cache.kept(database, "test_quick_lookups.answer", compute)
        assert calls == []
        assert answer_cache.kept(database, "test_quick_lookups.answer", compute) == 42
        with answer_cache.quick_only():  # kept now: read, not computed
            assert answer_cache.kept(database, "test_quick_lookups.answer", compute) == 42
    assert calls == [1]


def test_an_answer_asked_for_while_it_is_computed_is_computed_once(analysed: Path) -> None:
    """Threads asking for the same answer at once wait for the first one's computation (a
    server's first lookups all asked for the same referral table); if it fails, the next
    caller computes it."""
    import threading

    from valuecrm.store import connect

    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def compute() -> list[int]:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return [1, 2]

    with connect(analysed, read_only=True) as database:
        found: list[Any] = []
        def ask() -> None:  # each thread with a cursor of its own, as the server's requests
            with database.raw.cursor() as cursor:
                found.append(answer_cache.kept(cursor, "test_quick_lookups.once", compute))

        threads = [threading.Thread(target=ask, name=f"asker-{i}") for i in range(4)]
        threads[0].start()
        assert started.wait(10)
        for thread in threads[1:]:
            thread.start()
        time.sleep(0.2)  # the others are waiting now
        release.set()
        for thread in threads:
            thread.join(10)
        assert found == [[1, 2]] * 4
        assert calls == ["asker-0"]

        def failing() -> int:
            raise RuntimeError("no")

        with pytest.raises(RuntimeError):
            answer_cache.kept(database, "test_quick_lookups.failing", failing)
        assert answer_cache.kept(database, "test_quick_lookups.failing", lambda: 7) == 7


def test_a_customer_page_that_reads_the_orders_table_goes_to_a_thread(served, monkeypatch
                                                                       ) -> None:
    """A customer with more orders than the timeline shows has their purchase days read from
    the orders table (a scan): on the event loop that is slow work, so the page is made in a
    thread."""
    from valuecrm.interfaces.web import customers as web_customers
    from valuecrm.views import customer_page

    client, _, headers = served
    customer = first_customer(client, headers)
    where: list[bool] = []
    record(monkeypatch, customer_page, "customer_reads", where)
    monkeypatch.setattr(web_customers, "TIMELINE_LIMIT", 1)  # every customer has "many"
    page = client.get(f"/customers/{customer}")
    assert page.status_code == 200 and "P(alive)" in page.text
    assert where == [True, False]
