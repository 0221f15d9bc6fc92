"""``valuecrm analyze`` and ``valuecrm segments``: the customer value table as dated snapshots."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from valuecrm.analysis.config import HORIZON_MONTHS, INTERVAL_LEVELS
from valuecrm.errors import ParameterError
from valuecrm.interfaces.context import emit_json, state

BY_CHOICES = ("rfm_segment", "rfm_class", "status", "stage", "quadrant", "strategy", "tier",
              "value_class", "ladder", "relationship")
PURCHASE_MODELS = ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo")


def _rate(value: float | None) -> float | None:
    if value is not None and not 0 <= value < 1:
        raise typer.BadParameter(f"must be in [0, 1), e.g. 0.10 for 10% a year; got {value}.")
    return value


def _models(values: list[str] | None) -> list[str] | None:
    for value in values or ():
        if value not in PURCHASE_MODELS:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(PURCHASE_MODELS)}.")
    return values


def analyze(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Analyse as of this day, "
                                              "YYYY-MM-DD, at most the day of the last order "
                                              "(the default).")] = None,
    horizon_months: Annotated[int | None, typer.Option(
        "--horizon-months", min=HORIZON_MONTHS[0], max=HORIZON_MONTHS[1],
        help="CLV horizon in whole months (default 12).")] = None,
    discount_rate: Annotated[float | None, typer.Option(
        "--discount-rate", callback=_rate,
        help="Annual discount rate of the CLV, in [0, 1) (default 0.10).")] = None,
    interval_level: Annotated[float | None, typer.Option(
        "--interval-level", min=INTERVAL_LEVELS[0], max=INTERVAL_LEVELS[1],
        help="Level of the CLV interval (default 0.90).")] = None,
    models: Annotated[list[str] | None, typer.Option(
        "--model", callback=_models, help="A purchase model to compare (repeat the option): "
        + ", ".join(PURCHASE_MODELS) + " (default: all three).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshot as JSON.")] = False,
) -> None:
    """Compute the customer value table and store it as a dated snapshot.

    Per customer: RFM scores and segment, historic value, P(alive), expected purchases and
    spend, CLV with an interval, status, lifecycle stage, value-matrix quadrant, pyramid tier,
    MVC / MGC / BZ, loyalty-ladder stage and relationship level. Earlier snapshots are kept;
    re-running the same --as-of replaces that one. See them with 'valuecrm segments'.
    """
    from valuecrm.analysis import AnalysisConfig, group_summary
    from valuecrm.analysis import analyze as run

    given = {"horizon_months": None if horizon_months is None else float(horizon_months),
             "discount_rate": discount_rate, "interval_level": interval_level,
             "candidates": tuple(dict.fromkeys(models)) if models else None}
    config = AnalysisConfig().replace(**{k: v for k, v in given.items() if v is not None})
    with state(ctx).connect() as database:
        try:
            snapshot = run(database, as_of=as_of, config=config)
        except ParameterError as refused:
            if refused.details.get("field") != "as_of":
                raise
            raise ParameterError(refused.message, hint=(
                f"Give --as-of {refused.details['latest']} or earlier, or leave --as-of out "
                "for the day of the last order.")) from None
        if as_json:
            emit_json(snapshot.to_dict())
            return
        status = group_summary(database, snapshot.snapshot_id, by="status")
    counts = snapshot.counts
    print(f"Snapshot {snapshot.snapshot_id} as of {snapshot.as_of}: "
          f"{counts['customers']:,} customers ({counts['repeat_buyers']:,} repeat buyers, "
          f"{counts['purchase_orders']:,} purchase orders).")
    print(f"Purchase model: {snapshot.model or 'none'}. {snapshot.model_reason}")
    print(f"Margin: {snapshot.metadata.get('margin_source', '')}.")
    print("Status: " + ", ".join(f"{row.group} {int(row.customers):,} ({row.share:.1%})"
                                 for row in status.itertuples()))
    for warning in snapshot.warnings:
        print(f"Warning: {warning}")
    print("See the groups: valuecrm segments --by status|stage|quadrant|tier|rfm_segment")


def segments(
    ctx: typer.Context,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help="Snapshot id or as-of date "
                                                 "(default: the latest).")] = None,
    by: Annotated[str, typer.Option("--by", help="Grouping: " + ", ".join(BY_CHOICES) + ".")]
    = "rfm_segment",
    as_json: Annotated[bool, typer.Option("--json", help="Print the groups as JSON.")] = False,
) -> None:
    """Customers, share and value of each group of a snapshot of the customer value table."""
    from valuecrm.analysis import get_snapshot, group_summary

    with state(ctx).connect(read_only=True) as database:
        found = get_snapshot(database, snapshot)
        groups = group_summary(database, found.snapshot_id, by=by)
    if as_json:
        emit_json({"snapshot_id": found.snapshot_id, "as_of": found.as_of.isoformat(),
                   "by": by, "groups": _records(groups)})
        return
    _print_table(groups, f"Snapshot {found.snapshot_id} as of {found.as_of}, by {by} "
                         f"(model: {found.model or 'none'})")


def _records(frame: Any) -> list[dict[str, Any]]:
    import numpy as np

    cleaned = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
            for row in cleaned.to_dict("records")]


def _print_table(groups: Any, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for name in ("group", "name", "customers", "share", "revenue", "margin", "current value",
                 "CLV", "CLV share", "mean CLV", "mean P(alive)"):
        table.add_column(name, justify="left" if name in ("group", "name") else "right")

    def show(value: Any, spec: str) -> str:
        return "" if value is None or value != value else format(value, spec)

    for row in groups.itertuples():
        table.add_row(str(row.group), str(row.name), f"{int(row.customers):,}",
                      show(row.share, ".1%"), show(row.revenue, ",.0f"), show(row.margin, ",.0f"),
                      show(row.current_value, ",.0f"), show(row.clv, ",.0f"),
                      show(row.clv_share, ".1%"), show(row.mean_clv, ",.2f"),
                      show(row.mean_p_alive, ".2f"))
    console = Console()
    if not console.is_terminal:  # a pipe or a file: no terminal width to fit, keep the columns
        console.width = max(console.width, 150)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command()(segments)
