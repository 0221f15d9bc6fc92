"""Users: tokens made by the CLI or the API, stored hashed, revoked at once; the CLI stops with
exit code 4 and says what to do while the server holds the database."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import run
from valuecrm.store.users import USERS_TABLE


def run_cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    return run(monkeypatch, capsys, *args)


def test_admin_manages_users_through_the_api(server, clients):
    admin = clients["admin"]
    created = admin.post("/api/users", json={"name": "api-made", "role": "viewer"})
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert created.json()["user"]["role"] == "viewer"
    with server.client(token=token) as newcomer:
        assert newcomer.get("/api/kpis").status_code == 200
        assert newcomer.get("/api/exports/customers").status_code == 403
        names = [u["name"] for u in admin.get("/api/users").json()["items"]]
        assert "api-made" in names and "test-viewer" in names
        assert admin.post("/api/users", json={"name": "api-made", "role": "admin"}
                          ).status_code == 409  # already active
        revoked = admin.delete("/api/users/api-made")
        assert revoked.status_code == 200
        assert newcomer.get("/api/kpis").status_code == 401
    assert admin.delete("/api/users/api-made").status_code == 404
    actions = [(e["action"], e["target"]) for e in
               admin.get("/api/audit", params={"limit": 1000}).json()["items"]]
    assert ("user_add", "api-made") in actions and ("user_revoke", "api-made") in actions


def test_only_a_salted_hash_is_stored(api_data):
    with duckdb.connect(str(api_data.path), read_only=True) as con:
        stored = con.execute(f"SELECT * FROM {USERS_TABLE}").fetchall()
    text = repr(stored)
    for token in api_data.tokens.values():
        assert token not in text and token.split("_", 2)[2] not in text
    salts = [row[3] for row in stored]
    assert len(set(salts)) == len(salts)


def test_cli_stops_cleanly_while_the_server_runs(server, monkeypatch, capsys):
    for args in (["users", "add", "late", "--role", "viewer"], ["users", "list"],
                 ["users", "revoke", "someone"]):
        code, out, err = run_cli(["--db", str(server.db_path), *args], monkeypatch, capsys)
        assert code == 4, (args, out, err)
        assert "in use by another process" in err
        assert "valuecrm serve" in err and "/api/users" in err
        assert "Traceback" not in err and "IOException" not in err


def initialised(tmp_path: Path) -> str:
    """A database made by 'valuecrm init' (user commands create none)."""
    from valuecrm.store import connect

    path = str(tmp_path / "crm.duckdb")
    connect(path).close()
    return path


def test_cli_add_list_revoke(tmp_path: Path, monkeypatch, capsys):
    db = initialised(tmp_path)
    code, out, _ = run_cli(["--db", db, "users", "add", "ann", "--role", "analyst", "--json"],
                           monkeypatch, capsys)
    assert code == 0
    made = json.loads(out)
    assert made["token"].startswith("vcrm_") and made["role"] == "analyst"
    code, out, _ = run_cli(["--db", db, "users", "add", "bo", "--role", "viewer"],
                           monkeypatch, capsys)
    assert code == 0 and "vcrm_" in out and "shown only now" in out
    code, out, _ = run_cli(["--db", db, "users", "list", "--json"], monkeypatch, capsys)
    assert [(u["name"], u["role"], u["revoked_at"]) for u in json.loads(out)] == [
        ("ann", "analyst", None), ("bo", "viewer", None)]
    assert made["token"] not in out
    code, out, _ = run_cli(["--db", db, "users", "revoke", "ann"], monkeypatch, capsys)
    assert code == 0
    code, out, _ = run_cli(["--db", db, "users", "list", "--json"], monkeypatch, capsys)
    assert json.loads(out)[-1]["name"] == "ann" and json.loads(out)[-1]["revoked_at"]


@pytest.mark.parametrize(("args", "code", "says"), [
    (["users", "add", "x", "--role", "boss"], 2, "'role' parameter"),
    (["users", "add", "bad name", "--role", "admin"], 2, "'name' parameter"),
    (["users", "revoke", "nobody"], 2, "no active user"),
])
def test_cli_refusals(tmp_path: Path, monkeypatch, capsys, args, code, says):
    got, _, err = run_cli(["--db", initialised(tmp_path), *args], monkeypatch, capsys)
    assert got == code and says in err


def test_cli_password_is_stored_hashed_and_verifies(tmp_path: Path):
    from typer.testing import CliRunner

    from valuecrm.errors import AuthenticationError
    from valuecrm.interfaces.cli import app
    from valuecrm.store import connect
    from valuecrm.store.users import verify_password

    db = initialised(tmp_path)
    result = CliRunner().invoke(app, ["--db", db, "users", "add", "pat", "--role", "viewer",
                                      "--password"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    with connect(db) as database:
        assert verify_password(database.raw, "pat", "s3cret-pass").role == "viewer"
        with pytest.raises(AuthenticationError):
            verify_password(database.raw, "pat", "wrong-pass")
        stored = database.raw.execute(f"SELECT password_hash FROM {USERS_TABLE}").fetchall()
    assert "s3cret-pass" not in repr(stored)
