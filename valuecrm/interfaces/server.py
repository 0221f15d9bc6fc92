"""``create_app(db_path)``: the server, the REST API under ``/api`` and the dashboard beside it.

The one module that knows both :mod:`valuecrm.interfaces.api` and
:mod:`valuecrm.interfaces.web`: the API never imports the dashboard, the dashboard reads the
API's server state.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from valuecrm.interfaces import web
from valuecrm.interfaces.api import create_api
from valuecrm.interfaces.web.session import session_user
from valuecrm.interfaces.web.warmup import start_warming, stop_warming, warm_again

__all__ = ["create_app"]


def create_app(db_path: str | Path | None = None, *, threads: int | None = None,
               memory_limit: str | None = None) -> FastAPI:
    """The API and the dashboard over the database at ``db_path`` (default: ``$VALUECRM_DB``
    or ``./valuecrm.duckdb``), opened now for writing and held until the server stops; errors
    on dashboard paths render as pages, and the dashboard's caches warm up when it starts and
    after each analysis job;
    the analysis pages are kept until the server next writes (``CACHED_PAGES``).

    ``threads``: requests computed at once in worker threads, ``memory_limit``: DuckDB's
    memory cap (see :func:`~valuecrm.interfaces.api.create_api`).

    Raises :class:`~valuecrm.errors.DatabaseLockedError` when another process holds the file.
    """
    app = create_api(db_path, page=web.error_page, on_start=start_warming,
                     on_stop=stop_warming, cached_pages=web.CACHED_PAGES,
                     page_user=session_user, on_snapshot=warm_again,
                     threads=threads, memory_limit=memory_limit)
    app.include_router(web.router)
    return app
