"""The settings of a load: what to do with bad rows (``on_error``) and the cap on DuckDB's
memory while it runs (``memory_limit``), checked in the words of the user's interface."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from valuecrm.errors import ParameterError
from valuecrm.store.ingest.readers import literal
from valuecrm.store.ingest.wording import PYTHON, Wording
from valuecrm.store.memory import MINIMUM_MEMORY, normal_size, size_bytes

if TYPE_CHECKING:
    import duckdb


ON_ERROR = ("reject", "skip")
# DuckDB's memory during a load; beyond it the staging tables spill to its temp_directory.
# With Python and the libraries around it, a 5M-line file then peaks at about 1.3 GB.
MEMORY_LIMIT = "1GB"


def check_memory_limit(size: str, wording: Wording = PYTHON) -> str:
    """``size`` (e.g. ``1GB``, ``512MB``, ``2GiB``) as DuckDB reads it, or a ParameterError in
    the words of the user's interface."""
    found = normal_size(size)
    if found is not None:
        return found
    expected = f"a size such as 1GB, 512MB or 2GiB, at least {MINIMUM_MEMORY}"
    if wording is PYTHON:
        raise ParameterError.of("memory_limit", "ingest", expected, size)
    raise ParameterError(f"{wording.option('memory_limit')} must be {expected}. Got {size!r} "
                         "instead.")


@contextmanager
def _load_settings(con: duckdb.DuckDBPyConnection, memory_limit: str) -> Iterator[None]:
    """Cap DuckDB's memory at ``memory_limit`` (if lower than now) and silence its progress
    bar for the duration of a load; restore both afterwards."""
    limit, bar = con.execute("SELECT current_setting('memory_limit'), "
                             "current_setting('enable_progress_bar')").fetchone()
    lower = size_bytes(memory_limit) < size_bytes(str(limit))
    try:
        if lower:
            con.execute(f"SET memory_limit = {literal(memory_limit)}")
        con.execute("SET enable_progress_bar = false")
        yield
    finally:
        if lower:  # back to the default if it was, else to the value it had
            con.execute("RESET memory_limit")
            if con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != limit:
                con.execute(f"SET memory_limit = {literal(str(limit))}")
        con.execute(f"SET enable_progress_bar = {'true' if bar else 'false'}")
