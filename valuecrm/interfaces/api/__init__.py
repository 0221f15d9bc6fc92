"""The REST API (FastAPI): customers, KPIs, models, ingestion and exports, behind API tokens.

``create_app(db_path)`` builds the application; ``valuecrm serve`` runs it with uvicorn. The
OpenAPI description is at ``/openapi.json`` and browsable at ``/docs``.
"""

from valuecrm.interfaces.api.app import create_app

__all__ = ["create_app"]
