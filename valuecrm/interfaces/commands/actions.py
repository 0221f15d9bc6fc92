"""``valuecrm actions retention|winback``, ``kpis``, ``migration`` and ``cohorts``: acting on
the snapshots of the customer value table and following them over time.

Each command prints a view of :mod:`valuecrm.views` (plain data): read from the --db file, or,
while 'valuecrm serve' holds it, from the server's API route that answers with the same view
(:func:`~valuecrm.interfaces.commands._reading.read_view`); the output is the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_list, read_view, write_list_file
from valuecrm.interfaces.context import emit_json, emit_json_rows

actions_app = typer.Typer(help="Retention and win-back lists from the latest (or a given) "
                               "snapshot, with the likely reason and a suggested action.\n\n"
                               "Example: valuecrm actions winback --top 100 --out winback.csv",
                          no_args_is_help=True)

SnapshotOption = Annotated[str | None, typer.Option(
    "--snapshot", help="Snapshot id or as-of date (default: the latest).")]
TopOption = Annotated[int | None, typer.Option("--top", min=1, help="Keep the first N rows.")]
OutOption = Annotated[str | None, typer.Option(
    "--out", help="Write the whole list to FILE.csv (UTF-8 with a BOM, for Excel) or "
    "FILE.parquet, and print a one-line summary instead of the table.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
WhereOption = Annotated[list[str] | None, typer.Option("--where", help=(
    "Keep customers whose attribute has this value: ATTRIBUTE=VALUE, e.g. age=45-54 "
    "(repeat to combine); before --top."))]
MONEY, SHARE, CHANGE, DAYS = ",.2f", ".2f", "+.2f", ",.0f"
# the table of a list: column -> (header, number format); "annual margin" is renamed when the
# snapshot knows no cost (Snapshot.margin_label)
SHOWN: dict[str, dict[str, tuple[str, str | None]]] = {
    "retention": {"customer_id": ("customer", None), "name": ("name", None),
                  "segment": ("segment", None), "status": ("status", None),
                  "reason": ("likely reason", None), "clv": ("CLV", MONEY),
                  "p_alive": ("P(alive)", SHARE), "p_alive_change": ("P(alive) change", CHANGE),
                  "value_at_risk": ("value at risk", MONEY), "action": ("action", None)},
    "winback": {"customer_id": ("customer", None), "name": ("name", None),
                "segment": ("segment", None), "status": ("status", None),
                "reason": ("likely reason", None), "days_since_last": ("days since last", DAYS),
                "expected_value": ("annual margin", MONEY), "chance": ("chance", SHARE),
                "score": ("expected value", MONEY), "action": ("action", None)},
}


def _frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> Any:
    """A DataFrame of a view's rows; columns of ISO date-times become date-times again."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and values.map(lambda v: isinstance(v, str) and len(v) == 19
                                      and v[10:11] == "T" and v[:4].isdigit()).all():
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _cell(value: Any, spec: str | None) -> str:
    from rich.markup import escape

    if value is None or value != value:
        return ""
    if spec is not None and isinstance(value, int | float):
        return format(value, spec)
    return f"{value:,.3f}" if isinstance(value, float) else escape(str(value))


def _print_frame(frame: Any, title: str,
                 columns: dict[str, tuple[str, str | None]] | None = None) -> None:
    """``frame`` as a table; ``columns``: which to show, with their header and number format."""
    from rich.console import Console
    from rich.table import Table

    columns = columns or {str(c): (str(c), None) for c in frame.columns}
    table = Table(title=title)
    for header, spec in columns.values():
        table.add_column(header, justify="right" if spec else "left",
                         overflow="fold")
    for row in frame[list(columns)].itertuples(index=False):
        table.add_row(*[_cell(v, spec) for v, (_, spec) in zip(row, columns.values(),
                                                                strict=True)])
    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, 160)
    console.print(table)


def _print_reasons(by_reason_code: list[dict[str, Any]]) -> None:
    """Customers per reason (the view's ``by_reason_code``), each with the rule that gave
    it."""
    print("By reason (code: customers, the rule that gave it):")
    for row in by_reason_code:
        print(f"  {row['reason_code']}: {row['customers']:,}, {row['reason_rule']}")


def _check_out(out: str) -> None:
    """Refuse a bad --out before the list is computed, in the CLI's words."""
    from pathlib import Path

    from valuecrm.actions.export import FORMATS
    from valuecrm.errors import ParameterError

    target = Path(out).expanduser()
    if target.suffix.lower() not in FORMATS:
        raise ParameterError(f"--out must name a .csv or .parquet file. Got {out!r} instead.",
                             hint="For example: --out retention.csv")
    if not target.resolve().parent.is_dir():
        raise ParameterError(f"The folder of --out {out!r} does not exist.",
                             hint="Create it first, or give another --out path.")


def _run_list(ctx: typer.Context, kind: str, snapshot: str | None, top: int | None,
              out: str | None, as_json: bool, **options: Any) -> None:
    from valuecrm import views
    from valuecrm.views.lists import export_action_list

    if out:
        _check_out(out)
    params = {"snapshot": snapshot, "top": top, **options}
    with options_named(snapshot="--snapshot", where="--where"):
        if out:  # streamed to the file by DuckDB (or downloaded from the server)
            written, as_of = write_list_file(
                ctx, f"/api/exports/actions/{kind}", params, out,
                lambda database, target: _exported(export_action_list(
                    database, kind, target, snapshot=snapshot, top=top, **options)))
    target = str(Path(out).expanduser()) if out else None
    if out and not as_json:  # the rows are in the file: one line here
        when = f", snapshot of {as_of}" if written else ""
        print(f"Wrote {written:,} customers of the {kind} list{when} to {target}.")
        return
    with options_named(snapshot="--snapshot", where="--where"):
        found, pages = read_list(
            ctx, f"/api/actions/{kind}", params,
            lambda database, offset, limit: views.action_list(
                database, kind, snapshot=snapshot, top=top, offset=offset, limit=limit,
                **options))
    if as_json:
        emit_json_rows({**found, "offset": 0, "limit": None, "written": target}, "customers",
                       pages)
        return
    frame = _frame(found["customers"][:top or 20], found["columns"])
    if frame.empty:
        print(f"No customer qualifies for the {kind} list.")
        return
    columns = dict(SHOWN[kind])
    if kind == "winback" and not found["margin_known"]:
        columns["expected_value"] = ("annual revenue (no cost data)", MONEY)
    _print_frame(frame,
                 f"{kind.capitalize()} list, snapshot of {found['as_of']}: "
                 f"{found['rows']:,} customers", columns)
    _print_reasons(found["by_reason_code"])
    if found["chance_method"]:
        print(f"Chance of winning back: {found['chance_method']}.")


def _exported(result: tuple[int, Any]) -> tuple[int, str]:
    rows, snapshot = result
    return rows, snapshot.as_of.isoformat()


@actions_app.command("retention")
def retention(
    ctx: typer.Context, snapshot: SnapshotOption = None, top: TopOption = None,
    out: OutOption = None,
    min_drop: Annotated[float | None, typer.Option(
        "--min-drop", min=0.0, max=1.0, help="Also list customers (not lost) whose P(alive) "
        "fell by at least this much since the previous snapshot.")] = None,
    as_json: JsonOption = False, where: WhereOption = None,
) -> None:
    """Valuable customers at risk or lapsed (CLV at least the median), ranked by value at
    risk = CLV x (1 - P(alive)), with the change in P(alive) since the previous snapshot.

    Example: valuecrm actions retention --top 50 --out retention.csv --where age=45-54
    """
    _run_list(ctx, "retention", snapshot, top, out, as_json, min_drop=min_drop,
              where=where or None)


@actions_app.command("winback")
def winback(ctx: typer.Context, snapshot: SnapshotOption = None, top: TopOption = None,
            out: OutOption = None, as_json: JsonOption = False,
            where: WhereOption = None) -> None:
    """Lost and lapsed customers ranked by historic annual margin x chance of winning them
    back, with the likely reason they left.

    Example: valuecrm actions winback --snapshot 1998-06-30 --top 100
    """
    _run_list(ctx, "winback", snapshot, top, out, as_json, where=where or None)


def kpis(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Customer KPIs "more, longer, deeper" (多、久、深) over the snapshots, with their methods.

    Active customers: status new, active or at risk (not lapsed or lost), the one definition
    the API, the dashboard and the report use too.

    Example: valuecrm kpis --json
    """
    from valuecrm import views

    result = read_view(ctx, "/api/kpis", {}, views.kpis)
    if result["snapshot_id"] is None:
        raise NotFoundError(result["missing"], hint="Run 'valuecrm analyze' first.")
    if as_json:
        emit_json(result)
        return
    print(f"Snapshot {result['snapshot_id']} as of {result['as_of']}")
    for name, value in result["figures"].items():
        print(f"{name:<24} {_figure(name, value):>16}   {result['methods'][name]}")
    by_cohort = _frame(result["by_cohort"])
    for share in ("retention", "churn"):
        if share in by_cohort:
            by_cohort[share] = by_cohort[share].map(lambda v: "" if v != v else f"{v:.1%}")
    _print_frame(by_cohort, "Retention and churn by acquisition year (latest snapshot)")


def _figure(name: str, value: object) -> str:
    """A KPI as people read it: rates as percentages, money with 2 decimals, counts whole."""
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if name.endswith("_rate"):
        return f"{value:.1%}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}" if name.endswith("_days") or name.endswith("_per_customer") \
        else f"{value:,.2f}"


def migration(
    ctx: typer.Context,
    from_snapshot: Annotated[str, typer.Option("--from", help="Earlier snapshot: id or date.")],
    to_snapshot: Annotated[str, typer.Option("--to", help="Later snapshot: id or date.")],
    by: Annotated[str, typer.Option("--by", help="Grouping: rfm_segment, rfm_class, status, "
                                    "stage, quadrant, strategy, tier, value_class, ladder, "
                                    "relationship.")] = "rfm_segment",
    as_json: JsonOption = False,
) -> None:
    """How customers moved between groups from one snapshot to another (counts and CLV).

    Example: valuecrm migration --from 1997-12-31 --to 1998-06-30 --by status
    """
    from valuecrm import views
    from valuecrm.reports.migration import transition_matrix

    with options_named(by="--by", snapshot="--from/--to"):
        result = read_view(ctx, "/api/migration",
                           {"from": from_snapshot, "to": to_snapshot, "by": by},
                           lambda database: views.migration(database, from_snapshot,
                                                            to_snapshot, by=by))
    first, second = result["from"]["as_of"], result["to"]["as_of"]
    if first >= second:
        raise ParameterError(
            f"--from must be an earlier snapshot than --to. Got --from {from_snapshot} "
            f"(as of {first}) and --to {to_snapshot} (as of {second}).",
            hint="Give the earlier snapshot to --from and the later one to --to "
                 "(see 'valuecrm snapshots').")
    if as_json:
        emit_json(result)
        return
    table = _frame(result["transitions"])
    counts = transition_matrix(table, "customers").reset_index()
    counts.columns = [str(c) for c in counts.columns]
    _print_frame(counts, f"Customers by {by}: {first} (rows) -> {second} (columns)")
    print(f"CLV: {table['clv_from'].sum():,.0f} -> {table['clv_to'].sum():,.0f}")


def cohorts(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Up to this day, YYYY-MM-DD "
                                              "(default: the last order).")] = None,
    period: Annotated[str, typer.Option("--period", help="M (months), Q or Y.")] = "M",
    as_json: JsonOption = False,
) -> None:
    """Cohort retention: share of each acquisition cohort buying in each later period.

    Example: valuecrm cohorts --period Q --as-of 1998-06-30
    """
    from valuecrm import views

    with options_named(period="--period", as_of="--as-of"):
        result = read_view(ctx, "/api/cohorts", {"as_of": as_of, "period": period},
                           lambda database: views.cohorts(database, as_of=as_of,
                                                          period=period))
    if as_json:
        emit_json(result)
        return
    shares = _frame(result["cohorts"]).pivot(index="cohort", columns="period", values="share")
    unit = f"{result['period']}s"
    pivot = shares.map(lambda v: "" if v != v else f"{v:.1%}").reset_index()
    pivot.columns = [str(c) for c in pivot.columns]
    _print_frame(pivot, f"Share of each cohort buying, by {unit} since the first purchase, up "
                        f"to {result['as_of']}")


def register(app: typer.Typer) -> None:
    app.add_typer(actions_app, name="actions")
    app.command()(kpis)
    app.command()(migration)
    app.command()(cohorts)
