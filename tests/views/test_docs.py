"""docs/figures.md states every figure's definition exactly as the code computes it."""

from __future__ import annotations

from pathlib import Path

from valuecrm.reports.kpis import ACTIVE_STATUSES, METHODS
from valuecrm.views.figures import TABLES_METHOD

DOC = Path(__file__).parents[2] / "docs" / "figures.md"


def test_every_definition_is_documented_as_computed():
    text = DOC.read_text(encoding="utf-8")
    for name, method in {**METHODS, "tables": TABLES_METHOD}.items():
        assert f"| `{name}` | {method} |" in text, name
    assert ACTIVE_STATUSES == ("new", "active", "at risk")
    assert "status is new, active or at risk" in text
