"""A real server process over a realistic database, and HTTP clients for every role.

The database is generated once per session (``valuecrm.synthetic.generate``: Chinese and English
names, e-mail addresses and phone numbers), analysed once (a snapshot of the customer value
table), with a user of each role and a revoked one; each
server gets its own copy. Tests that load data (uploads) use ``writer_clients``, a second server,
so that the figures read through ``clients`` always equal those of the template database.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.servers import ROLES, ApiData, Server, start_server


@pytest.fixture(scope="session")
def api_data(tmp_path_factory: pytest.TempPathFactory) -> ApiData:
    from valuecrm.analysis import analyze
    from valuecrm.store import connect
    from valuecrm.store.users import add_user, revoke_user
    from valuecrm.synthetic import generate

    folder = tmp_path_factory.mktemp("api-template")
    path = folder / "crm.duckdb"
    generate(80, db=path, seed=11)
    with connect(path) as database:
        analyze(database)
        tokens = {role: add_user(database.raw, f"test-{role}", role)[1] for role in ROLES}
        tokens["revoked"] = add_user(database.raw, "test-gone", "admin")[1]
        revoke_user(database.raw, "test-gone")
    return ApiData(path, tokens)


@pytest.fixture(scope="session")
def server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(api_data, tmp_path_factory.mktemp("api-server"))


def clients_of(server: Server) -> Iterator[dict[str | None, httpx.Client]]:
    """One client of ``server`` per role, plus ``None`` (no token) and ``"revoked"``."""
    made = {role: server.client(role) for role in (*ROLES, "revoked")}
    made[None] = server.client()
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="session")
def clients(server: Server) -> Iterator[dict[str | None, httpx.Client]]:
    """One client per role, plus ``None`` (no token) and ``"revoked"``."""
    yield from clients_of(server)


@pytest.fixture(scope="session")
def writer_server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[Server]:
    """A server of its own for the tests that load data into it."""
    yield from start_server(api_data, tmp_path_factory.mktemp("api-writes"))


@pytest.fixture(scope="session")
def writer_clients(writer_server: Server) -> Iterator[dict[str | None, httpx.Client]]:
    """Like ``clients``, on ``writer_server``."""
    yield from clients_of(writer_server)
