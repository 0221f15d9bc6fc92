"""Who may use the API: users with a role, API tokens and passwords stored as salted hashes,
and the audit log of ingests, exports and user changes.

A token is ``vcrm_<key id>_<secret>``: the key id (12 hex digits) finds the row, the secret is
checked against its scrypt hash (RFC 7914; salt per row). Only the hash is stored: a token is
shown once, when it is made. Roles are ordered ``viewer < analyst < admin``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from valuecrm.errors import (
    AlreadyExistsError,
    AuthenticationError,
    NotFoundError,
    ParameterError,
)

if TYPE_CHECKING:
    import duckdb

USERS_TABLE = "_valuecrm_users"
AUDIT_TABLE = "_valuecrm_audit"
ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
TOKEN_PREFIX = "vcrm_"
_KEY_LENGTH = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
# scrypt cost: about 16 MiB and a few tens of milliseconds per check
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

USERS_DDL = f"""CREATE TABLE IF NOT EXISTS {USERS_TABLE} (
  key_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  token_salt VARCHAR NOT NULL,
  token_hash VARCHAR NOT NULL,
  password_salt VARCHAR,
  password_hash VARCHAR,
  created_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP
)"""
AUDIT_DDL = f"""CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (
  logged_at TIMESTAMP NOT NULL,
  actor VARCHAR,
  role VARCHAR,
  action VARCHAR NOT NULL,
  target VARCHAR,
  "rows" BIGINT,
  detail VARCHAR
)"""


USERS_COLUMNS: dict[str, str] = {
    "key_id": "VARCHAR", "name": "VARCHAR", "role": "VARCHAR", "token_salt": "VARCHAR",
    "token_hash": "VARCHAR", "password_salt": "VARCHAR", "password_hash": "VARCHAR",
    "created_at": "TIMESTAMP", "revoked_at": "TIMESTAMP",
}
AUDIT_COLUMNS: dict[str, str] = {
    "logged_at": "TIMESTAMP", "actor": "VARCHAR", "role": "VARCHAR", "action": "VARCHAR",
    "target": "VARCHAR", "rows": "BIGINT", "detail": "VARCHAR",
}


@dataclass(frozen=True)
class User:
    """A user as the API sees them (never their token or password)."""

    name: str
    role: str
    key_id: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def may(self, role: str) -> bool:
        """Whether this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(secret: str, salt: str) -> str:
    return hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), **_SCRYPT).hex()


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``table`` exists: the store creates it when a database is opened for writing
    (:mod:`valuecrm.store.migrations`); an old database opened read-only may lack it."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = "
                            "current_schema() AND table_name = ?", [table]).fetchone()[0])


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ParameterError.of("role", "users add", "one of " + ", ".join(ROLES), role)
    return role


def add_user(con: duckdb.DuckDBPyConnection, name: str, role: str,
             password: str | None = None) -> tuple[User, str]:
    """Create user ``name`` with ``role``; return the user and their token (shown only now)."""
    check_role(role)
    if not _NAME.match(name):
        raise ParameterError.of("name", "users add", "1-64 letters, digits or ._@- (starting "
                                "with a letter or digit)", name)
    if _active_rows(con, name):
        raise AlreadyExistsError(f"There is already an active user {name!r}.",
                         hint=f"Revoke it first (valuecrm users revoke {name}) or pick "
                              "another name.")
    key_id = secrets.token_hex(_KEY_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    password_salt = password_hash = None
    if password is not None:
        if len(password) < 8:
            raise ParameterError.of("password", "users add", "at least 8 characters",
                                    "*" * len(password))
        password_salt = secrets.token_hex(16)
        password_hash = _hash(password, password_salt)
    created = _now()
    con.execute(f"INSERT INTO {USERS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                [key_id, name, role, salt, _hash(secret, salt), password_salt, password_hash,
                 created])
    return User(name, role, key_id, created), f"{TOKEN_PREFIX}{key_id}_{secret}"


def list_users(con: duckdb.DuckDBPyConnection, *, include_revoked: bool = True) -> list[User]:
    """Every user (active first, then revoked), oldest first."""
    if not _has_table(con, USERS_TABLE):
        return []
    where = "" if include_revoked else "WHERE revoked_at IS NULL"
    rows = con.execute(f"SELECT name, role, key_id, created_at, revoked_at FROM {USERS_TABLE} "
                       f"{where} ORDER BY revoked_at IS NOT NULL, created_at, name").fetchall()
    return [User(*row) for row in rows]


def revoke_user(con: duckdb.DuckDBPyConnection, name: str) -> list[User]:
    """Revoke every active token of ``name``; return the users revoked."""
    active = _active_rows(con, name)
    if not active:
        raise NotFoundError(f"There is no active user {name!r}.",
                            hint="List them with 'valuecrm users list' (or GET /api/users).")
    now = _now()
    con.execute(f"UPDATE {USERS_TABLE} SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                [now, name])
    return [User(u.name, u.role, u.key_id, u.created_at, now) for u in active]


def _active_rows(con: duckdb.DuckDBPyConnection, name: str) -> list[User]:
    rows = con.execute(f"SELECT name, role, key_id, created_at, revoked_at FROM {USERS_TABLE} "
                       "WHERE name = ? AND revoked_at IS NULL", [name]).fetchall()
    return [User(*row) for row in rows]


def split_token(token: str) -> tuple[str, str]:
    """``(key_id, secret)`` of a well-formed token, else an AuthenticationError."""
    body = token.removeprefix(TOKEN_PREFIX)
    key_id, sep, secret = body[:_KEY_LENGTH], body[_KEY_LENGTH:_KEY_LENGTH + 1], body[
        _KEY_LENGTH + 1:]
    if body == token or len(key_id) != _KEY_LENGTH or sep != "_" or not secret:
        raise _bad_token()
    return key_id, secret


def authenticate(con: duckdb.DuckDBPyConnection, token: str,
                 verified: set[str] | None = None) -> User:
    """The active user holding ``token``, else an AuthenticationError.

    ``verified`` (optional) remembers digests of tokens already checked, so a long-running
    server pays for scrypt once per token; revocation is still read from the table each time.
    """
    key_id, secret = split_token(token)
    row = con.execute(f"SELECT name, role, key_id, created_at, revoked_at, token_salt, "
                      f"token_hash FROM {USERS_TABLE} WHERE key_id = ?", [key_id]).fetchone() \
        if _has_table(con, USERS_TABLE) else None
    if row is None:
        raise _bad_token()
    user = User(*row[:5])
    digest = hashlib.sha256(token.encode()).hexdigest()
    if verified is None or digest not in verified:
        if not hmac.compare_digest(_hash(secret, row[5]), row[6]):
            raise _bad_token()
        if verified is not None:
            verified.add(digest)
    if user.revoked_at is not None:
        raise AuthenticationError("This token has been revoked.",
                                  hint="Ask an administrator for a new one "
                                       "(valuecrm users add NAME --role ROLE).")
    return user


@cache
def _dummy_password() -> tuple[str, str]:
    """(salt, hash) checked when a name has no password: every sign-in costs one scrypt, so the
    time taken does not tell whether a name exists (no password matches a random secret)."""
    salt = secrets.token_hex(16)
    return salt, _hash(secrets.token_urlsafe(32), salt)


def verify_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User:
    """The active user ``name`` if ``password`` is theirs (for signing in to the dashboard).

    Known and unknown names take the same time: both compute exactly one scrypt hash.
    """
    row = con.execute(f"SELECT name, role, key_id, created_at, revoked_at, password_salt, "
                      f"password_hash FROM {USERS_TABLE} WHERE name = ? AND revoked_at IS NULL "
                      "AND password_hash IS NOT NULL", [name]).fetchone() \
        if _has_table(con, USERS_TABLE) else None
    salt, expected = (row[5], row[6]) if row is not None else _dummy_password()
    matches = hmac.compare_digest(_hash(password, salt), expected)
    if row is None or not matches:
        raise AuthenticationError("Wrong user name or password.",
                                  hint="Sign in with your API token instead, or ask an "
                                       "administrator to set a password.")
    return User(*row[:5])


def _bad_token() -> AuthenticationError:
    return AuthenticationError(
        "The API token is not valid.",
        hint="Send 'Authorization: Bearer TOKEN' with a token printed by "
             "'valuecrm users add NAME --role ROLE'.")


def record_audit(con: duckdb.DuckDBPyConnection, user: User | None, action: str,
                 target: str | None = None, rows: int | None = None, **detail: Any) -> None:
    """Append one entry to the audit log (who, when, what, how many rows)."""
    con.execute(f"INSERT INTO {AUDIT_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                [_now(), user.name if user else None, user.role if user else None, action,
                 target, rows, json.dumps(detail, default=str) if detail else None])


def read_audit(con: duckdb.DuckDBPyConnection, limit: int = 100,
               offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The newest ``limit`` audit entries after ``offset``, and how many there are in all."""
    if not _has_table(con, AUDIT_TABLE):
        return [], 0
    total = int(con.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0])
    cursor = con.execute(f'SELECT logged_at, actor, role, action, target, "rows", detail FROM '
                         f"{AUDIT_TABLE} ORDER BY logged_at DESC LIMIT ? OFFSET ?", [limit, offset])
    names = [d[0] for d in cursor.description]
    entries = []
    for row in cursor.fetchall():
        entry = dict(zip(names, row, strict=True))
        entry["detail"] = json.loads(entry["detail"]) if entry["detail"] else None
        entries.append(entry)
    return entries, total


def active_user(con: duckdb.DuckDBPyConnection, key_id: str) -> User | None:
    """The user whose token has ``key_id`` (a dashboard session's cookie names it), None when
    there is none or it is revoked."""
    if not _has_table(con, USERS_TABLE):
        return None
    row = con.execute(f"SELECT name, role, key_id, created_at, revoked_at FROM "
                      f"{USERS_TABLE} WHERE key_id = ?", [key_id]).fetchone()
    if row is None or row[4] is not None:
        return None
    return User(*row)
