"""The commands the demo prints at its end run from where the user is: ``valuecrm`` when that
is the one on PATH, else the path of the one that ran (relative under the current folder)."""

from __future__ import annotations

import sys
from pathlib import Path

from valuecrm.interfaces.commands.demo import this_command


def test_the_printed_command_is_the_one_that_ran(tmp_path: Path, monkeypatch) -> None:
    script = tmp_path / ".venv" / "bin" / "valuecrm"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script)])
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path)
    assert this_command() == ".venv/bin/valuecrm"  # after scripts/setup, from the project
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert this_command() == str(script)  # from another folder: the whole path
    monkeypatch.setenv("PATH", str(script.parent))
    assert this_command() == "valuecrm"  # installed on PATH
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "valuecrm" / "__main__.py")])
    assert this_command().endswith(" -m valuecrm")
