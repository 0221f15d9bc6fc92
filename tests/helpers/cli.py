"""Running the ``valuecrm`` entry point in-process, as a shell would: exit code, stdout, stderr."""

from __future__ import annotations

import sys
from typing import NamedTuple

import pytest


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        *args: str) -> Result:
    """``valuecrm ARGS`` through ``main()``: its exit code, stdout and stderr."""
    from valuecrm.interfaces.cli import main

    monkeypatch.setattr(sys, "argv", ["valuecrm", *args])
    try:
        main()
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
