"""The mobi ECSI survey bundled for the tests (tests/data/mobi, GPL-3, see its NOTICE.md) and
its survey model file."""

from __future__ import annotations

from pathlib import Path

MOBI = Path(__file__).resolve().parents[1] / "data" / "mobi" / "mobi.csv"
MOBI_MODEL = MOBI.with_name("ecsi.yaml")
