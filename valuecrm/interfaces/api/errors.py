"""One shape for every error answer: ``{"error", "message", "hint", "details"}``.

Errors raised as :class:`~valuecrm.errors.ValueCRMError` answer with their own ``status`` and
``to_dict()``; FastAPI's request validation errors become 422 ``invalid_request``; unknown
routes 404 ``not_found``; anything else is a bug: it is logged and answers 500
``internal_error``. On dashboard pages (any path outside ``/api``) the same errors render as an
HTML page instead (see :func:`install_error_handlers`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from valuecrm.errors import ValueCRMError

logger = logging.getLogger("valuecrm.api")

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message", "hint", "details"],
    "properties": {
        "error": {"type": "string", "description": "Stable machine-readable code."},
        "message": {"type": "string", "description": "What happened."},
        "hint": {"type": ["string", "null"], "description": "What to do next."},
        "details": {"type": ["object", "null"], "description": "Anything else that helps."},
    },
}
_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def error_body(code: str, message: str, hint: str | None = None,
               details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": code, "message": message, "hint": hint, "details": details}


def error_response(error: ValueCRMError) -> JSONResponse:
    body = error_body(error.code, error.message) | error.to_dict()
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse(body, status_code=error.status, headers=headers)


async def _valuecrm_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValueCRMError)
    if error.status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, error,
                     exc_info=error)
    return error_response(error)


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [{"location": _where(e.get("loc", ())), "message": e.get("msg", ""),
                 "type": e.get("type", "")} for e in error.errors()]
    listed = "; ".join(f"{p['location']}: {p['message']}" for p in problems[:5])
    body = error_body("invalid_request", f"The request is not valid: {listed}.",
                      "See /docs for what this route accepts.", {"errors": problems})
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    if status == 404:
        message, hint = (f"There is no route {request.method} {request.url.path}.",
                         "See /docs for the routes of this API.")
    elif status == 405:
        message, hint = (f"{request.method} is not allowed on {request.url.path}.",
                         "See /docs for the methods this route accepts.")
    else:
        message, hint = str(error.detail), None
    code = _HTTP_CODES.get(status, "internal_error" if status >= 500 else "bad_request")
    headers = dict(getattr(error, "headers", None) or {})
    if status == 405:  # every method of the path, not only those of the first route found
        headers["Allow"] = ", ".join(allowed_methods(request))
    return JSONResponse(error_body(code, message, hint), status_code=status,
                        headers=headers or None)


def allowed_methods(request: Request) -> list[str]:
    """The methods of every route whose path matches the request's (405 answers list them
    all in ``Allow``: Starlette lists those of the first route that matched the path)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        nested = getattr(route, "effective_route_contexts", None)  # an included router
        for leaf in nested() if nested is not None else [route]:
            regex, leaf_methods = getattr(leaf, "path_regex", None), getattr(leaf, "methods", None)
            if regex is not None and leaf_methods and regex.match(request.url.path):
                methods |= set(leaf_methods)
    return sorted(methods)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    logger.error("%s %s failed with a bug", request.method, request.url.path, exc_info=error)
    return JSONResponse(error_body(
        "internal_error", "The server failed unexpectedly; the error has been logged.",
        "This is a bug in valuecrm: please report it with the time of the request."),
        status_code=500)


# a page's renderer of an error: (request, status, error body, raised by valuecrm) -> response
PageRenderer = Callable[[Request, int, dict[str, Any], bool], Response]


def answers_json(path: str) -> bool:
    """Whether errors on ``path`` answer JSON (the API and its schema), not an HTML page."""
    return path in ("/api", "/openapi.json") or path.startswith(("/api/", "/docs", "/redoc"))


def _dispatch(handler: Callable[[Request, Exception], Awaitable[JSONResponse]],
              page: PageRenderer | None) -> Callable[[Request, Exception], Awaitable[Response]]:
    """``handler``'s JSON for API paths; for any other path, ``page``'s rendering of it."""
    async def handle(request: Request, error: Exception) -> Response:
        answer = await handler(request, error)
        if page is None or answers_json(request.url.path):
            return answer
        response = page(request, answer.status_code, json.loads(bytes(answer.body)),
                        isinstance(error, ValueCRMError))
        if "allow" in answer.headers:
            response.headers["Allow"] = answer.headers["allow"]
        return response
    return handle


def install_error_handlers(app: FastAPI, page: PageRenderer | None = None) -> None:
    """One handler for the whole app (as datasette's): every error answers in the one JSON
    shape on API paths, and as ``page`` renders it (an HTML page) on every other path."""
    app.add_exception_handler(ValueCRMError, _dispatch(_valuecrm_error, page))
    app.add_exception_handler(RequestValidationError, _dispatch(_validation_error, page))
    app.add_exception_handler(StarletteHTTPException, _dispatch(_http_error, page))
    app.add_exception_handler(Exception, _dispatch(_unexpected_error, page))
