"""``create_api(db_path)``: the REST API over one customer database.

It knows nothing of the dashboard: :func:`valuecrm.interfaces.server.create_app` adds the pages,
their error rendering and their cache warm-up through ``page`` and ``on_start``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from valuecrm import __version__
from valuecrm.interfaces.api.answers import (
    API_CACHEABLE,
    AnswerMiddleware,
    Identify,
    route_pattern,
)
from valuecrm.interfaces.api.auth import bearer_user, document_roles
from valuecrm.interfaces.api.errors import ERROR_SCHEMA, PageRenderer, install_error_handlers
from valuecrm.interfaces.api.jobs import AnalysisJobs
from valuecrm.interfaces.api.lookups import LookupCopies
from valuecrm.interfaces.api.routes import (
    acquisition,
    analyses,
    campaigns,
    cross_sell,
    customers,
    exports,
    health,
    ingest,
    kpis,
    loyalty,
    models,
    profiles,
    report,
    reports,
    snapshots,
    users,
    voice,
    voice_service,
    voice_survey,
)
from valuecrm.interfaces.api.state import ServerState
from valuecrm.store import connect
from valuecrm.store.memory import cap_memory, checked_size
from valuecrm.store.users import list_users
from valuecrm.views.privacy import ROLE_TABLE

logger = logging.getLogger("valuecrm.api")

DESCRIPTION = """The valuecrm REST API.

Send `Authorization: Bearer TOKEN` with every request except `GET /api/health`; make a token
with `valuecrm users add NAME --role viewer|analyst|admin`. Viewers see personal data masked
and birth year, gender and city coarsened, analysts may export, admins may ingest files and
manage users. What each role sees of a customer (here and on the dashboard):

""" + ROLE_TABLE + """

Every error answers JSON of one shape: `{"error": code, "message", "hint", "details"}`.
"""
ROUTERS = (health.router, customers.router, kpis.router, models.router, snapshots.router,
           reports.router, report.router, ingest.router, exports.router, users.router,
           analyses.router, campaigns.router,
           campaigns.sizing_router, profiles.router, loyalty.router, voice.router,
           cross_sell.router, voice_service.router, voice_survey.router,
           acquisition.router)


def create_api(db_path: str | Path | None = None, *, page: PageRenderer | None = None,
               on_start: Callable[[FastAPI], object] | None = None,
               on_stop: Callable[[FastAPI], object] | None = None,
               cached_pages: tuple[str, ...] = (), page_user: Identify | None = None,
               on_snapshot: Callable[[FastAPI], object] | None = None,
               threads: int | None = None, memory_limit: str | None = None) -> FastAPI:
    """The API over the database at ``db_path`` (default: ``$VALUECRM_DB`` or
    ``./valuecrm.duckdb``), opened now for writing and held until the server stops.

    Errors outside ``/api`` render with ``page`` when given (JSON otherwise); ``on_start`` runs
    when the server starts (it must not block), ``on_stop`` when it stops, before the database
    is closed (it must end what ``on_start`` started). The responses of the API's figures per
    snapshot, and of ``cached_pages`` (regular expressions of paths outside ``/api``, whose
    user ``page_user`` finds), are kept until the server next writes
    (:mod:`valuecrm.interfaces.api.answers`); ``on_snapshot`` runs after an analysis job
    wrote a snapshot (in the job's thread: the dashboard warms its caches again). ``threads``
    bounds the requests computed at once in worker threads (anyio's default: 40); kept answers
    are sent from the event loop, which with fewer busy threads waits less for Python's GIL.
    ``memory_limit`` (e.g. ``"4GB"``) caps the memory DuckDB uses for the server (its buffer
    pool and every query's work: beyond it, work spills to temporary files); default DuckDB's,
    80% of the machine's memory.

    Raises :class:`~valuecrm.errors.DatabaseLockedError` when another process holds the file.
    """
    size = None if memory_limit is None else checked_size(memory_limit, "serve")
    database = connect(db_path)
    if size is not None:
        cap_memory(database.raw, size)
    if not list_users(database.raw, include_revoked=False):
        logger.warning("The database %s has no users yet, so every route but /api/health "
                       "answers 401. Stop the server, run 'valuecrm users add NAME --role "
                       "admin', and start it again.", database.path)

    state = ServerState(database)
    state.analyses = AnalysisJobs(state)
    lookups = LookupCopies(state)  # per-customer rows in customer order, per write epoch
    state.answers.listeners.append(lookups.written)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        lookups.start()
        if on_start is not None:
            on_start(app)
        yield
        lookups.stop()
        if on_stop is not None:
            on_stop(app)
        state.analyses.shutdown()
        database.close()

    app = FastAPI(title="valuecrm", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan,
                  responses={"4XX": {"description": "An error, in the one error shape.",
                                     "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
    app.state.valuecrm = state
    app.state.lookups = lookups
    if on_snapshot is not None:
        state.analyses.on_snapshot = lambda: on_snapshot(app)
    install_error_handlers(app, page=page)

    def identify(request: Any, database: bool) -> Any:
        if request.url.path.startswith("/api/"):
            return bearer_user(request, database)
        return None if page_user is None else page_user(request, database)

    app.add_middleware(AnswerMiddleware, answers=state.answers,
                       cacheable=route_pattern(API_CACHEABLE + cached_pages), identify=identify)
    for router in ROUTERS:
        document_roles(router)
        app.include_router(router, prefix="/api")
    return app
