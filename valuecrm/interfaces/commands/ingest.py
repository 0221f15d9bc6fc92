"""``valuecrm ingest``: check a file and load it into a table of the customer database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from valuecrm.errors import ParameterError


def parse_mappings(pairs: list[str] | None) -> dict[str, str]:
    """``["Cust No=customer_id"]`` -> ``{"Cust No": "customer_id"}``."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise ParameterError.of("--map", "ingest", "SOURCE=TARGET (e.g. 'Cust No="
                                    "customer_id')", pair)
        mapping[source.strip()] = target.strip()
    return mapping


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        ctx: typer.Context,
        table: Annotated[str, typer.Argument(help="Table to load (customers, orders, ...).")],
        file: Annotated[Path, typer.Argument(
            help="A .csv, .tsv, .parquet, .xlsx or .jsonl file.")],
        map_: Annotated[list[str] | None, typer.Option(
            "--map", help="Rename a column: SOURCE=TARGET (repeatable).")] = None,
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
        sheet: Annotated[str | None, typer.Option(help="Excel sheet (default: the first).")
                         ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")
                           ] = False,
    ) -> None:
        """Check FILE row by row and load it into TABLE (upsert by key).

        Loading the same file twice is safe. Dates may carry a zone (+08:00, Z):
        they are stored in UTC. Money may carry currency signs and thousands
        separators ($1,234.50, ¥1,200); '.' is the decimal point, so '€3,50' is
        refused as ambiguous. A key repeated in the file keeps its first line.

        Exit code 3 when rows fail the checks in reject mode (the report lists
        them), 2 when the file or a column is unusable.
        """

        from valuecrm.interfaces.context import emit_json, state

        mapping = parse_mappings(map_)
        with state(ctx).connect() as database:
            report = database.ingest(
                table, file, mapping=mapping or None, on_error=on_error, encoding=encoding,
                date_format=date_format, create_customers=create_customers, sheet=sheet)
        if as_json:
            emit_json(report.to_dict())
            return
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        console.print(report.summary(), markup=False)
        if report.bad_rows:
            console.print(report.bad_rows_table())
