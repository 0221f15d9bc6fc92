"""``GET /api/health``: the one route that needs no token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from valuecrm import __version__

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, Any]:
    """Whether the server is up (no token needed; tells nothing about the data)."""
    return {"status": "ok", "version": __version__}
