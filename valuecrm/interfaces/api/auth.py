"""Who is calling: the bearer token, the user it belongs to, and what their role allows.

Handlers declare the lowest role they need with one of the annotated types ``Viewer``,
``Analyst`` or ``Admin`` (``def route(user: Analyst)``); :func:`document_roles` writes that role
into the OpenAPI description of each operation (``x-min-role``) before the router is
included.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from valuecrm.errors import AuthenticationError, PermissionDeniedError
from valuecrm.interfaces.api.answers import NEEDS_DATABASE
from valuecrm.interfaces.api.state import ServerState, server_state
from valuecrm.store.users import User, authenticate

bearer = HTTPBearer(auto_error=False, bearerFormat="vcrm token",
                    description="A token printed by 'valuecrm users add NAME --role ROLE'.")

_ALLOWED = {
    "viewer": "read customers (personal data masked; birth year, gender and city coarsened), "
              "KPIs and models",
    "analyst": "also see personal data and export",
    "admin": "also ingest files, manage users and read the audit log",
}


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user whose token came with the request, else 401. On the event loop when the user
    is known in this epoch; reading the users table (and scrypt) goes to a worker thread."""
    if credentials is None:
        raise AuthenticationError(
            "This route needs an API token.",
            hint="Send 'Authorization: Bearer TOKEN' with a token printed by "
                 "'valuecrm users add NAME --role ROLE'.")
    state = server_state(request)
    if is_local(state, credentials.credentials):
        return local_reader(request)
    known = token_user(state, credentials.credentials, database=False)
    if known is not None:
        return known
    return await run_in_threadpool(token_user, state, credentials.credentials)


def is_local(state: ServerState, token: str) -> bool:
    """Whether ``token`` is the local read-only identity of 'valuecrm serve'."""
    return bool(state.local_token) and secrets.compare_digest(token.encode(),
                                                              state.local_token.encode())


def token_user(state: ServerState, token: str, database: bool = True) -> User | None:
    """The active user holding ``token`` (AuthenticationError if none): read once per epoch of
    the server's writes (:class:`~valuecrm.interfaces.api.answers.Answers`), so revoking it
    counts from the next request on. With ``database`` False, None when not known yet."""

    def check() -> User:
        with state.cursor() as cursor:
            return authenticate(cursor, token, state.verified_tokens)

    return state.answers.token_user(token, check if database else None)


def bearer_user(request: Request, database: bool) -> Any:
    """The user of an API request's bearer token, for the kept answers
    (:class:`~valuecrm.interfaces.api.answers.AnswerMiddleware`); None without one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    state = server_state(request)
    if scheme.lower() != "bearer" or not token or is_local(state, token):
        return None
    found = token_user(state, token, database)
    return NEEDS_DATABASE if found is None else found


def local_reader(request: Request) -> User:
    """The read-only local identity of 'valuecrm serve' (its token is in the endpoint file
    beside the database, readable by the owner of the database only): it reads as an analyst
    would, so the CLI prints what it prints without the server, and it may not change anything."""
    if request.method not in ("GET", "HEAD"):
        raise PermissionDeniedError(
            "The local read-only identity of 'valuecrm serve' may only read.",
            hint="Use a token made by 'valuecrm users add NAME --role ROLE'.")
    return User(name="local-reader", role="analyst", key_id="local",
                created_at=dt.datetime(1970, 1, 1))


@cache
def requires(role: str) -> Callable[..., User]:
    """A dependency that lets through users of ``role`` or above, else 403."""

    async def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.may(role):
            raise PermissionDeniedError(
                f"The {user.role} role may not do this: it needs the {role} role.",
                hint=f"An {role} may {_ALLOWED[role]}; ask an administrator for such a token.",
                required_role=role, your_role=user.role)
        return user

    dependency.min_role = role  # type: ignore[attr-defined]
    return dependency


Viewer = Annotated[User, Depends(requires("viewer"))]
Analyst = Annotated[User, Depends(requires("analyst"))]
Admin = Annotated[User, Depends(requires("admin"))]


def min_role(route: APIRoute) -> str | None:
    """The role a route's dependencies require (None for a public route)."""
    pending: list[Any] = [route.dependant]
    while pending:
        dependant = pending.pop()
        role = getattr(dependant.call, "min_role", None)
        if role is not None:
            return role
        pending.extend(dependant.dependencies)
    return None


def document_roles(router: APIRouter) -> None:
    """Write each route's required role into its OpenAPI operation (``x-min-role``)."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            role = min_role(route)
            if role is not None:
                route.openapi_extra = {**(route.openapi_extra or {}), "x-min-role": role}
                note = f"Requires the **{role}** role (or above)."
                if note not in route.description:  # routers are shared by every app made
                    route.description = f"{route.description}\n\n{note}".strip()
