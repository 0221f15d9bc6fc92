"""The endpoint file of a running server: how reading commands reach it while it holds the database.

DuckDB lets no other process open a file that one process holds for writing. ``valuecrm serve``
therefore writes ``<database>.serve.json`` beside the database (mode 0600, removed when it stops):
its process id, its URL and the token of a read-only local identity made at start (never stored
in the database). A reading command that finds the database held reads that file and asks the
server for the same plain data it would have computed (:mod:`valuecrm.views`), so it prints the
same. A file whose process is gone is stale and ignored.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valuecrm import errors

SUFFIX = ".serve.json"
TIMEOUT_SECONDS = 600


def endpoint_path(db_path: str | os.PathLike[str]) -> Path:
    """``<database>.serve.json``, beside the database file."""
    resolved = Path(db_path).expanduser().resolve()
    return resolved.with_name(resolved.name + SUFFIX)


def new_token() -> str:
    return "local-" + secrets.token_urlsafe(32)


def local_url(host: str, port: int) -> str:
    """The URL this computer reaches a server listening on ``host``:``port`` at."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def write_endpoint(db_path: str | os.PathLike[str], url: str, token: str) -> Path:
    """Write the endpoint file (readable by this user only); return its path."""
    path = endpoint_path(db_path)
    body = json.dumps({"pid": os.getpid(), "url": url, "token": token})
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(body)
    return path


def remove_endpoint(path: Path, token: str) -> None:
    """Remove the endpoint file if it is still ours (another server may have replaced it)."""
    try:
        if json.loads(path.read_text()).get("token") == token:
            path.unlink()
    except (OSError, ValueError):
        pass


@dataclass(frozen=True)
class Endpoint:
    """A running server over the database, as its endpoint file describes it."""

    url: str
    token: str

    def get(self, route: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON answer of ``GET route``; an error answer is raised as the valuecrm error
        of its code (so the command exits with the same code it would have locally)."""
        with self._open(route, params, "application/json") as answer:
            return json.loads(answer.read().decode("utf-8"))

    def download(self, route: str, params: dict[str, Any] | None,
                 path: str | os.PathLike[str]) -> dict[str, str]:
        """Write the answer of ``GET route`` to ``path``: streamed to a hidden file beside it,
        renamed when complete (so ``path`` is whole or untouched); the answer's headers (names
        in lower case). Errors are raised as :meth:`get` raises them."""
        target = Path(path)
        partial = target.with_name(f".{target.name}.part")
        try:
            with self._open(route, params, "*/*") as answer, partial.open("wb") as out:
                shutil.copyfileobj(answer, out, 1 << 20)
                headers = {k.lower(): v for k, v in answer.headers.items()}
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return headers

    @contextmanager
    def _open(self, route: str, params: dict[str, Any] | None,
              accept: str) -> Iterator[Any]:
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items()
                                        if v is not None}, doseq=True)
        request = urllib.request.Request(self.url + route + (f"?{query}" if query else ""),
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Accept": accept})
        try:
            answer = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
        except urllib.error.HTTPError as failed:
            raise _error(failed) from None
        except (urllib.error.URLError, OSError) as failed:
            raise self._unanswered(failed) from None
        with answer:
            try:
                yield answer
            except (urllib.error.URLError, ConnectionError, TimeoutError) as failed:
                raise self._unanswered(failed) from None

    def _unanswered(self, failed: Exception) -> errors.DatabaseError:
        return errors.DatabaseError(
            f"The server at {self.url} holds the database but did not answer ({failed}).",
            hint="Check that 'valuecrm serve' still runs, or stop it and run this command "
                 "again.")


def read_endpoint(db_path: str | os.PathLike[str]) -> Endpoint | None:
    """The running server of ``db_path``, or None (no file, unreadable, or its process gone)."""
    try:
        found = json.loads(endpoint_path(db_path).read_text())
        pid, url, token = int(found["pid"]), str(found["url"]), str(found["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, another user's: its file would not be readable anyway
        pass
    return Endpoint(url, token)


def _error(failed: urllib.error.HTTPError) -> errors.ValueCRMError:
    try:
        body = json.loads(failed.read().decode("utf-8"))
    except (OSError, ValueError):
        body = {}
    kinds = {cls.code: cls for cls in _subclasses(errors.ValueCRMError)}
    kind = kinds.get(body.get("error"),
                     errors.InputError if 400 <= failed.code < 500 else errors.ValueCRMError)
    message = body.get("message") or f"The server answered HTTP {failed.code}."
    return kind(message, hint=body.get("hint"))


def _subclasses(cls: type) -> list[type]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _subclasses(sub)
    return found
