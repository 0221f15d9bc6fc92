"""Rendering a dashboard page: the signed-in user, the language, the Jinja2 templates.

:func:`page_context` answers either what a page needs (user, translator, snapshot) or a
response to send instead (a redirect to the sign-in page, or the "run valuecrm analyze" page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from valuecrm.interfaces.web import queries
from valuecrm.interfaces.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, pick_language
from valuecrm.interfaces.web.session import signed_in_user
from valuecrm.store.snapshots import Snapshot
from valuecrm.store.users import User
from valuecrm.views.privacy import shows_personal_data

LANG_COOKIE = "vcrm_lang"
TEMPLATES = Path(__file__).parent / "templates"
# the pages, grouped by the step of the CRM loop they serve (find the value, know the customers,
# act and check); a new page joins its group here and gets a ``t(name)`` label in i18n.py
NAV: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nav_value", ("overview", "rfm", "value", "lifecycle", "models")),
    ("nav_customers", ("customers", "profile", "voice")),
    ("nav_act", ("actions", "cross_sell", "campaigns", "loyalty")),
)
# pages that show something before the first snapshot (the others say "run valuecrm analyze")
PAGES_WITHOUT_SNAPSHOT = ("customers", "voice")

# the templates ship with the package: never checked for changes on disk (Jinja's default,
# a stat() of each template per page)
environment = Environment(loader=FileSystemLoader(TEMPLATES),
                          autoescape=select_autoescape(["html"]), trim_blocks=True,
                          lstrip_blocks=True, auto_reload=False)


def figure_json(figure: dict[str, Any]) -> Markup:
    """A figure as JSON safe to embed in a ``<script type="application/json">``."""
    text = json.dumps(figure, ensure_ascii=False, allow_nan=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


environment.filters["figure_json"] = figure_json
# changes whenever a stylesheet or script changes, so browsers never keep a stale copy
environment.globals["asset_version"] = sha256(b"".join(
    path.read_bytes() for path in sorted((TEMPLATES.parent / "static").iterdir()))).hexdigest()[:10]


@dataclass
class Page:
    """What every page knows: who asks, in which language, and the latest snapshot."""

    request: Request
    user: User
    t: Translator
    snapshots: list[Snapshot]

    @property
    def snapshot(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None

    @property
    def personal(self) -> bool:
        return shows_personal_data(self.user)


def language(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                         request.headers.get("accept-language"))


def switch_url(request: Request, lang: str) -> str:
    """This page's URL in ``lang``."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    params["lang"] = lang
    return f"{request.url.path}?{urlencode(params)}"


def remember_language(request: Request, response: Response) -> Response:
    wanted = request.query_params.get("lang")
    if wanted in LANGUAGES:
        response.set_cookie(LANG_COOKIE, wanted, max_age=365 * 86400, samesite="lax")
    return response


def render(request: Request, template: str, t: Translator, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """``template`` rendered with ``context`` plus the translator and the language switch."""
    others = [(LANGUAGE_NAMES[lang], switch_url(request, lang)) for lang in LANGUAGES
              if lang != t.lang]
    html = environment.get_template(template).render(
        t=t, lang=t.lang, other_languages=others, nav=NAV, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status_code,
                            headers={"Cache-Control": "no-store"})
    remember_language(request, response)
    return response


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)


def open_page(request: Request, cur: duckdb.DuckDBPyConnection) -> Page | Response:
    """The page context, or the sign-in redirect when nobody is signed in."""
    user = signed_in_user(request)
    if user is None:
        return sign_in_redirect(request)
    return Page(request, user, Translator(language(request)), queries.snapshots(cur))


def render_page(page: Page, template: str, active: str, **context: Any) -> HTMLResponse:
    """A page of the dashboard, or the "run valuecrm analyze" page if there is no snapshot."""
    if page.snapshot is None and active not in PAGES_WITHOUT_SNAPSHOT:
        template = "no_snapshot.html"
    return render(page.request, template, page.t, user=page.user, active=active,
                  snapshot=page.snapshot, personal=page.personal, **context)
