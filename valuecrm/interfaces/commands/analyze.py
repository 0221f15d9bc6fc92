"""``valuecrm analyze`` and ``valuecrm segments``: the customer value table as dated snapshots."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from valuecrm.config import HOLDOUT_SAMPLE, HORIZON_MONTHS, INTERVAL_LEVELS
from valuecrm.errors import ParameterError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view, writing
from valuecrm.interfaces.context import emit_json
from valuecrm.store.memory import ANALYZE_MEMORY_LIMIT

BY_CHOICES = ("rfm_segment", "rfm_class", "status", "stage", "quadrant", "strategy", "tier",
              "value_class", "ladder", "relationship")
PURCHASE_MODELS = ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo")


def _rate(value: float | None) -> float | None:
    if value is not None and not 0 <= value < 1:
        raise typer.BadParameter(f"must be in [0, 1), e.g. 0.10 for 10% a year; got {value}.")
    return value


def _models(values: list[str] | None) -> list[str] | None:
    """The model names given, spelled as valuecrm spells them (any letter case is accepted)."""
    known = {name.lower(): name for name in PURCHASE_MODELS}
    chosen = []
    for value in values or ():
        if value.strip().lower() not in known:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(PURCHASE_MODELS)}.")
        chosen.append(known[value.strip().lower()])
    return chosen or None


def analyze(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Analyse as of this day, "
                                              "YYYY-MM-DD, at most the day of the last order "
                                              "(the default).")] = None,
    horizon: Annotated[int | None, typer.Option(
        "--horizon", "--horizon-months", min=HORIZON_MONTHS[0], max=HORIZON_MONTHS[1],
        help="CLV horizon in whole months (default 12).")] = None,
    discount_rate: Annotated[float | None, typer.Option(
        "--discount-rate", callback=_rate,
        help="Annual discount rate of the CLV, in [0, 1) (default 0.10).")] = None,
    margin_rate: Annotated[float | None, typer.Option(
        "--margin-rate", help="Share of spend kept as margin in the CLV, in (0, 1] (default: "
        "margin / revenue from the data; 1 when no cost is known).")] = None,
    interval_level: Annotated[float | None, typer.Option(
        "--interval-level", min=INTERVAL_LEVELS[0], max=INTERVAL_LEVELS[1],
        help="Level of the intervals of CLV, P(alive) and expected purchases "
        "(default 0.90).")] = None,
    models: Annotated[list[str] | None, typer.Option(
        "--model", callback=_models, help="Purchase model: " + ", ".join(PURCHASE_MODELS)
        + ". Give one to use it, several to choose the best of them on a holdout period "
        "(default: the best of all three).")] = None,
    spark: Annotated[str | None, typer.Option(
        "--spark", metavar="MASTER", help="Analyse the tables of a Spark session instead of "
        "--db (e.g. local[2], spark://host:7077); the snapshot is written into Spark unless "
        "--write-to is given. Needs valuecrm[spark].")] = None,
    spark_database: Annotated[str | None, typer.Option(
        "--spark-database", metavar="NAME", help="The Spark database holding the customer "
        "tables (default: the session's current one).")] = None,
    write_to: Annotated[str | None, typer.Option(
        "--write-to", metavar="FILE", help="With --spark: store the snapshot in this DuckDB "
        "file instead of in Spark.")] = None,
    spark_partitions: Annotated[int | None, typer.Option(
        "--spark-partitions", min=1, metavar="N", help="With --spark: Spark's shuffle "
        "partitions (default: 4 on local[...], about one per 500,000 customers suits larger "
        "bases; a cluster keeps its own).")] = None,
    memory_limit: Annotated[str, typer.Option(
        "--memory-limit", help="Cap on the memory DuckDB uses during the analysis, e.g. 4GB; "
                               "beyond it, work spills to temporary files (slower). Raise it "
                               "for tens of millions of orders.")] = ANALYZE_MEMORY_LIMIT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshot as JSON.")] = False,
) -> None:
    """Compute the customer value table and store it as a dated snapshot.

    Per customer: RFM scores and segment, historic value, P(alive), expected purchases and
    spend, CLV with an interval, status, lifecycle stage, value-matrix quadrant, pyramid tier,
    MVC / MGC / BZ, loyalty-ladder stage and relationship level. Earlier snapshots are kept;
    re-running the same --as-of replaces that one. See them with 'valuecrm segments'.

    With --spark MASTER the same analysis runs on the tables of a Spark session (orders,
    customers, ... under their canonical names): every table-sized step runs in Spark, and
    the snapshot goes into Spark's 'snapshots' and 'customer_value' tables, or into a DuckDB
    file with --write-to.

    Example: valuecrm analyze --as-of 1998-06-30 --horizon 24 --model ParetoNBD

    Example: valuecrm analyze --spark local[2] --spark-database shop --write-to value.duckdb
    """
    from valuecrm.analysis import analyze as run
    from valuecrm.reports.group_figures import group_summary
    from valuecrm.views.model_figures import model_ranking_lines

    config = _config(horizon, discount_rate, margin_rate, interval_level, models)
    if spark is None and (spark_database or write_to or spark_partitions):
        raise ParameterError("--spark-database, --spark-partitions and --write-to go with "
                             "--spark.",
                             hint="Give --spark MASTER (e.g. local[2]), or leave them out.")
    with _opened(ctx, spark, spark_database, spark_partitions) as database:
        try:
            snapshot = run(database, as_of=as_of, config=config, write_to=write_to,
                           memory_limit=memory_limit)
        except ParameterError as refused:
            if getattr(refused, "parameter", None) == "memory_limit":
                raise ParameterError(f"--memory-limit must be a size such as 1500MB or 4GB. Got "
                                     f"{memory_limit!r} instead.") from None
            if refused.details.get("field") != "as_of":
                raise
            raise ParameterError(refused.message, hint=(
                f"Give --as-of {refused.details['latest']} or earlier, or leave --as-of out "
                "for the day of the last order.")) from None
        if as_json:
            emit_json(snapshot.to_dict())
            return
        if write_to is not None:
            from valuecrm.store import connect

            with connect(write_to) as stored:
                status = group_summary(stored, snapshot.snapshot_id, by="status")
        else:
            status = group_summary(database, snapshot.snapshot_id, by="status")
    counts = snapshot.counts
    print(f"Snapshot {snapshot.snapshot_id} as of {snapshot.as_of}: "
          f"{counts['customers']:,} customers ({counts['repeat_buyers']:,} repeat buyers, "
          f"{counts['purchase_orders']:,} purchase orders).")
    print(f"Purchase model: {snapshot.model or 'none'}. {snapshot.model_reason}")
    for line in model_ranking_lines(snapshot):
        print(line)
    if snapshot.margin_known:
        print(f"Margin: {snapshot.metadata.get('margin_source', '')}.")
    else:
        print("Margin: no order has a cost or a margin, so the margin figures are revenue "
              "(no cost data); give --margin-rate to value the CLV on a margin.")
    print("Status: " + ", ".join(f"{row.group} {int(row.customers):,} ({row.share:.1%})"
                                 for row in status.itertuples()))
    for warning in snapshot.warnings:
        print(f"Warning: {warning}")
    print("See the groups: valuecrm segments --by status|stage|quadrant|tier|rfm_segment")


def _opened(ctx: typer.Context, spark: str | None, spark_database: str | None,
            spark_partitions: int | None = None) -> Any:
    """The database to analyse: --db (opened for writing), or the tables of a Spark session."""
    if spark is None:
        return writing(ctx, api="POST /api/analyses")
    from valuecrm.store.external import connect_spark

    return connect_spark(spark, database=spark_database, shuffle_partitions=spark_partitions)


def _config(horizon: int | None, discount_rate: float | None, margin_rate: float | None,
            interval_level: float | None, models: list[str] | None) -> Any:
    """The AnalysisConfig of the options given, validated in the words of the CLI."""
    from valuecrm.config import AnalysisConfig

    given = {"horizon_months": None if horizon is None else float(horizon),
             "discount_rate": discount_rate, "margin_rate": margin_rate,
             "interval_level": interval_level,
             "candidates": tuple(dict.fromkeys(models)) if models else None}
    with options_named(horizon_months="--horizon", discount_rate="--discount-rate",
                       margin_rate="--margin-rate", interval_level="--interval-level",
                       candidates="--model"):
        return AnalysisConfig().replace(
            **{k: v for k, v in given.items() if v is not None}).validated()


def snapshots(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshots as JSON.")]
    = False,
) -> None:
    """List the snapshots of the customer value table, oldest as-of date first.

    Each with its id, as-of date, when it was made, the purchase model and the customers.

    Example: valuecrm snapshots --json
    """
    from valuecrm import views

    found = read_view(ctx, "/api/snapshots", {}, views.snapshots)["items"]
    rows = [{"snapshot_id": s["snapshot_id"], "as_of": s["as_of"],
             "created_at": s["created_at"], "model": s["model"],
             "customers": int(s["counts"].get("customers", 0))} for s in found]
    if as_json:
        emit_json({"snapshots": rows})
        return
    if not rows:
        print("No snapshot yet. Make one: valuecrm analyze")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} snapshot(s) of the customer value table")
    for name in ("id", "as of", "created (UTC)", "model", "customers"):
        table.add_column(name, justify="right" if name in ("id", "customers") else "left")
    for row in rows:
        table.add_row(str(row["snapshot_id"]), row["as_of"], row["created_at"].replace("T", " "),
                      row["model"] or "none", f"{row['customers']:,}")
    Console().print(table)


def segments(
    ctx: typer.Context,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help="Snapshot id or as-of date "
                                                 "(default: the latest).")] = None,
    by: Annotated[str, typer.Option("--by", help="Grouping: " + ", ".join(BY_CHOICES) + ".")]
    = "rfm_segment",
    as_json: Annotated[bool, typer.Option("--json", help="Print the groups as JSON.")] = False,
) -> None:
    """Customers, share and value of each group of a snapshot of the customer value table.

    While 'valuecrm serve' holds the database, the groups come from its GET /api/segments.

    Example: valuecrm segments --by status --snapshot 1998-06-30
    """
    import pandas as pd

    from valuecrm import views

    with options_named(by="--by", snapshot="--snapshot"):
        found = read_view(ctx, "/api/segments", {"by": by, "snapshot": snapshot},
                          lambda database: views.segments(database, snapshot, by=by))
    if as_json:
        emit_json(found)
        return
    _print_table(pd.DataFrame(found["items"]),
                 f"Snapshot {found['snapshot_id']} as of {found['as_of']}, by {by} "
                 f"(model: {found['model'] or 'none'})", found["margin_known"])


def _print_table(groups: Any, title: str, margin_known: bool = True) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    margin, current = (("margin", "current value") if margin_known else
                       ("margin = revenue (no cost data)", "current value (revenue)"))
    for name in ("group", "name", "customers", "share", "revenue", margin, current,
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


def evaluate_holdout(
    ctx: typer.Context,
    calibration_end: Annotated[str, typer.Option(
        "--calibration-end", help="Last day of the calibration period, YYYY-MM-DD: the models "
        "are fitted on the history up to it.")],
    observation_end: Annotated[str | None, typer.Option(
        "--observation-end", help="Last day of the holdout period (default: the day of the "
        "last order).")] = None,
    models: Annotated[list[str] | None, typer.Option(
        "--model", callback=_models, help="Purchase model to compare: "
        + ", ".join(PURCHASE_MODELS) + " (repeat it; default: all three).")] = None,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", min=0, max=10_000, help="Paired bootstrap resamples of the customers "
        "for the model choice (default 1000; 0: none).")] = 1000,
    sample: Annotated[int, typer.Option(
        "--sample", min=100, max=10_000_000, help="Customers evaluated: with more, a seeded "
        f"random sample of this many, drawn in the database (default {HOLDOUT_SAMPLE:,}).")]
    = HOLDOUT_SAMPLE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evaluation as JSON.")]
    = False,
) -> None:
    """Compare the purchase models on a holdout period of the orders.

    Each model is fitted on the history up to --calibration-end (in weeks) and predicts every
    customer's purchases up to --observation-end: per model MAE, RMSE, the error of the total,
    the cumulative tracking error and the weekly tracking curve (Fader, Hardie & Lee 2005), and
    the model that 'valuecrm analyze' would choose by the same rule, with why.

    Example: valuecrm evaluate-holdout --calibration-end 1997-09-30 --observation-end 1998-06-30
    """
    from valuecrm.views.holdout import holdout_evaluation

    params = {"calibration_end": calibration_end, "observation_end": observation_end,
              "purchase_model": models, "bootstrap": bootstrap, "sample": sample}
    with options_named(calibration_end="--calibration-end",
                       observation_end="--observation-end"):
        try:
            found = read_view(
                ctx, "/api/models/holdout", {k: v for k, v in params.items() if v is not None},
                lambda database: holdout_evaluation(
                    database, calibration_end=calibration_end, observation_end=observation_end,
                    models=models, sample=sample, n_bootstrap=bootstrap))
        except ParameterError as refused:
            field = {"observation_end": "--observation-end",
                     "calibration_end": "--calibration-end"}.get(
                refused.details.get("field", ""))
            if field is None:
                raise
            raise ParameterError(refused.message, hint=f"Check {field}. {refused.hint or ''}"
                                 .strip()) from None
    if as_json:
        emit_json(found)
        return
    print(f"Holdout evaluation: calibration up to {found['calibration_end']}, holdout to "
          f"{found['observation_end']} ({found['holdout_weeks']:g} weeks), "
          + (f"{found['customers']:,} customers." if found["customers"] == found["population"]
             else f"a random sample of {found['customers']:,} of {found['population']:,} "
             "customers."))
    for row in found["ranking"]:
        chosen = " (chosen)" if row["chosen"] else ""
        print(f"  {row['rank']}. {row['model']}{chosen}: MAE {row['mae']:.4f}, RMSE "
              f"{row['rmse']:.4f}, total {row['predicted_total']:,.1f} predicted vs "
              f"{row['actual_total']:,.0f} actual ({row['total_error']:+.1%}), tracking error "
              + ("–" if row["tracking_error"] is None else f"{row['tracking_error']:.1%}"))
    print(found["reason"])
    print(f"Method: {found['method']}.")


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command("evaluate-holdout")(evaluate_holdout)
    app.command()(segments)
    app.command()(snapshots)
