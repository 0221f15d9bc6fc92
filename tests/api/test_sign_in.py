"""Password sign-in cannot be used to guess passwords or to probe user names.

- Throttling: past the limit of failures for one name, or from one address, within the window,
  ``POST /login`` answers 429 with ``Retry-After`` and checks nothing (a real server with small
  limits, set through its environment; the throttle alone with a fake clock).
- Timing: a known name with a wrong password and an unknown name cost the same, one scrypt hash
  each (counted, not timed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.servers import ApiData, Server, start_server
from valuecrm.errors import AuthenticationError, ParameterError, TooManyAttemptsError
from valuecrm.interfaces.api.throttle import SignInThrottle
from valuecrm.store import users
from valuecrm.store.users import add_user, revoke_user, verify_password

PASSWORD = "correct-horse-42"
LIMIT, ADDRESS_LIMIT, WINDOW = 3, 8, 60


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---- the throttle alone ------------------------------------------------------------------------

def test_a_name_is_refused_after_its_failures_until_the_window_moves_on():
    clock = Clock()
    throttle = SignInThrottle(limit=3, address_limit=100, window=60, clock=clock)
    for _ in range(3):
        throttle.check("alice", "10.0.0.1")
        throttle.failed("alice", "10.0.0.1")
        clock.now += 1
    with pytest.raises(TooManyAttemptsError) as refused:
        throttle.check("ALICE", "10.0.0.2")  # another address, the same name (any case)
    assert refused.value.status == 429 and refused.value.retry_after == 57
    assert "for this user name" in refused.value.message
    throttle.check("bob", "10.0.0.1")  # other names are not slowed
    clock.now += 57  # the first failure leaves the window
    throttle.check("alice", "10.0.0.1")


def test_an_address_is_refused_after_its_failures_over_many_names():
    clock = Clock()
    throttle = SignInThrottle(limit=3, address_limit=5, window=60, clock=clock)
    for i in range(5):
        throttle.failed(f"nobody{i}", "10.0.0.9")  # unknown names count like known ones
    with pytest.raises(TooManyAttemptsError, match="from this address"):
        throttle.check("someone-else", "10.0.0.9")
    throttle.check("someone-else", "10.0.0.1")


def test_success_clears_the_name_but_not_the_address():
    throttle = SignInThrottle(limit=2, address_limit=3, window=60, clock=Clock())
    throttle.failed("alice", "10.0.0.1")
    throttle.succeeded("alice")
    throttle.failed("alice", "10.0.0.1")
    throttle.check("alice", "10.0.0.1")  # one failure since the success
    throttle.failed("alice", "10.0.0.1")
    with pytest.raises(TooManyAttemptsError):
        throttle.check(None, "10.0.0.1")  # a token sign-in from the address: 3 failures


def test_the_limits_come_from_the_environment():
    assert SignInThrottle.from_environment({}) == SignInThrottle()
    made = SignInThrottle.from_environment({"VALUECRM_SIGNIN_LIMIT": "3",
                                            "VALUECRM_SIGNIN_ADDRESS_LIMIT": "7",
                                            "VALUECRM_SIGNIN_WINDOW": "0.5"})
    assert (made.limit, made.address_limit, made.window) == (3, 7, 0.5)
    for variable, value in (("VALUECRM_SIGNIN_LIMIT", "0"), ("VALUECRM_SIGNIN_LIMIT", "2.5"),
                            ("VALUECRM_SIGNIN_WINDOW", "soon")):
        with pytest.raises(ParameterError, match=variable):
            SignInThrottle.from_environment({variable: value})


# ---- one hash on every path ---------------------------------------------------------------------

@pytest.fixture
def counted_hashes(db, monkeypatch) -> list[str]:
    """The database with alice (password), bob (no password), carol (revoked); every scrypt
    call from now on is recorded."""
    add_user(db.raw, "alice", "viewer", PASSWORD)
    add_user(db.raw, "bob", "viewer")
    add_user(db.raw, "carol", "viewer", PASSWORD)
    revoke_user(db.raw, "carol")
    users._dummy_password()  # made once per process, before the first unknown name
    calls: list[str] = []
    real = users._hash
    monkeypatch.setattr(users, "_hash", lambda secret, salt: calls.append(salt) or real(
        secret, salt))
    return calls


@pytest.mark.parametrize(("name", "password"), [
    ("alice", "wrong-password"), ("nobody", "wrong-password"), ("bob", "wrong-password"),
    ("carol", PASSWORD),
])
def test_every_failed_sign_in_hashes_exactly_once(db, counted_hashes, name, password):
    with pytest.raises(AuthenticationError, match="Wrong user name or password"):
        verify_password(db.raw, name, password)
    assert len(counted_hashes) == 1


def test_a_correct_password_hashes_once_too(db, counted_hashes):
    assert verify_password(db.raw, "alice", PASSWORD).name == "alice"
    assert len(counted_hashes) == 1


# ---- a real server -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def login_server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from valuecrm.store import connect

    folder = tmp_path_factory.mktemp("api-sign-in")
    data = ApiData(folder / "with-passwords.duckdb", api_data.tokens)
    data.path.write_bytes(api_data.path.read_bytes())
    with connect(data.path) as database:
        for name in ("pat", "quinn"):
            add_user(database.raw, name, "viewer", PASSWORD)
    yield from start_server(data, folder, env={
        "VALUECRM_SIGNIN_LIMIT": str(LIMIT), "VALUECRM_SIGNIN_ADDRESS_LIMIT": str(ADDRESS_LIMIT),
        "VALUECRM_SIGNIN_WINDOW": str(WINDOW)})


def login(server: Server, name: str, password: str) -> httpx.Response:
    return httpx.post(f"{server.url}/login", data={"name": name, "password": password},
                      timeout=60)


def test_the_dashboard_refuses_password_guessing_with_429(login_server):
    codes = [login(login_server, "pat", f"guess-{i}").status_code for i in range(LIMIT)]
    assert codes == [401] * LIMIT
    refused = login(login_server, "pat", PASSWORD)  # even the right password, for now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= WINDOW
    assert refused.headers["content-type"].startswith("text/html")
    assert "Too many failed sign-ins" in refused.text
    assert login(login_server, "quinn", PASSWORD).status_code == 303  # others sign in
    assert httpx.get(f"{login_server.url}/api/health").status_code == 200
    # then many names from this one address: its failures so far count too
    codes = [login(login_server, f"nobody{i}", "guess").status_code for i in range(12)]
    assert codes == [401] * (ADDRESS_LIMIT - LIMIT) + [429] * (12 - ADDRESS_LIMIT + LIMIT)


def test_the_python_api_of_users_is_unchanged_for_right_passwords(db):
    user, _ = add_user(db.raw, "dana", "analyst", PASSWORD)
    assert verify_password(db.raw, "dana", PASSWORD) == user
    assert user.created_at <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
