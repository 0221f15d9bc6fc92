"""Answers kept by the server while nothing is written: the whole response of a read route,
and who holds each token.

The server is the only process that may write its database file (DuckDB's lock), and it
changes what these answers rest on (customers, orders and the other data, snapshots, users,
campaigns) only while answering a request that is not a read (``POST``, ``PUT``, ``PATCH``,
``DELETE``: ingests, user changes, campaigns...) or in an analysis job; a read only appends to
the audit log (exports), which no kept answer shows. So it counts its writes: the *epoch* goes
up when such a request starts and again when it ends, and when an analysis job ends.
Everything kept here belongs to one epoch and is never used in another:

- the response of a GET route named in ``cacheable`` (figures per snapshot: the dashboard's
  analysis pages, segments, KPIs, snapshots, pages of the value list; customer searches and
  360 views, which change only when data are loaded), for one user (name,
  role and key: a page names the user, a viewer sees masked data) and one language (the
  ``lang`` query, the language cookie and ``Accept-Language``); kept only when it answered
  200 without setting a cookie. The user is still checked on every request first, so a
  revoked token is refused at once;
- the user of each token (by its SHA-256: the token itself is never kept) and of each dashboard
  session's key id: a revocation is a write (``DELETE /api/users/NAME``), which starts a new
  epoch, so the next request reads the users table again.

A request that only reads but answers with the time (``/api/health``), a job's progress or an
audit entry (exports) is not cacheable: ``cacheable`` lists the routes that are.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from valuecrm.store.users import User

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READS = frozenset({"GET", "HEAD", "OPTIONS"})
# sign-in and sign-out change only the sessions in memory, never the database
NO_WRITE = frozenset({"/login", "/logout"})
# GET routes of the API whose answer rests on the database and the user only
API_CACHEABLE = (r"/api/kpis", r"/api/snapshots", r"/api/snapshots/[^/]+",
                 r"/api/snapshots/[^/]+/customers", r"/api/segments",
                 r"/api/segments/[^/]+/[^/]+", r"/api/customers", r"/api/customers/[^/]+")
NEEDS_DATABASE = object()  # what ``identify`` answers when only the database can tell
Identify = Callable[[Request, bool], Any]
MAX_BYTES = 256 * 2**20  # responses kept in all; the least recently used go first beyond it
MAX_RESPONSE = 8 * 2**20  # a larger response is not kept
CURSORS = "valuecrm.cursors"  # the scope key of the DuckDB cursors a request made


def close_cursors(scope: Scope) -> None:
    """Close the cursors made for the request of ``scope`` (listed under :data:`CURSORS` by
    :func:`valuecrm.interfaces.api.state.cursor`), once its answer is sent."""
    for made in scope.pop(CURSORS, ()):
        with contextlib.suppress(Exception):  # the database closed first
            made.close()


def route_pattern(paths: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression matching any of ``paths`` (each a regular expression) whole."""
    return re.compile("|".join(f"(?:{p})" for p in paths) + r"\Z")


class Answers:
    """The epoch of the server's writes, and what it keeps for the current epoch."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._epoch = 0
        self.max_bytes = max_bytes
        self._responses: OrderedDict[tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]],
                                                              bytes]] = OrderedDict()
        self._bytes = 0
        self._tokens: dict[str, User] = {}
        self._keys: dict[str, User | None] = {}
        self.writing = 0  # requests that may write, running now
        # called after each new epoch (the server's lookup copy is dropped, then rebuilt)
        self.listeners: list[Callable[[], None]] = []

    @property
    def epoch(self) -> int:
        return self._epoch

    def written(self, writing: int = 0) -> None:
        """Something may have been written: forget everything kept (a new epoch), then tell
        the listeners. ``writing``: +1 when a request that may write starts, -1 when it
        ends."""
        with self._lock:
            self._epoch += 1
            self.writing += writing
            self._responses.clear()
            self._bytes = 0
            self._tokens.clear()
            self._keys.clear()
        for listener in self.listeners:
            listener()

    # users ---------------------------------------------------------------------------------
    def token_user(self, token: str, check: Callable[[], User] | None) -> User | None:
        """The user of ``token``: ``check()`` (which raises for a bad or revoked token) the
        first time in this epoch, then the user it answered; None if not known yet and no
        ``check`` is given."""
        digest = hashlib.sha256(token.encode()).hexdigest()
        epoch = self._epoch
        found = self._tokens.get(digest)
        if found is not None or check is None:
            return found
        user = check()
        with self._lock:
            if self._epoch == epoch:
                self._tokens[digest] = user
        return user

    def key_user(self, key_id: str, check: Callable[[], User | None] | None) -> Any:
        """The active user of ``key_id`` (a dashboard session's), None if revoked or unknown:
        ``check()`` the first time in this epoch; :data:`NEEDS_DATABASE` if not known yet and
        no ``check`` is given."""
        epoch = self._epoch
        if key_id in self._keys:
            return self._keys[key_id]
        if check is None:
            return NEEDS_DATABASE
        user = check()
        with self._lock:
            if self._epoch == epoch:
                self._keys[key_id] = user
        return user

    # responses -----------------------------------------------------------------------------
    def response(self, key: tuple[Any, ...]) -> tuple[int, list[tuple[bytes, bytes]],
                                                      bytes] | None:
        with self._lock:
            found = self._responses.get(key)
            if found is not None:
                self._responses.move_to_end(key)
            return found

    def keep(self, epoch: int, key: tuple[Any, ...], status: int,
             headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """Keep a response computed in ``epoch`` (dropped if a write came in between)."""
        if len(body) > MAX_RESPONSE:
            return
        with self._lock:
            if self._epoch != epoch or key in self._responses:
                return
            self._responses[key] = (status, headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._responses:
                _, (_, _, old) = self._responses.popitem(last=False)
                self._bytes -= len(old)

    def __len__(self) -> int:
        return len(self._responses)


class AnswerMiddleware:
    """Starts a new epoch around every request that may write, and answers the GET requests of
    ``cacheable`` paths from the responses kept for their user in this epoch. A request for an
    answer that another request is computing waits for it rather than compute it too.

    ``identify(request, database)`` is the request's user as the route would find it, None
    when the route would refuse it (no or a bad token: the route answers the error itself);
    with ``database`` False it answers :data:`NEEDS_DATABASE` instead of reading the users
    table (then it is called again in a worker thread). It must read users through
    :class:`Answers` (``token_user``, ``key_user``), so a revocation counts at once.
    """

    def __init__(self, app: ASGIApp, answers: Answers, cacheable: re.Pattern[str],
                 identify: Identify) -> None:
        self.app = app
        self.answers = answers
        self.cacheable = cacheable
        self.identify = identify
        # kept-answer keys being computed now -> set once the answer is sent (on the loop)
        self._computing: dict[tuple[Any, ...], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._dispatch(scope, receive, send)
        finally:
            close_cursors(scope)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.concurrency import run_in_threadpool

        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in READS:
            if scope["path"] in NO_WRITE:
                await self.app(scope, receive, send)
                return
            # answers computed while it writes are not kept past it
            await run_in_threadpool(self.answers.written, 1)
            try:
                await self.app(scope, receive, send)
            finally:
                await run_in_threadpool(self.answers.written, -1)
            return
        if scope["method"] != "GET" or not self.cacheable.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        await self._cached(scope, receive, send)

    async def _cached(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.concurrency import run_in_threadpool

        epoch = self.answers.epoch
        request = Request(scope)
        try:
            user = self.identify(request, False)
            if user is NEEDS_DATABASE:
                user = await run_in_threadpool(self.identify, request, True)
        except Exception:  # a bad or revoked token: the route answers the error itself
            user = None
        if not isinstance(user, User):
            await self.app(scope, receive, send)
            return
        key = (epoch, scope["path"], scope.get("query_string", b""), user.name, user.role,
               user.key_id, request.cookies.get("vcrm_lang"),
               request.headers.get("accept-language"))
        found = self.answers.response(key)
        computing = self._computing.get(key) if found is None else None
        if computing is not None:  # the same answer is being computed: wait for it
            await computing.wait()
            found = self.answers.response(key)
        if found is not None:
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        mine = key not in self._computing
        if mine:
            self._computing[key] = asyncio.Event()
        try:
            await self._compute(scope, receive, send, epoch, key)
        finally:
            if mine:
                self._computing.pop(key).set()

    async def _compute(self, scope: Scope, receive: Receive, send: Send, epoch: int,
                       key: tuple[Any, ...]) -> None:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(epoch, key, started, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, epoch: int, key: tuple[Any, ...], started: dict[str, Any],
              body: bytes) -> None:
        headers = [(bytes(k), bytes(v)) for k, v in started.get("headers", [])]
        if started.get("status") != 200 or any(k.lower() == b"set-cookie" for k, _ in headers):
            return
        self.answers.keep(epoch, key, 200, headers, body)
