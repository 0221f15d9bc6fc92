"""``valuecrm acquisition`` (which sources bring valuable customers) and ``valuecrm referrals``
(customer referral value), the answers of :mod:`valuecrm.views.acquisition`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view
from valuecrm.interfaces.context import emit_json

SNAPSHOT_HELP = "Snapshot id or as-of date (default: the latest)."


def acquisition(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help=(
        "Acquisition source: signup_channel, first_category, first_product, referred or "
        "signup_cohort."))] = "signup_channel",
    top: Annotated[int, typer.Option("--top", help=(
        "Keep the largest N sources; the rest are counted as (other)."))] = 20,
    period: Annotated[str, typer.Option("--period", help=(
        "Signup cohorts by Y (year), Q (quarter) or M (month)."))] = "Y",
    snapshot: Annotated[str | None, typer.Option("--snapshot", help=SNAPSHOT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Which acquisition sources (客户的选择与开发) bring valuable customers: per source the
    customers, mean CLV with its 95% interval, total CLV and share of customer equity, mean
    P(alive) and margin to date, with a Kruskal-Wallis test of difference; and the same by
    signup cohort (--json: cohorts).

    While 'valuecrm serve' holds the database, the answer comes from its GET /api/acquisition.

    Example: valuecrm acquisition --by first_category --period Q
    """
    from valuecrm.views.acquisition import acquisition_sources

    with options_named(by="--by", top="--top", period="--period", snapshot="--snapshot"):
        found = read_view(ctx, "/api/acquisition",
                          {"by": by, "top": top, "period": period, "snapshot": snapshot},
                          lambda db: acquisition_sources(db, by, snapshot=snapshot, top=top,
                                                         period=period))
    if as_json:
        emit_json(found)
    else:
        _print_sources(found)


def referrals(
    ctx: typer.Context,
    joined_anyway: Annotated[float, typer.Option("--joined-anyway", help=(
        "Share of referred customers who would have joined without the referral (0 to 1; "
        "their CLV is not credited to the referrer)."))] = 0.0,
    saving: Annotated[float, typer.Option("--acquisition-saving", help=(
        "Acquisition cost saved per converted referral (added to the referrer's value)."))
    ] = 0.0,
    top: Annotated[int, typer.Option("--top", help="Referrers to list (largest CRV first).")
                   ] = 20,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help=SNAPSHOT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Customer referral value (CRV; Kumar, Petersen & Leone 2007, 2010): per referrer the CLV
    of the customers they brought, net of rewards; customer equity with and without it.

    While 'valuecrm serve' holds the database, the answer comes from its
    GET /api/referral-value/referrers.

    Example: valuecrm referrals --joined-anyway 0.3 --acquisition-saving 25
    """
    from valuecrm.views.acquisition import referral_list

    with options_named(joined_anyway="--joined-anyway", acquisition_saving="--acquisition-saving",
                       snapshot="--snapshot"):
        found = read_view(ctx, "/api/referral-value/referrers",
                          {"joined_anyway": joined_anyway, "acquisition_saving": saving,
                           "limit": top, "snapshot": snapshot},
                          lambda db: referral_list(db, snapshot=snapshot,
                                                   joined_anyway=joined_anyway,
                                                   acquisition_saving=saving, limit=top))
    if as_json:
        emit_json(found)
    else:
        _print_referrals(found)


def _money(value: Any) -> str:
    return "" if value is None else f"{value:,.2f}"


def _print_sources(found: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Customers by {found['by']} (snapshot {found['snapshot_id']} as of "
                        f"{found['as_of']})", caption="Cohorts: --json.")
    columns = ["source", "customers", "share", "mean CLV", f"{found['level']:.0%} interval",
               "total CLV", "equity share", "mean P(alive)", "mean margin"]
    for name in columns:
        table.add_column(name, justify="left" if name == "source" else "right")
    for row in found["items"]:
        share = row["equity_share"]
        table.add_row(str(row["source"]), f"{row['customers']:,}", f"{row['share']:.1%}",
                      _money(row["mean_clv"]),
                      f"{_money(row['mean_clv_lower'])}–{_money(row['mean_clv_upper'])}",
                      _money(row["total_clv"]), "" if share is None else f"{share:.1%}",
                      f"{row['mean_p_alive']:.3f}" if row["mean_p_alive"] is not None else "",
                      _money(row["mean_margin"]))
    console = Console()
    console.print(table)
    for test in found["tests"]:
        if test["statistic"] is not None:
            console.print(f"{test['measure']}: {test['method']}: H = {test['statistic']:.3f}, "
                          f"df {test['df']}, p = {test['p_value']:.3g}, epsilon squared "
                          f"{test['effect_size']:.4f} (n = {test['n']:,})")
    for note in found["notes"]:
        console.print(note)
    console.print(f"[dim]{found['method']}[/]")


def _print_referrals(found: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if found["empty"]:
        console.print(found["empty"])
        return
    console.print(
        f"Snapshot {found['snapshot_id']} (as of {found['as_of']}): {found['referrers']:,} "
        f"referrers made {found['referrals']:,} referrals, {found['converted']:,} converted; "
        f"rewards {_money(found['rewards'])}.\n"
        f"Customer equity (sum of CLV): {_money(found['equity'])}; of it, customers brought by "
        f"referral: {_money(found['referred_clv'])} "
        f"({(found['referred_equity_share'] or 0):.1%}).\n"
        f"Referral value (sum of CRV): {_money(found['crv'])}; equity with referral value "
        f"(sum of CLV + CRV): {_money(found['equity_with_referrals'])}.")
    table = Table(title=f"Top {len(found['items'])} referrers by referral value")
    for name in ("referrer", "referrals", "converted", "referred CLV", "rewards", "CRV", "CLV",
                 "CLV + CRV"):
        table.add_column(name, justify="left" if name == "referrer" else "right")
    for row in found["items"]:
        table.add_row(row["referrer_id"], f"{row['referrals']:,}", f"{row['converted']:,}",
                      _money(row["referred_clv"]), _money(row["rewards"]), _money(row["crv"]),
                      _money(row["clv"]), _money(row["clv_plus_crv"]))
    console.print(table)
    console.print(f"[dim]{found['method']}[/]")


def register(app: typer.Typer) -> None:
    app.command()(acquisition)
    app.command()(referrals)
