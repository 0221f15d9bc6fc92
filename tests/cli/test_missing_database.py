"""A mistyped --db creates nothing (issue 12, point 8): only init, demo and generate create a
database; every other command exits 4, names the missing file and says how to create it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tests.helpers.cli import run
from valuecrm.interfaces.cli import app

CREATORS = {("init",), ("demo",), ("generate",)}
# commands that never open the database: they read a file of their own, or only compute
# ('voice nps' and 'voice pls' read a FILE when given one, else the database: tested so here)
NO_DATABASE = {("campaign", "size"), ("loyalty", "check")}
# Values for the required arguments and options of the commands (by parameter name).
VALUES = {"table": "orders", "name": "someone", "role": "admin", "customer_id": "c1",
          "from_snapshot": "2024-01-01", "to_snapshot": "2024-06-30", "control_share": "0.5",
          "seed": "1"}


def commands(group, path=()):
    """Every leaf command of the CLI, with its required parameters."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), [p for p in command.params if p.required]


def arguments(params, folder: Path) -> list[str]:
    source = folder / "orders.csv"
    source.write_text("order_id,customer_id,ordered_at,amount\no1,c1,2024-01-05,10\n",
                      encoding="utf-8")
    args: list[str] = []
    for param in params:
        value = (str(source) if param.name == "file" else str(folder / "out.csv")
                 if param.name == "out" else VALUES.get(param.name, "x"))
        args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


OTHERS = [(path, params) for path, params in commands(typer.main.get_command(app))
          if path not in CREATORS | NO_DATABASE]


@pytest.mark.parametrize(("path", "params"), OTHERS, ids=[" ".join(p) for p, _ in OTHERS])
def test_every_other_command_on_a_missing_database_exits_4_and_creates_nothing(
        path, params, tmp_path, monkeypatch, capsys):
    import uvicorn

    def no_server(*args, **kwargs):
        raise AssertionError("serve started a server over a missing database")

    monkeypatch.setattr(uvicorn, "run", no_server)  # a regression fails instead of hanging
    missing = tmp_path / "nope.duckdb"
    result = run(monkeypatch, capsys, "--db", str(missing), *path,
                 *arguments(params, tmp_path))
    assert result.code == 4, result
    assert f"There is no database at {str(missing)!r}" in result.err
    assert f"valuecrm --db {missing} init" in result.err
    assert not missing.exists()
    assert not list(tmp_path.glob("nope*"))  # no WAL or lock file either


def test_the_default_database_is_not_created_either(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VALUECRM_DB", raising=False)
    result = run(monkeypatch, capsys, "ingest", "orders", *arguments([], tmp_path),
                 str(tmp_path / "orders.csv"))
    assert result.code == 4, result
    assert "There is no database at 'valuecrm.duckdb'" in result.err
    assert not (tmp_path / "valuecrm.duckdb").exists()


def test_init_creates_it_and_then_the_command_runs(tmp_path, monkeypatch, capsys):
    target = tmp_path / "crm.duckdb"
    assert run(monkeypatch, capsys, "--db", str(target), "init").code == 0
    assert target.exists()
    result = run(monkeypatch, capsys, "--db", str(target), "users", "list")
    assert result.code == 0, result
