"""Dashboard sign-in: a random session id in an HTTP-only cookie, the session kept server-side.

A session remembers only the key id of the user's token; each request reads that user again, so
a revoked token ends its sessions at once. Sessions live in memory for ``SESSION_HOURS`` and are
forgotten when the server stops.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from valuecrm.errors import AuthenticationError
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.users import User, active_user, authenticate, verify_password

COOKIE = "vcrm_session"
SESSION_HOURS = 12


@dataclass
class SessionStore:
    """Session id -> (key id of the user's token, expiry as a monotonic time)."""

    sessions: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, key_id: str) -> str:
        session_id = secrets.token_urlsafe(32)
        with self.lock:
            now = time.monotonic()
            self.sessions = {k: v for k, v in self.sessions.items() if v[1] > now}
            self.sessions[session_id] = (key_id, now + SESSION_HOURS * 3600)
        return session_id

    def key_id(self, session_id: str) -> str | None:
        with self.lock:
            found = self.sessions.get(session_id)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def close(self, session_id: str) -> None:
        with self.lock:
            self.sessions.pop(session_id, None)


def sessions(request: Request) -> SessionStore:
    """The session store of this server (made on first use)."""
    store = getattr(request.app.state, "web_sessions", None)
    if store is None:
        store = request.app.state.web_sessions = SessionStore()
    return store


def sign_in(request: Request, token: str, name: str, password: str) -> str | None:
    """A new session id for a valid token, or user name and password; None if neither is.

    Failures are counted by user name and client address
    (:class:`~valuecrm.interfaces.api.throttle.SignInThrottle`): past the limit this raises
    TooManyAttemptsError before any check.
    """
    state = server_state(request)
    throttle = state.sign_in_throttle
    by_token = bool(token.strip())
    name = "" if by_token else name.strip()
    if not by_token and not (name and password):
        return None
    address = request.client.host if request.client else "unknown"
    throttle.check(name or None, address)
    with state.cursor() as cursor:
        try:
            if by_token:
                user = authenticate(cursor, token.strip(), state.verified_tokens)
            else:
                user = verify_password(cursor, name, password)
        except AuthenticationError:
            throttle.failed(name or None, address)
            return None
    throttle.succeeded(name or None)
    return sessions(request).open(user.key_id)


def signed_in_user(request: Request) -> User | None:
    """The user of this request's session cookie, if the session and their token are valid."""
    session_id = request.cookies.get(COOKIE)
    key_id = sessions(request).key_id(session_id) if session_id else None
    if key_id is None:
        return None
    state = server_state(request)

    def check() -> User | None:
        with state.cursor() as cursor:
            return active_user(cursor, key_id)

    return state.answers.key_user(key_id, check)  # read once per epoch of the server's writes


def session_user(request: Request, database: bool) -> Any:
    """The user of a page request's session, for the kept answers
    (:class:`~valuecrm.interfaces.api.answers.AnswerMiddleware`): None when not signed in,
    ``NEEDS_DATABASE`` when only the users table can tell and ``database`` is False."""
    session_id = request.cookies.get(COOKIE)
    key_id = sessions(request).key_id(session_id) if session_id else None
    if key_id is None:
        return None
    if database:
        return signed_in_user(request)
    return server_state(request).answers.key_user(key_id, None)
