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


LOADING = """## Loading files: column names, values and mapping files

`valuecrm ingest TABLE FILE` (the API: `POST /api/ingest/{table}`; Python: `db.ingest(...)`)
matches the file's columns to the table's in this order: the mapping given, then the table's
column names (ignoring case, spaces and punctuation: `Customer ID` is `customer_id`), then the
common names listed below (`客户编号` is `customer_id`, `Order Date` is `ordered_at`). When two
columns of a file are common names of one column, the first in the list wins (`实付金额`, the
amount paid, before `订单金额`) and the report says so. Values of a column with choices are read
in any case, and the common spellings listed below are recognised (`男` is `male`, `已完成` is
`completed`; an empty target stores no value). The load report lists every column matched and
how (`given`, `name`, `recognised`) and every value read as another, with its row count:
nothing is renamed silently.

| | command line | API form field and Python argument |
|---|---|---|
| map a column | `--map 'Cust No=customer_id'` | `mapping={"Cust No": "customer_id"}` |
| map a value | `--value 'status:Done=completed'` | `values={"status": {"Done": "completed"}}` |
| mapping file | `--mapping-file map.yaml` | `mapping_file` (a file upload; Python: a path) |
| dry run | `--dry-run` | `dry_run=true` (Python: `dry_run=True`) |

A mapping file is YAML or JSON with a `columns` and a `values` section, at the top level (for
every table) and/or under a table's name; the options and fields win over it. Its entries for
columns another table has are skipped, so one file can serve a whole export:

```yaml
columns: {客户编号: customer_id}
values:
  gender: {M.: male, F.: female, "-": ""}
orders:
  columns: {单据号: order_id, 成交金额: amount}
  values:
    status: {已付款: completed}
```

A dry run checks everything and writes nothing: it shows the column and value mappings that
would be used, the rows that would be new, update a stored row or be rejected (with every bad
row), and a sample of the first good rows as they would be stored.

Files as they come: `.csv`, `.tsv`, `.parquet`, `.xlsx` and `.jsonl`; gzip-compressed
`.csv.gz`, `.tsv.gz` and `.jsonl.gz` (read as a stream, never whole into memory); a `.zip`
archive (its only file, or the one named with `--member NAME`, API and Python `member`; the
message lists the files when there are several). A CSV's encoding is detected (UTF-8, UTF-16,
GB18030 and others; `--encoding` overrides), compressed or not. An Excel workbook loads every
sheet whose columns are the first sheet's (in any order), stacked in workbook order; a sheet
with other columns is left out with a warning, and `--sheet NAME` (`sheet`) loads one sheet
only. A bad row is named by its line, or by its sheet and row when sheets were stacked; a zip
member is named with its archive.
A load's database engine uses at most 1 GB of memory and spills beyond it to temporary files;
`--memory-limit 4GB` (API and Python `memory_limit`) sets another cap (docs/line-items.md,
"Large files").
"""


def _recognised() -> list[str]:
    from valuecrm.store.ingest.synonyms import HEADERS, VALUES

    lines = ["### Common column names recognised\n",
             "| table | column | also recognised as |", "|---|---|---|"]
    for table, columns in HEADERS.items():
        for column, names in columns.items():
            lines.append(f"| `{table}` | `{column}` | {', '.join(names)} |")
    lines += ["", "### Common values recognised (any case)\n",
              "| column | stored as | also recognised as |", "|---|---|---|"]
    for column, values in VALUES.items():
        for value, names in values.items():
            lines.append(f"| `{column}` | {f'`{value}`' if value else 'no value'} | "
                         f"{', '.join(names)} |")
    return lines


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
    lines += [LOADING, *_recognised()]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_schema_markdown(), end="")
