"""The demo: load the bundled CDNOW data into a fresh database, run every analysis, report.

Each analysis is a step that reads the database, adds a section to the report and headline
numbers to the printed summary. As valuecrm grows, the demo grows with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.datasets import load_cdnow
from valuecrm.errors import DatabaseError
from valuecrm.report import Figure, Report
from valuecrm.store import Database, connect

DEMO_MARK = "demo_dataset"
CDNOW_SOURCE = (
    "CDNOW purchases of the 23,570 customers who first bought in Q1 1997, to 1998-06-30 "
    "(Fader & Hardie; redistributed in lifetimes 0.11.3, MIT)."
)


@dataclass
class DemoResult:
    """What the demo did: headline numbers, the report's path, and how long each step took."""

    database: str
    report: Path
    headline: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


Step = Callable[[Database, Report, dict[str, Any]], None]


def prepare_database(path: str | Path) -> Database:
    """Open a fresh demo database at ``path``; refuse to wipe a database that is not a demo's."""
    target = Path(path)
    if target.exists():
        with connect(target) as existing:
            mark = existing.raw.execute(
                "SELECT value FROM _valuecrm_meta WHERE key = ?", [DEMO_MARK]).fetchone()
            has_rows = any(existing.counts().values())
        if has_rows and not mark:
            raise DatabaseError(
                f"{str(target)!r} holds customer data that the demo did not write; the demo will "
                "not overwrite it.",
                hint="Give the demo another file: valuecrm --db valuecrm-demo.duckdb demo",
            )
        target.unlink()
        Path(str(target) + ".wal").unlink(missing_ok=True)
    database = connect(target)
    database.raw.execute("INSERT OR REPLACE INTO _valuecrm_meta VALUES (?, 'cdnow')", [DEMO_MARK])
    return database


def cdnow_tables(orders: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CDNOW as valuecrm's customers and orders tables (order ids made from customer and row)."""
    orders = orders.sort_values(["customer_id", "ordered_at"], kind="stable").reset_index(
        drop=True)
    sequence = orders.groupby("customer_id").cumcount() + 1
    table = pd.DataFrame({
        "order_id": orders["customer_id"] + "-" + sequence.astype(str).str.zfill(3),
        "customer_id": orders["customer_id"],
        "ordered_at": orders["ordered_at"],
        "amount": orders["amount"],
        "quantity": orders["quantity"],
        "channel": "web",
        "status": "completed",
    })
    customers = (orders.groupby("customer_id", as_index=False)["ordered_at"].min()
                 .rename(columns={"ordered_at": "signup_at"}))
    customers["signup_channel"] = "web"
    return customers, table


def step_load(database: Database, report: Report, headline: dict[str, Any]) -> None:
    customers, orders = cdnow_tables(load_cdnow())
    database.ingest("customers", customers)
    database.ingest("orders", orders)
    headline["customers"] = database.counts()["customers"]


def step_overview(database: Database, report: Report, headline: dict[str, Any]) -> None:
    import plotly.graph_objects as go

    orders = database.table("orders")
    stats = orders.aggregate(
        orders=orders.count(), customers=orders.customer_id.nunique(),
        revenue=orders.amount.sum(), first=orders.ordered_at.min(), last=orders.ordered_at.max(),
    ).execute().iloc[0]
    by_month = orders.mutate(month=orders.ordered_at.truncate("M"))
    monthly = (by_month.group_by("month")
               .aggregate(orders=by_month.count(), revenue=by_month.amount.sum())
               .order_by("month").execute())
    headline.update(orders=int(stats.orders), revenue=float(stats.revenue),
                    first_order=stats["first"].date(), last_order=stats["last"].date())
    section = report.section(
        "Customer base",
        intro="What the database holds: customers, orders and revenue over time.",
        method="Counts and sums over the orders table.",
        source=CDNOW_SOURCE,
    )
    section.figures += [
        Figure("customers", f"{int(stats.customers):,}"),
        Figure("orders", f"{int(stats.orders):,}"),
        Figure("revenue", f"${float(stats.revenue):,.0f}"),
        Figure("period", f"{stats['first']:%Y-%m-%d} to {stats['last']:%Y-%m-%d}"),
    ]
    figure = go.Figure(go.Bar(x=monthly["month"], y=monthly["orders"], name="orders"))
    figure.update_layout(title="Orders per month", yaxis_title="orders")
    section.add_chart(figure)


CALIBRATION_END = "1997-09-30"  # the split of Fader, Hardie & Lee (2005): 39 + 39 weeks
OBSERVATION_END = "1998-06-30"


def step_models(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """Choose the purchase model on a holdout, refit on all history, value every customer."""
    import warnings

    from valuecrm.features import rfm_summary
    from valuecrm.models import GammaGamma
    from valuecrm.models.evaluation import actual_tracking, evaluate_holdout, select_model
    from valuecrm.report.sections import (
        MODEL_NAMES,
        model_selection_section,
        parameters_section,
        value_section,
    )
    from valuecrm.value import customer_equity, customer_lifetime_value

    orders = database.table("orders")
    split = rfm_summary(orders, calibration_end=CALIBRATION_END,
                        observation_end=OBSERVATION_END, freq="W").to_pandas()
    selection = select_model(split)
    tracking = evaluate_holdout(selection.best, split, tracking_periods=39).tracking
    tracking["actual_cumulative"] = actual_tracking(
        orders.select("customer_id", "ordered_at").to_pandas(), split["customer_id"],
        calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END,
        points=tracking["time"], freq="W")
    model_selection_section(report, selection, tracking,
                            calibration="1997-01-01 to 1997-09-30",
                            holdout="1997-10-01 to 1998-06-30")

    summary = rfm_summary(orders, observation_end=OBSERVATION_END, freq="W").to_pandas()
    purchase = type(selection.best)().fit(summary)
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    spend = GammaGamma().fit(repeat)
    parameters_section(report, {selection.best_name: purchase, "GammaGamma": spend},
                       period="1997-01-01 to 1998-06-30")
    scored = summary.assign(
        p_alive=purchase.probability_alive(summary),
        expected_purchases=purchase.expected_purchases(52, summary),
        expected_spend=spend.expected_spend(summary),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scored["clv"] = customer_lifetime_value(purchase, spend, summary, horizon=12,
                                                discount_rate=0.10, freq="W")
    equity = customer_equity(scored["clv"].to_numpy())
    value_section(report, scored, equity, model_name=selection.best_name, horizon_months=12,
                  discount_rate=0.10)
    name = MODEL_NAMES[selection.best_name]
    headline["best_model"] = selection.best_name
    headline["customer_equity_12m"] = equity.current
    headline.setdefault("lines", []).extend([
        f"best purchase model on the 39-week holdout: {name} "
        f"(RMSE {selection.ranking.loc[0, 'rmse']:.3f} per customer)",
        f"customer equity, next 12 months at 10%/year: ${equity.current:,.0f} "
        f"(mean CLV ${equity.per_customer:,.2f}; {name} + Gamma-Gamma)",
        f"customers probably still active (P(alive) > 0.5): "
        f"{int((scored['p_alive'] > 0.5).sum()):,}",
    ])


def step_rfm(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """RFM scores and the 11 named segments as of the last day of the data."""
    from valuecrm.features import rfm_summary
    from valuecrm.report.sections import rfm_section
    from valuecrm.segments import SEGMENTS, rfm_scores, segment_summary

    summary = rfm_summary(database.table("orders"), observation_end=OBSERVATION_END, freq="D")
    scores = rfm_scores(summary)
    segments = segment_summary(scores).to_pandas()
    actions = {s.name_en: s.action_en for s in SEGMENTS}
    table = pd.DataFrame({
        "segment": segments["rfm_segment"],
        "customers": segments["customers"],
        "share": segments["share"].map("{:.1%}".format),
        "spend share": segments["spend_share"].map("{:.1%}".format),
        "days since last purchase": segments["mean_time_since_last"].round(0),
        "purchases": segments["mean_n_purchases"].round(2),
        "suggested action": segments["rfm_segment"].map(actions),
    }).sort_values("customers", ascending=False)
    rfm_section(report, scores.to_pandas(), table)
    top = table.iloc[0]
    headline.setdefault("lines", []).append(
        f"largest RFM segment: {top['segment']} ({int(top['customers']):,} customers)")


def step_analyze(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """The customer value table as of the last day: status, stages, value matrix, pyramid."""
    import plotly.graph_objects as go

    from valuecrm.analysis import analyze, group_summary

    snapshot = analyze(database, as_of=OBSERVATION_END)
    section = report.section(
        "Customer value table: status, lifecycle, value matrix, pyramid",
        intro=f"Snapshot {snapshot.snapshot_id} as of {snapshot.as_of}: every customer's status, "
              "lifecycle stage (考察期 / 形成期 / 稳定期 / 退化期), value-matrix quadrant and "
              "strategy, and pyramid tier (客户金字塔). Run 'valuecrm segments --by ...' for the "
              "same tables.",
        method="valuecrm.analyze: status from P(alive) of the "
               f"{snapshot.model or 'no'} model and the days since the last purchase; lifecycle "
               "stage from each customer's own recent against earlier purchase rate and spend; "
               "value matrix = margin of the last 12 months x (CLV beyond it + cross-buying "
               "headroom), cut at the median; tiers by the last 12 months' margin, top 1% / "
               f"next 4% / next 15% / rest. Margin: {snapshot.metadata['margin_source']}. "
               f"Model: {snapshot.model_reason}",
        source=CDNOW_SOURCE,
    )
    lines = []
    for by, title in (("status", "Customer status"), ("stage", "Lifecycle stages"),
                      ("quadrant", "Value matrix quadrants"), ("tier", "Customer pyramid")):
        groups = group_summary(database, snapshot.snapshot_id, by=by)
        labels = groups["group"] + " " + groups["name"]
        figure = go.Figure(go.Bar(x=labels, y=groups["customers"], name="customers",
                                  text=groups["share"].map("{:.1%}".format)))
        figure.update_layout(title=f"{title}: customers", yaxis_title="customers")
        section.add_chart(figure, height=320)
        section.add_table(pd.DataFrame({
            "group": labels, "customers": groups["customers"],
            "share": groups["share"].map("{:.1%}".format),
            "margin, last 12 months": groups["current_value"].round(0),
            "CLV, next 12 months": groups["clv"].round(0),
            "CLV share": groups["clv_share"].map("{:.1%}".format),
        }), caption=title)
        top = groups.loc[groups["customers"].idxmax()]
        lines.append(f"{top['group']} {top['share']:.0%}")
    headline["snapshot_id"] = snapshot.snapshot_id
    headline.setdefault("lines", []).append(
        "largest groups (status, stage, quadrant, tier): " + ", ".join(lines))


STEPS: list[tuple[str, Step]] = [
    ("load", step_load),
    ("overview", step_overview),
    ("models", step_models),
    ("rfm", step_rfm),
    ("analyze", step_analyze),
]


def run_demo(db_path: str | Path = "valuecrm-demo.duckdb",
             report_path: str | Path = "valuecrm-report.html",
             *, on_step: Callable[[str], None] | None = None) -> DemoResult:
    """Load CDNOW into a fresh database at ``db_path``, run every step, write the report."""
    report = Report("valuecrm demo: CDNOW customer base",
                    subtitle="23,570 customers of an online CD store, January 1997 to June 1998")
    result = DemoResult(database=str(db_path), report=Path(report_path))
    with prepare_database(db_path) as database:
        for name, step in STEPS:
            if on_step:
                on_step(name)
            started = time.perf_counter()
            step(database, report, result.headline)
            result.timings[name] = time.perf_counter() - started
    report.write(report_path)
    return result
