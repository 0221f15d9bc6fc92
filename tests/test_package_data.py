"""Every file the package reads at run time (templates, static files, bundled data) is listed
in pyproject.toml's package data, so an installed wheel has it, not only a checkout."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import valuecrm

ROOT = Path(valuecrm.__file__).parent
PYPROJECT = ROOT.parent / "pyproject.toml"


def test_every_data_file_is_package_data() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["valuecrm"]
    files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert files and missing == []
