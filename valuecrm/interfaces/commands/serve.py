"""``valuecrm serve`` (the REST API) and ``valuecrm users add|list|revoke`` (API tokens)."""

from __future__ import annotations

import errno
import signal
import socket
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from valuecrm.errors import DatabaseLockedError, PortUnavailableError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.context import emit_json, state

if TYPE_CHECKING:
    from collections.abc import Iterator

    from valuecrm.store import Database

users_app = typer.Typer(
    help="Manage who may use the API: tokens for viewers, analysts and admins.\n\n"
         "Example: valuecrm users add alice --role analyst --password",
    no_args_is_help=True,
)

THREADS = 8  # worker threads of 'serve' (anyio's default of 40 starves the event loop at load)
LOCKED_HINT = (
    "Stop 'valuecrm serve' first, or manage users through the running server with an admin "
    "token: POST /api/users, GET /api/users, DELETE /api/users/NAME (see /docs)."
)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this "
                                      "computer only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
    = 8000,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level: critical, "
                                           "error, warning, info, debug.")] = "info",
    threads: Annotated[int, typer.Option("--threads", min=1, max=256, help=(
        "Requests computed at once; answers kept since the last write, and searches and 360 "
        "views once the lookup copy is ready, are sent without a thread."))] = THREADS,
    memory_limit: Annotated[str | None, typer.Option(
        "--memory-limit", help="Cap on the memory DuckDB uses for the server, e.g. 4GB: its "
        "cache of the database and every query's work (beyond it, work spills to temporary "
        "files). Default: DuckDB's, 80% of the machine's memory.")] = None,
) -> None:
    """Run the REST API (OpenAPI documentation at /docs) over the --db database until Ctrl-C.

    The server holds the database for writing. While it runs, the reading commands (kpis,
    segments, snapshots, actions, migration, cohorts, customers list and show) on the same
    file ask it instead, through the file DATABASE.serve.json it keeps beside the database
    (readable by you only, removed on exit);
    commands that write stop with a message (exit code 4) naming the API route to use. If
    another program listens on the port, it stops at once (exit code 5): choose another with
    --port. Make
    tokens first with 'valuecrm users add NAME --role admin'.

    Figures per snapshot, searches and 360 views are answered once per user and kept until the
    server next writes (a load, an analysis, a user change...); bench/serve_load.py measures
    it at load. Searches and 360 views read a copy of the per-customer tables that the server
    keeps in the temporary directory while nothing is written (about 1.5 times the database
    file; TMPDIR chooses the disk).

    Example: valuecrm --db valuecrm-demo.duckdb serve --port 8000
    """
    import uvicorn

    from valuecrm.interfaces.api.collector import tune_for_serving
    from valuecrm.interfaces.api.http_protocol import protocol_class
    from valuecrm.interfaces.commands import _endpoint
    from valuecrm.interfaces.server import create_app

    state(ctx).require_existing()
    listening = bind(host, port)  # before anything is opened or printed
    try:
        with options_named(memory_limit="--memory-limit"):
            app = create_app(state(ctx).db, threads=threads, memory_limit=memory_limit)
    except BaseException:
        listening.close()
        raise
    served = app.state.valuecrm
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving {served.database.path} at http://{shown}:{port}/api "
          f"(documentation at http://{shown}:{port}/docs). Press Ctrl-C to stop.", flush=True)
    endpoint = None
    if served.database.path is not None:
        served.local_token = _endpoint.new_token()
        endpoint = _endpoint.write_endpoint(served.database.path,
                                            _endpoint.local_url(host, port), served.local_token)
    # uvicorn stops gracefully on SIGTERM, then raises the signal again to the handler it
    # found: make that one exit through the finally below, so the endpoint file goes too.
    previous = signal.signal(signal.SIGTERM, _stopped)
    tune_for_serving()  # a long-running process: the collector tuned for it
    try:
        # asyncio's own loop, not uvloop: with uvloop (libuv 1.48, io_uring on by default) new
        # connections waited 5-12 s to be served after 200 clients signed in at once in 8 of 34
        # runs of bench/serve_load.py; in 15 with asyncio's, never, at the same throughput
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level,
                                               http=protocol_class(), loop="asyncio"))
        server.run(sockets=[listening])  # the socket bound above: no other program can take it
    finally:
        signal.signal(signal.SIGTERM, previous)
        if endpoint is not None:
            _endpoint.remove_endpoint(endpoint, served.local_token)


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for the server, else a PortUnavailableError that says
    why (another program listens there, the port needs privileges, the address is unknown)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise PortUnavailableError(
            f"Cannot listen on {host!r}: it is not an address of this computer ({error}).",
            hint="Give --host 127.0.0.1 (this computer only) or --host 0.0.0.0 (every "
                 "network).") from None
    listening = socket.socket(family, kind, proto)
    try:
        if hasattr(socket, "SO_REUSEADDR"):  # restart at once, but never share a live port
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.set_inheritable(True)
    except OSError as error:
        listening.close()
        raise _unavailable(host, port, error) from None
    return listening


def _unavailable(host: str, port: int, error: OSError) -> PortUnavailableError:
    if error.errno == errno.EADDRINUSE:
        free = _free_port(host, port)
        return PortUnavailableError(
            f"Port {port} on {host} is already in use by another program (perhaps another "
            "'valuecrm serve').",
            hint=f"Stop that program, or choose another port: --port {free}."
            if free else "Stop that program, or choose another port with --port N.")
    if error.errno in (errno.EACCES, errno.EPERM):
        return PortUnavailableError(
            f"This user may not listen on port {port} (ports below 1024 need administrator "
            "rights).", hint="Choose a port of 1024 or above, e.g. --port 8000.")
    return PortUnavailableError(f"Cannot listen on {host} port {port}: {error.strerror}.",
                                hint="Check --host (127.0.0.1: this computer only) and "
                                     "--port.")


def _free_port(host: str, port: int) -> int | None:
    """The first port after ``port`` that nothing listens on (of the next 20), if any."""
    for candidate in range(port + 1, min(port + 21, 65536)):
        try:
            with socket.create_server((host, candidate)):
                return candidate
        except OSError:
            continue
    return None


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


@contextmanager
def _users_database(ctx: typer.Context) -> Iterator[Database]:
    """The database for a users command; a held lock says to stop the server or use the API."""
    try:
        database = state(ctx).connect()
    except DatabaseLockedError as locked:
        raise DatabaseLockedError(locked.message, hint=LOCKED_HINT) from None
    with database:
        yield database


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="viewer (personal data masked), analyst "
                                      "(may export) or admin (may ingest and manage users).")],
    password: Annotated[bool, typer.Option("--password", help="Also ask for a password for "
                                           "the dashboard.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the user and token as JSON.")]
    = False,
) -> None:
    """Create a user and print their API token, once: only a salted hash of it is kept.

    Example: valuecrm users add alice --role admin --password
    """
    from valuecrm.store.users import add_user, check_role, record_audit

    check_role(role)
    secret = (typer.prompt("Password", hide_input=True, confirmation_prompt=True)
              if password else None)
    with _users_database(ctx) as database:
        user, token = add_user(database.raw, name, role, secret)
        record_audit(database.raw, None, "user_add", user.name, role=user.role, via="cli")
    if as_json:
        emit_json({**user.to_dict(), "token": token})
        return
    print(f"Created {user.role} {user.name!r}. Their API token (shown only now, store it "
          f"safely):\n{token}")
    print("Send it as the header 'Authorization: Bearer TOKEN'.")


@users_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the users as JSON.")] = False,
) -> None:
    """List the users: name, role, when created, and when revoked.

    Example: valuecrm users list --json
    """
    from valuecrm.store.users import list_users

    with _users_database(ctx) as database:
        users = list_users(database.raw)
    if as_json:
        emit_json([u.to_dict() for u in users])
        return
    if not users:
        print("No users yet. Create one with: valuecrm users add NAME --role admin")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "role", "key id", "created (UTC)", "revoked (UTC)")
    for u in users:
        table.add_row(u.name, u.role, u.key_id, f"{u.created_at:%Y-%m-%d %H:%M}",
                      "" if u.revoked_at is None else f"{u.revoked_at:%Y-%m-%d %H:%M}")
    Console().print(table)


@users_app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user whose tokens stop working.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the revoked users as JSON.")]
    = False,
) -> None:
    """Revoke a user's tokens at once (the user stays listed, for the audit trail).

    Example: valuecrm users revoke alice
    """
    from valuecrm.store.users import record_audit, revoke_user

    with _users_database(ctx) as database:
        revoked = revoke_user(database.raw, name)
        record_audit(database.raw, None, "user_revoke", name, len(revoked), via="cli")
    if as_json:
        emit_json([u.to_dict() for u in revoked])
        return
    print(f"Revoked {name!r}: their token no longer works.")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app, name="users")
