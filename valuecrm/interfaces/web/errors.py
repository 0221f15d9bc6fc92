"""The dashboard's error page: what went wrong, in the user's language, with the hint and a way
back, under the error's own HTTP status. The app's one exception handler
(:func:`valuecrm.interfaces.api.errors.install_error_handlers`) calls :func:`error_page` for
every path outside the API, so a page never answers raw JSON or a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import language, render
from valuecrm.interfaces.web.session import signed_in_user
from valuecrm.store.users import User

logger = logging.getLogger("valuecrm.api")
TITLED = (400, 401, 403, 404, 405, 409, 422, 500, 503)
# errors the server words itself (not raised by valuecrm): their text in the catalogue
GENERIC = {"not_found": ("error_no_page", "error_no_page_hint"),
           "method_not_allowed": ("error_method", "error_no_page_hint"),
           "invalid_request": ("error_invalid", "error_invalid_hint"),
           "internal_error": ("error_bug", "error_bug_hint")}


def _user(request: Request) -> User | None:
    try:
        return signed_in_user(request)
    except Exception:  # the page must render even when the database cannot say who asks
        logger.warning("The error page could not read the signed-in user", exc_info=True)
        return None


def error_page(request: Request, status: int, body: dict[str, Any],
               raised: bool) -> HTMLResponse:
    """The error ``body`` (the API's error shape) as an HTML page answering ``status``.

    ``raised``: the error is a valuecrm error, whose message and hint are shown as written;
    other errors (no such page, a bad query value, a bug) are worded by the catalogue."""
    t = Translator(language(request))
    title = t(f"error_title_{status}" if status in TITLED else "error_title")
    message, hint = body.get("message") or "", body.get("hint") or ""
    worded = not raised and body.get("error") in GENERIC
    if worded:
        message_key, hint_key = GENERIC[body["error"]]
        message = t(message_key)
        hint = t(hint_key)
    return render(request, "error.html", t, status_code=status, user=_user(request),
                  active=None, title=title, status=status, message=message, hint=hint,
                  original=not worded, address=request.url.path)
