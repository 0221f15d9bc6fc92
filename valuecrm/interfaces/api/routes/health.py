"""``GET /api/health``: the one route that needs no token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from valuecrm import __version__

router = APIRouter(tags=["health"])


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Whether the server is up (no token needed; tells nothing about the data), and whether
    its copy of the per-customer tables for fast lookups is ready (``lookups``: ``ready`` or
    ``building``; the lookups read the base tables until it is)."""
    lookups = getattr(request.app.state, "lookups", None)
    return {"status": "ok", "version": __version__,
            "lookups": "ready" if lookups is not None and lookups.ready else "building"}
