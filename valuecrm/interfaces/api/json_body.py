"""A JSON answer serialised in the worker thread that computed it.

FastAPI answers a route that returns a dict by validating it against the route's response
model and serialising it with Pydantic. For a route that is not ``async`` it validates in
another trip through the thread pool: under load, a second wait in a queue of hundreds of
requests. :func:`json_response` gives the same bytes (the same serialiser, over the same
type) from the route's own thread; the route keeps its response model for the documentation.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from pydantic import TypeAdapter

__all__ = ["json_response"]

_OBJECT = TypeAdapter(dict[str, Any])


def json_response(content: dict[str, Any]) -> Response:
    """``content`` as FastAPI would answer it for a route whose response model is
    ``dict[str, Any]``: JSON bytes serialised by Pydantic, ``application/json``."""
    return Response(_OBJECT.dump_json(content), media_type="application/json")
