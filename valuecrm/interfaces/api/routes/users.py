"""Users and the audit log (admins only): list, add and revoke API tokens."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from valuecrm.errors import AlreadyExistsError
from valuecrm.interfaces.api.auth import Admin
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.users import add_user, list_users, read_audit, record_audit, revoke_user

router = APIRouter(tags=["users"])


class NewUser(BaseModel):
    """A user to create."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
    role: Literal["viewer", "analyst", "admin"]
    password: str | None = Field(default=None, min_length=8, max_length=200,
                                 description="Optional password for the dashboard.")


@router.get("/users")
def users(user: Admin, request: Request) -> dict[str, Any]:
    """Every user: name, role, key id, when created and when revoked."""
    with server_state(request).cursor() as cur:
        return {"items": [u.to_dict() for u in list_users(cur)]}


@router.post("/users", status_code=201, responses={409: {
    "description": "There is already an active user of that name (``already_exists``).",
    "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
def create_user(user: Admin, request: Request, new: NewUser) -> dict[str, Any]:
    """Create a user and answer their token: it is shown only this once. 409 if an active
    user has that name."""
    state = server_state(request)
    with state.write_lock, state.cursor() as cur:
        try:
            created, token = add_user(cur, new.name, new.role, new.password)
        except AlreadyExistsError as taken:
            raise AlreadyExistsError(taken.message, hint=(
                f"Revoke it first (DELETE /api/users/{new.name}) or pick another name."),
                name=new.name) from None
        record_audit(cur, user, "user_add", created.name, role=created.role)
    return {"user": created.to_dict(), "token": token}


@router.delete("/users/{name}")
def delete_user(user: Admin, request: Request,
                name: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """Revoke every active token of ``name`` (the rows stay, for the audit trail)."""
    state = server_state(request)
    with state.write_lock, state.cursor() as cur:
        revoked = revoke_user(cur, name)
        record_audit(cur, user, "user_revoke", name, len(revoked))
    return {"revoked": [u.to_dict() for u in revoked]}


@router.get("/audit")
def audit(
    user: Admin,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """The audit log, newest first: who ingested, exported or changed users, when, how many
    rows."""
    with server_state(request).cursor() as cur:
        entries, total = read_audit(cur, limit, offset)
    return {"items": entries, "total": total, "limit": limit, "offset": offset}
