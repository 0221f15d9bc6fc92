"""Reading a stored list (issue 16, point 7): DuckDB streams the rows and Python takes them a
bounded batch at a time, whether a page, the whole list or every page is read."""

from __future__ import annotations

import pytest

import valuecrm.views.stored_lists as stored_lists
from tests.helpers.reads import record_batches
from valuecrm.actions import retention_list
from valuecrm.store import connect
from valuecrm.views.lists import stored_action_list
from valuecrm.views.stored_lists import iter_rows, list_pages, list_rows

FETCH = 4


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows of each batch fetched from DuckDB."""
    monkeypatch.setattr(stored_lists, "FETCH", FETCH)
    return record_batches(monkeypatch, stored_lists, "_fetched")


def test_a_whole_list_is_fetched_a_batch_at_a_time(two_snapshots, fetched):
    from valuecrm.store.snapshots import get_snapshot

    with connect(two_snapshots.path, read_only=True) as database:
        frame = retention_list(database)
        stored = stored_action_list(database, "retention", get_snapshot(database, None))
        assert stored.rows == len(frame) > 5 * FETCH
        whole = list_rows(database, stored)
        assert [r["customer_id"] for r in whole] == frame["customer_id"].tolist()
        assert len(fetched) > 5 and max(fetched) == FETCH  # never the whole list at once
        fetched.clear()
        page = list_rows(database, stored, 3, 6)
        assert page == whole[3:9] and max(fetched) <= FETCH

        fetched.clear()
        rows = iter_rows(database, stored, size=FETCH)
        first = [next(rows) for _ in range(FETCH + 1)]
        assert fetched == [FETCH, FETCH]  # read as the rows are taken
        # other queries on the database meanwhile: the streamed rows go on where they were
        assert list_rows(database, stored, 0, 2) == whole[:2]
        assert first + list(rows) == whole
        assert max(fetched) == FETCH

        fetched.clear()
        pages = list(list_pages(database, stored, size=5))
        assert [len(p) for p in pages[:-1]] == [5] * (len(pages) - 1)
        assert [r for p in pages for r in p] == whole and max(fetched) <= 5
