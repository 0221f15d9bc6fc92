"""Every command's --help has an example, as the README promises (trust 14)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from tests.helpers.cli import run
from valuecrm.interfaces.cli import app


def command_paths() -> Iterator[tuple[str, ...]]:
    """The root, every command and every subcommand of the typer app."""
    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ())


PATHS = list(command_paths())


def test_the_walk_finds_every_command():
    assert {("init",), ("analyze",), ("snapshots",), ("actions", "winback"),
            ("users", "add"), ("customers", "export")} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "valuecrm")
def test_help_has_an_example(monkeypatch, capsys, path):
    result = run(monkeypatch, capsys, *path, "--help")
    assert result.code == 0, result.err
    assert "Example: valuecrm" in result.out, f"'valuecrm {' '.join(path)} --help' has no example"


def test_help_sentences_are_wrapped_by_the_terminal(monkeypatch, capsys):
    """A docstring's hard line breaks are joined (Typer keeps them), so no sentence breaks
    in mid-line on a wide terminal; a flag shows no value type."""
    monkeypatch.setenv("COLUMNS", "200")
    result = run(monkeypatch, capsys, "serve", "--help")
    assert result.code == 0, result.err
    assert "the reading commands (kpis, segments, snapshots," in result.out
    flags = run(monkeypatch, capsys, "ingest", "--help").out
    dry_run = next(line for line in flags.splitlines() if "--dry-run" in line)
    assert "<bool>" not in dry_run
    assert "<list[" not in flags
    # a command's line in the list of commands is joined the same way
    commands = run(monkeypatch, capsys, "--help").out
    assert "mean and median orders, spend, CLV" in commands
