"""``valuecrm customers list|show|export``: the customer value table from the terminal.

``list`` and ``show`` print views (:mod:`valuecrm.views.customers`): beside a running server they
ask it (``GET /api/customer-values``, ``GET /api/customers/{id}``) and print the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.errors import ParameterError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view, reading_or_served
from valuecrm.interfaces.context import emit_json
from valuecrm.store.csv_export import write_csv
from valuecrm.store.parquet_export import write_parquet
from valuecrm.views.customers import SORTS
from valuecrm.views.exports import customer_value_sql

customers_app = typer.Typer(
    help="Customers and what each is worth: list and filter the customer value table, show "
         "one customer's 360 view, export the table to CSV or Parquet.\n\n"
         "Example: valuecrm customers list --status \"at risk\" --sort clv",
    no_args_is_help=True,
)

SnapshotOption = Annotated[str | None, typer.Option(
    "--snapshot", help="Snapshot id or as-of date YYYY-MM-DD (default: the latest).")]
SegmentOption = Annotated[str | None, typer.Option(
    "--segment", help="RFM segment (Champions, At Risk, ... or 冠军客户, ...) or RFM class "
                      "(重要价值 / Important value / HHH, ...).")]
StatusOption = Annotated[str | None, typer.Option(
    "--status", help="new, active, at risk, lapsed, lost (or 新客户, 活跃客户, ...).")]
TierOption = Annotated[str | None, typer.Option(
    "--tier", help="Pyramid tier: VIP, key, ordinary, small (or VIP客户, 主要客户, ...).")]
SearchOption = Annotated[str | None, typer.Option(
    "--search", help="Substring of the customer id, name or e-mail (case-insensitive).")]
EXPORT_FORMATS = {".csv": "csv", ".parquet": "parquet"}
SHOWN = (("customer_id", "customer"), ("name", "name"), ("rfm_segment", "segment"),
         ("status", "status"), ("lifecycle_stage", "stage"), ("tier", "tier"),
         ("n_purchases", "purchases"), ("revenue", "revenue"), ("days_since_last", "days since"),
         ("p_alive", "P(alive)"), ("expected_purchases", "exp. purchases"), ("clv", "CLV"))
WhereOption = Annotated[list[str] | None, typer.Option("--where", help=(
    "Keep customers whose attribute has this value: ATTRIBUTE=VALUE, e.g. age=45-54 or "
    "region=Zhejiang (fixed columns or extra attributes; repeat to combine)."))]


@customers_app.command("list")
def list_(
    ctx: typer.Context,
    segment: SegmentOption = None,
    status: StatusOption = None,
    tier: TierOption = None,
    search: SearchOption = None,
    sort: Annotated[str, typer.Option("--sort", help="Order by: " + ", ".join(SORTS)
                                      + " (largest first; days_since_last and customer_id "
                                        "smallest first).")] = "clv",
    ascending: Annotated[bool, typer.Option("--ascending", help="Reverse the order.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000,
                                       help="Rows to show.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip first.")] = 0,
    snapshot: SnapshotOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows (every column of the "
                                          "value table) as JSON.")] = False,
    where: WhereOption = None,
) -> None:
    """Rows of the customer value table, the highest CLV first.

    Example: valuecrm customers list --status "at risk" --tier VIP --sort clv --limit 10
    Example: valuecrm customers list --where age=45-54 --where kids_count=1
    """
    from valuecrm.views.customers import customer_page

    options = {"segment": segment, "status": status, "tier": tier, "search": search,
               "sort": sort, "ascending": ascending, "limit": limit, "offset": offset,
               "where": where or None}
    with options_named(where="--where"):
        found = read_view(ctx, "/api/customer-values", {"snapshot": snapshot, **options},
                          lambda database: customer_page(database, snapshot, **options))
    if as_json:
        emit_json(found)
        return
    _print_list(found["items"], found["total"], offset,
                f"Snapshot {found['snapshot_id']} as of {found['as_of']}")


def _print_list(items: list[dict[str, Any]], total: int, offset: int, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not items:
        console.print(f"{title}: no customer matches ({total:,} in all).")
        return
    table = Table(title=f"{title}: customers {offset + 1:,}-{offset + len(items):,} of "
                        f"{total:,}")
    shown = [(c, h) for c, h in SHOWN if c != "name" or any(i.get("name") for i in items)]
    for column, header in shown:
        table.add_column(header, justify="left" if column in ("customer_id", "name",
                         "rfm_segment", "status", "lifecycle_stage", "tier") else "right")
    for item in items:
        table.add_row(*(_cell(column, item.get(column)) for column, _ in shown))
    if not console.is_terminal:  # a pipe or a file: keep every column
        console.width = max(console.width, 160)
    console.print(table)


def _cell(column: str, value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if column == "p_alive":
        return f"{value:.2f}"
    if column in ("revenue", "clv"):
        return f"{value:,.2f}"
    if column == "expected_purchases":
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return escape(str(value))  # names may hold "[...]", which is not markup


@customers_app.command(
    "show", short_help="One customer's 360 view: profile, value, labels, orders and more.")
def show(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Newest rows shown of "
                                       "each history (orders, interactions, ...).")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the 360 view as JSON.")] = False,
) -> None:
    """Everything about one customer: profile, value (CLV with its interval, P(alive), expected
    purchases), segment, status, stage, quadrant, tier, recent orders, interactions,
    complaints, surveys and loyalty points.

    Example: valuecrm customers show 00042 --limit 5
    """
    from valuecrm.views.customers import customer_view

    view = read_view(ctx, f"/api/customers/{customer_id}", {"limit": limit},
                     lambda database: customer_view(
                         database, customer_id, limit=limit,
                         hint="Find it with: valuecrm customers list --search TEXT"))
    if as_json:
        emit_json(view)
        return
    from valuecrm.interfaces.commands._customer_view import print_view

    print_view(view, view["settings"], margin_known=view["margin_known"])


@customers_app.command(
    "export", short_help="Write the customer value table to a .csv or .parquet file.")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .csv or .parquet.")],
    segment: SegmentOption = None,
    status: StatusOption = None,
    tier: TierOption = None,
    search: SearchOption = None,
    snapshot: SnapshotOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")]
    = False,
    where: WhereOption = None,
) -> None:
    """Write the customer value table (every column, one row per customer) to a CSV or Parquet
    file, streamed by DuckDB: it needs little memory however many customers there are.

    Example: valuecrm customers export --out value.parquet --status "at risk" --where age=45-54
    """
    from valuecrm._progress import progress
    from valuecrm.analysis import get_snapshot
    from valuecrm.interfaces.commands._endpoint import Endpoint
    from valuecrm.views.customers import attribute_filters

    kind = EXPORT_FORMATS.get(out.suffix.lower())
    if kind is None:
        raise ParameterError.of("--out", "valuecrm customers export",
                                "a file name ending in .csv or .parquet", str(out))
    if not out.expanduser().resolve().parent.is_dir():
        raise ParameterError(f"The folder of {str(out)!r} does not exist.",
                             hint="Create it first, or give another --out path.")
    target = out.expanduser()
    route = "/api/exports/customer_value"
    with reading_or_served(ctx, route=route) as source:
        if isinstance(source, Endpoint):  # 'valuecrm serve' holds the database: it writes
            with progress(f"Writing {target.name}", total=None) as advance:
                headers = source.download(route, {
                    "snapshot": snapshot or "latest", "format": kind, "segment": segment,
                    "status": status, "tier": tier, "search": search, "where": where},
                    target)
                written = int(headers["x-rows"])
                advance(written)
            snapshot_id, as_of = int(headers["x-snapshot-id"]), headers["x-as-of"]
        else:
            found = get_snapshot(source, snapshot)
            with options_named(where="--where"):
                pairs = attribute_filters(source, where)
            query = customer_value_sql(found.snapshot_id, segment=segment, status=status,
                                       tier=tier, search=search, attributes=pairs)
            written = _export(source, query, kind, target)
            snapshot_id, as_of = found.snapshot_id, found.as_of.isoformat()
    summary = {"path": str(target.resolve()), "format": kind, "rows": written,
               "snapshot_id": snapshot_id, "as_of": as_of}
    if as_json:
        emit_json(summary)
        return
    print(f"Wrote {written:,} rows of snapshot {snapshot_id} (as of {as_of}) to "
          f"{summary['path']}.")


def _export(database: Any, query: str, kind: str, target: Path) -> int:
    """Write the rows of ``query`` to ``target`` (streamed by DuckDB); the rows written."""
    from valuecrm._progress import progress

    partial = target.with_name(f".{target.name}.part")
    try:
        with progress(f"Writing {target.name}", total=None) as advance:
            if kind == "csv":  # for people: UTF-8 with a BOM, booleans true / false
                written = write_csv(database.raw, query, target)
            else:
                written = write_parquet(database.raw, query, partial,
                                        compression="zstd")
                os.replace(partial, target)
            advance(written)
    finally:
        partial.unlink(missing_ok=True)
    return written


def register(app: typer.Typer) -> None:
    app.add_typer(customers_app, name="customers")
