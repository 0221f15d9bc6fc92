"""``valuecrm ingest``: check a file and load it into a table of the customer database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from valuecrm.errors import ParameterError
from valuecrm.store.ingest.mapping import ColumnRule, IngestMapping, ValueRule


def parse_mappings(pairs: list[str] | None, values: list[str] | None = None) -> IngestMapping:
    """``--map 'Cust No=customer_id'`` and ``--value 'gender:男=male'`` options as a mapping."""
    mapping = IngestMapping()
    for pair in pairs or []:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise ParameterError(f"--map must be SOURCE=TARGET (e.g. --map 'Cust No="
                                 f"customer_id'). Got {pair!r} instead.")
        mapping.columns.append(ColumnRule(source.strip(), target.strip(), f"--map '{pair}'"))
    for item in values or []:
        column, colon, rest = item.partition(":")
        value, sep, to = rest.rpartition("=")
        if not colon or not sep or not column.strip() or not value.strip():
            raise ParameterError(f"--value must be COLUMN:VALUE=STORED (e.g. --value "
                                 f"'gender:男=male'). Got {item!r} instead.")
        mapping.values.append(ValueRule(column.strip(), value.strip(), to.strip(),
                                        f"--value '{item}'"))
    return mapping


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        ctx: typer.Context,
        table: Annotated[str, typer.Argument(help="Table to load (customers, orders, ...).")],
        file: Annotated[Path, typer.Argument(
            help="A .csv, .tsv, .parquet, .xlsx or .jsonl file; .csv.gz, .tsv.gz, .jsonl.gz "
                 "or a .zip archive.")],
        map_: Annotated[list[str] | None, typer.Option(
            "--map", help="Rename a column: SOURCE=TARGET (repeatable).")] = None,
        value: Annotated[list[str] | None, typer.Option(
            "--value", help="Read a value as another: COLUMN:VALUE=STORED, e.g. "
                            "'status:Done=completed' (repeatable; empty STORED = no value).")
        ] = None,
        mapping_file: Annotated[Path | None, typer.Option(
            "--mapping-file", help="YAML or JSON file of column and value mappings (see "
                                   "docs/schema.md); --map and --value win over it.")] = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="Check the file and show the mappings, the counts and a sample "
                              "that a load would give; write nothing.")] = False,
        on_error: Annotated[str, typer.Option(
            "--on-error", help="reject: refuse the file if any row is bad (nothing written); "
                               "skip: load the good rows, write the bad ones to "
                               "<file>.rejects.csv.")] = "reject",
        encoding: Annotated[str | None, typer.Option(
            help="Text encoding of a CSV/TSV (default: detected; e.g. gb18030).")] = None,
        date_format: Annotated[str | None, typer.Option(
            "--date-format", help="strptime format of the dates, e.g. '%d/%m/%Y %H:%M'.")
        ] = None,
        create_customers: Annotated[bool, typer.Option(
            "--create-customers", help="Create customers the rows refer to but the database "
                                       "lacks, instead of rejecting those rows.")] = False,
        sheet: Annotated[str | None, typer.Option(
            help="Excel sheet (default: every sheet with the first sheet's columns, stacked)."
        )] = None,
        member: Annotated[str | None, typer.Option(
            help="File to load in a .zip archive (default: its only file).")] = None,
        cancel_prefix: Annotated[str | None, typer.Option(
            "--cancel-prefix", help="Line-level files: order numbers starting with it are "
                                    "cancellations, loaded as returns (default: C when the "
                                    "order numbers show it; '' for none).")] = None,
        adjustment_prefix: Annotated[str | None, typer.Option(
            "--adjustment-prefix", help="Line-level files: order numbers starting with it are "
                                        "adjustments (bad debt), left out (default: A when the "
                                        "order numbers show it; '' for none).")] = None,
        memory_limit: Annotated[str | None, typer.Option(
            "--memory-limit", help="Cap on the memory the load's database engine uses, e.g. "
                                   "512MB or 4GB; beyond it, work spills to temporary files "
                                   "(slower). Default 1GB.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")
                           ] = False,
    ) -> None:
        """Check FILE row by row and load it into TABLE (upsert by key).

        Common column names and values are recognised (客户编号, Order Date, 男/女,
        已完成) and listed in the report; --dry-run shows them and writes nothing.

        Loading the same file twice is safe. Dates may carry a zone (+08:00, Z):
        they are stored in UTC. Money may carry currency signs and thousands
        separators ($1,234.50, ¥1,200); '.' is the decimal point, so '€3,50' is
        refused as ambiguous. A key repeated in the file keeps its first line; a
        file whose rows mostly repeat the key is refused.

        A file of order lines (one row per product: map a product, a quantity and
        a unit price or line amount) loads into orders, order lines and products,
        with cancellations as returns and guest lines kept apart (docs/line-items.md).

        Exit code 3 when rows fail the checks in reject mode (the report lists
        them), 2 when the file or a column is unusable.

        Example: valuecrm ingest orders orders.xlsx --map "Order No=order_id" --on-error skip
        """

        from valuecrm.interfaces.commands._reading import reading, writing
        from valuecrm.interfaces.context import emit_json
        from valuecrm.store.ingest import CLI

        mapping = parse_mappings(map_, value)
        route = f"POST /api/ingest/{table}"
        opened = reading(ctx, api=route) if dry_run else writing(ctx, api=route)
        with opened as database:  # a dry run opens read-only: it cannot write
            report = database.ingest(
                table, file, mapping=mapping, on_error=on_error, encoding=encoding,
                date_format=date_format, create_customers=create_customers, sheet=sheet,
                member=member, mapping_file=mapping_file, dry_run=dry_run, wording=CLI,
                cancel_prefix=cancel_prefix, adjustment_prefix=adjustment_prefix,
                memory_limit=memory_limit)
        if as_json:
            emit_json(report.to_dict())
            return
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        console.print(report.summary(), markup=False)
        if report.bad_rows:
            console.print(report.bad_rows_table())
        if report.sample:
            console.print(report.sample_table())
