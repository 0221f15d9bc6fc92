"""``valuecrm generate``: a synthetic customer database with known truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from valuecrm.interfaces.context import emit_json, state


def generate(
    ctx: typer.Context,
    customers: Annotated[int, typer.Option("--customers", "-n", min=1,
                                           help="Number of customers.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the table files "
                                             "and truth.parquet / truth.json.")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed (same seed, same "
                                      "files).")] = 0,
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD "
                                              "(default: three years before --end).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD "
                                            "(default 2025-12-31; not after today).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Customers generated "
                                            "at a time (bounds the memory).")] = 50_000,
    lines: Annotated[Path | None, typer.Option(
        "--lines", help="Also write the orders as a shop's line-level export (Online Retail "
                        "shape: cancellations, guests, duplicates, adjustments) to this .csv, "
                        ".csv.gz or .xlsx (two sheets) file, with <name>.truth.parquet.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Generate a realistic customer database drawn from stated models, with the truth beside it.

    Writes every canonical table to --out; with the global --db given on the command line
    (valuecrm --db crm.duckdb generate ...), also loads them into that database through the
    validating ingestion (the truth then goes to <db>.truth/ when --out is not given).
    Purchasing follows BG/NBD, spend Gamma-Gamma; lifecycle stages, costly customers, complaint
    recovery and campaign effects are planted (see valuecrm.GeneratorConfig).

    Example: valuecrm --db synthetic.duckdb generate --customers 10000 --out synthetic/
    """
    from valuecrm.synthetic import GeneratorConfig
    from valuecrm.synthetic import generate as run

    root = ctx.find_root()
    # only a --db typed on the command line loads (not $VALUECRM_DB); typer vendors click, so
    # compare the ParameterSource by name
    explicit_db = getattr(root.get_parameter_source("db"), "name", None) == "COMMANDLINE"
    db = state(ctx).db if explicit_db else None
    result = run(customers, out=out, db=db, seed=seed, start=start, end=end, format=fmt,
                 config=GeneratorConfig(chunk_size=chunk_size), lines=lines)
    if as_json:
        emit_json(result.to_dict())
        return
    where = f"into {result.database}" if result.database else f"in {out}"
    print(f"Generated {customers:,} customers {where} (seed {seed}):")
    for name, count in result.counts.items():
        loaded = result.load_seconds.get(name)
        suffix = f"  (loaded in {loaded:.1f} s)" if loaded is not None else ""
        print(f"  {name:<18}{count:>12,}{suffix}")
    print(f"Truth: {result.truth_path} and {result.truth_json_path}")
    if result.lines_path is not None:
        counts = result.lines_counts
        print(f"Sales lines: {result.lines_path} ({counts['lines']:,} lines, "
              f"{counts['cancellations']:,} cancellations, {counts['guest_lines']:,} guest "
              f"lines, {counts['duplicate_lines']:,} duplicates); truth per customer: "
              f"{result.lines_truth_path}")


def register(app: typer.Typer) -> None:
    app.command()(generate)
