"""The REST API (FastAPI): customers, KPIs, models, ingestion and exports, behind API tokens.

``create_api(db_path)`` builds the API alone; :func:`valuecrm.interfaces.server.create_app`
mounts it with the dashboard, and ``valuecrm serve`` runs that with uvicorn. The OpenAPI
description is at ``/openapi.json`` and browsable at ``/docs``. Nothing here imports ``web/``.
"""

from valuecrm.interfaces.api.app import create_api

__all__ = ["create_api"]
