"""docs/schema.md documents every table and column, with units, exactly as declared."""

from pathlib import Path

from valuecrm.store.docs import render_schema_markdown
from valuecrm.store.schema import TABLES

DOC = Path(__file__).parents[2] / "docs" / "schema.md"


def test_schema_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render_schema_markdown(), (
        "docs/schema.md is out of date: run "
        "'python -m valuecrm.store.docs > docs/schema.md'"
    )


def test_every_column_is_documented_with_a_meaning():
    text = DOC.read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert column.doc.strip(), f"{table.name}.{column.name} has no description"
            assert f"| `{column.name}` |" in text


def test_money_and_time_columns_state_their_unit():
    for table in TABLES.values():
        for column in table.columns:
            if column.type in ("money", "timestamp"):
                assert column.unit, f"{table.name}.{column.name} has no unit"
