"""``docs/schema.md``, rendered from the schema declarations so the two never disagree."""

from __future__ import annotations

from valuecrm.store.schema import SCHEMA_VERSION, TABLES, Column
from valuecrm.store.schema import __doc__ as SCHEMA_DOC

HEADER = """# The customer database schema

Generated from `valuecrm/store/schema.py` by `python -m valuecrm.store.docs > docs/schema.md`
(a test fails when this file and the code disagree). Schema version {version}.

{conventions}

A **required** column must have a value in every row. The **key** identifies a row: loading a
row whose key already exists replaces it (loads are upserts, so loading a file twice adds
nothing). A column that **references** another table must name a row that exists there.
"""


def _rules(column: Column) -> str:
    rules = []
    if column.choices:
        rules.append("one of " + ", ".join(f"`{c}`" for c in column.choices))
    if column.minimum is not None:
        rules.append(f">= {column.minimum:g}")
    if column.maximum is not None:
        rules.append(f"<= {column.maximum:g}")
    if column.references:
        rules.append(f"references `{column.references}`")
    return "; ".join(rules)


def render_schema_markdown() -> str:
    """The whole of ``docs/schema.md``."""
    conventions = SCHEMA_DOC.split("\n\n", 1)[1].strip() if SCHEMA_DOC else ""
    lines = [HEADER.format(version=SCHEMA_VERSION, conventions=conventions)]
    for table in TABLES.values():
        lines.append(f"## `{table.name}`\n")
        lines.append(table.doc + "\n")
        lines.append("Key: " + ", ".join(f"`{k}`" for k in table.key) + ".\n")
        lines.append("| column | type | required | unit | meaning | rules |")
        lines.append("|---|---|---|---|---|---|")
        for c in table.columns:
            lines.append(
                f"| `{c.name}` | {c.type} ({c.sql_type}) | {'yes' if c.required else ''} "
                f"| {c.unit} | {c.doc} | {_rules(c)} |"
            )
        for note in table.notes:
            lines.append(f"\n- {note}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_schema_markdown(), end="")
