"""``create_app(db_path)``: the FastAPI application over one customer database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from valuecrm import __version__
from valuecrm.interfaces import web
from valuecrm.interfaces.api.auth import document_roles
from valuecrm.interfaces.api.errors import ERROR_SCHEMA, install_error_handlers
from valuecrm.interfaces.api.jobs import AnalysisJobs
from valuecrm.interfaces.api.privacy import ROLE_TABLE
from valuecrm.interfaces.api.routes import (
    analyses,
    customers,
    exports,
    health,
    ingest,
    kpis,
    models,
    reports,
    snapshots,
    users,
)
from valuecrm.interfaces.api.state import ServerState
from valuecrm.interfaces.web.warmup import start_warming
from valuecrm.store import connect
from valuecrm.store.users import ensure_tables, list_users

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
           reports.router, ingest.router, exports.router, users.router, analyses.router)


def create_app(db_path: str | Path | None = None) -> FastAPI:
    """The API over the database at ``db_path`` (default: ``$VALUECRM_DB`` or
    ``./valuecrm.duckdb``), opened now for writing and held until the server stops.

    Raises :class:`~valuecrm.errors.DatabaseLockedError` when another process holds the file.
    """
    database = connect(db_path)
    ensure_tables(database.raw)
    if not list_users(database.raw, include_revoked=False):
        logger.warning("The database %s has no users yet, so every route but /api/health "
                       "answers 401. Stop the server, run 'valuecrm users add NAME --role "
                       "admin', and start it again.", database.path)

    state = ServerState(database)
    state.analyses = AnalysisJobs(state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_warming(app)
        yield
        state.analyses.shutdown()
        database.close()

    app = FastAPI(title="valuecrm", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan,
                  responses={"4XX": {"description": "An error, in the one error shape.",
                                     "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
    app.state.valuecrm = state
    install_error_handlers(app, page=web.error_page)
    for router in ROUTERS:
        document_roles(router)
        app.include_router(router, prefix="/api")
    app.include_router(web.router)
    return app
