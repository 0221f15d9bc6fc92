"""Sign-in and sign-out pages, the stylesheet, and the Plotly script of the installed package."""

from __future__ import annotations

from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from valuecrm.errors import TooManyAttemptsError
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import language, remember_language, render
from valuecrm.interfaces.web.session import COOKIE, SESSION_HOURS, sessions, sign_in

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host) may be the page after signing in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/overview"
    return target


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/overview", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", Translator(language(request)), user=None,
                  next=_safe_next(next), failed=False)


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/overview",
) -> Response:
    try:
        session_id = sign_in(request, token, name, password)
    except TooManyAttemptsError as refused:
        response = render(request, "login.html", Translator(language(request)),
                          status_code=429, user=None, next=_safe_next(next), failed=False,
                          retry_after=refused.retry_after)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    if session_id is None:
        return render(request, "login.html", Translator(language(request)), status_code=401,
                      user=None, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, session_id, max_age=SESSION_HOURS * 3600, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    session_id = request.cookies.get(COOKIE)
    if session_id:
        sessions(request).close(session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return remember_language(request, response)


@cache
def _plotly_js() -> tuple[bytes, str]:
    from plotly.offline import get_plotlyjs

    body = get_plotlyjs().encode()
    return body, sha256(body).hexdigest()[:16]


def _cached(request: Request, body: bytes, etag: str, media_type: str) -> Response:
    headers = {"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/static/plotly.min.js")
def plotly_js(request: Request) -> Response:
    """Plotly's script from the installed ``plotly`` package: the dashboard works offline."""
    body, etag = _plotly_js()
    return _cached(request, body, etag, STATIC_TYPES[".js"])


@cache
def _static(name: str) -> tuple[bytes, str] | None:
    path = STATIC / name
    if path.suffix not in STATIC_TYPES or path.parent != STATIC or not path.is_file():
        return None
    body = path.read_bytes()
    return body, sha256(body).hexdigest()[:16]


@router.get("/static/{name}")
def static(request: Request, name: str) -> Response:
    found = _static(name)
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    return _cached(request, *found, STATIC_TYPES[Path(name).suffix])
