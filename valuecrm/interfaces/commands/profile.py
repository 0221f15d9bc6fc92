"""``valuecrm profile``: who the customers are (客户画像), by one attribute or for one segment."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view
from valuecrm.interfaces.context import emit_json


def profile(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help=(
        "Customer attribute to group by (e.g. age, income_band, household_size); default: age "
        "if known."))] = None,
    measures: Annotated[str | None, typer.Option("--measures", help=(
        "Comma-separated measures: orders, spend, clv, p_alive (default: all)."))] = None,
    segment: Annotated[str | None, typer.Option("--segment", help=(
        "Instead: which attribute values are over- or under-represented in this segment "
        "(e.g. Champions, at risk, 重要价值)."))] = None,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help=(
        "Snapshot id or as-of date (default: the latest)."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Profile the customers by an attribute: per group customers, mean and median orders,
    spend, CLV and P(alive), the RFM class mix, and tests of difference (Kruskal-Wallis,
    chi-square) with effect sizes. With --segment: lift and significance of each attribute value
    in that segment.

    While 'valuecrm serve' holds the database, the answer comes from its GET /api/profile.

    Example: valuecrm profile --by age
    """
    from valuecrm.views.profiles import customer_profile, segment_profile

    chosen = [m.strip() for m in measures.split(",") if m.strip()] if measures else None
    with options_named(by="--by", measures="--measures", snapshot="--snapshot"):
        if segment is not None:
            found = read_view(ctx, f"/api/profile/segment/{segment}", {"snapshot": snapshot},
                              lambda db: segment_profile(db, segment, snapshot=snapshot))
        else:
            found = read_view(ctx, "/api/profile",
                              {"by": by, "measures": chosen, "snapshot": snapshot},
                              lambda db: customer_profile(db, by, measures=chosen,
                                                          snapshot=snapshot))
    if as_json:
        emit_json(found)
    elif segment is not None:
        _print_segment(found)
    else:
        _print_profile(found)


def _show(value: Any, spec: str) -> str:
    return "" if value is None else format(value, spec)


def _print_profile(found: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if found["by"] is None:
        console.print(found["method"])
        return
    by = found["by"]
    title = f"Customers by {by}" + (f" (snapshot {found['snapshot_id']} as of {found['as_of']})"
                                    if found["snapshot_id"] else "")
    table = Table(title=title, caption="Medians: --json.")
    columns = [by, "customers", "share"] + [f"mean_{m}" for m in found["measures"]]
    for name in columns:
        table.add_column(name.replace("_", " "), justify="left" if name == by else "right")
    for row in found["groups"]:
        table.add_row(str(row[by]), f"{row['customers']:,}", _show(row["share"], ".1%"),
                      *(_show(row[c], ".3f" if "p_alive" in c else ",.2f") for c in columns[3:]))
    console.print(table)
    for test in found["tests"]:
        if test["statistic"] is None:
            continue
        console.print(f"{test['measure']}: {test['method']}: statistic {test['statistic']:.3f}, "
                      f"df {test['df']}, p = {test['p_value']:.3g}, {test['effect_size_name']} "
                      f"{test['effect_size']:.4f} (n = {test['n']:,})")
    console.print(f"[dim]{found['method']}[/]")


def _print_segment(found: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{found['segment']} ({found['segment_size']:,} customers, "
                        f"snapshot {found['snapshot_id']}): attribute values by lift")
    for name in ("attribute", "value", "in segment", "segment share", "base share", "lift",
                 "p (adjusted)", "direction"):
        table.add_column(name, justify="left" if name in ("attribute", "value", "direction")
                         else "right")
    for row in found["items"]:
        table.add_row(row["attribute"], str(row["value"]), f"{row['segment_customers']:,}",
                      _show(row["segment_share"], ".1%"), _show(row["base_share"], ".1%"),
                      _show(row["lift"], ".2f"), _show(row["p_adjusted"], ".3g"),
                      row["direction"])
    console = Console()
    console.print(table)
    console.print(f"[dim]{found['method']}[/]")


def register(app: typer.Typer) -> None:
    app.command()(profile)
