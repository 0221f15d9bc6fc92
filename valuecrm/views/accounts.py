"""The signed-in user of a dashboard session: the row of the users table its cookie names
(beside :mod:`valuecrm.store.users`, where it may move)."""

from __future__ import annotations

from typing import Any

from valuecrm.store.users import USERS_TABLE, User

__all__ = ["active_user"]


def active_user(con: Any, key_id: str) -> User | None:
    """The user whose token has ``key_id``, None when there is none or it is revoked."""
    row = con.execute(f"SELECT name, role, key_id, created_at, revoked_at FROM "
                      f"{USERS_TABLE} WHERE key_id = ?", [key_id]).fetchone()
    if row is None or row[4] is not None:
        return None
    return User(*row)
