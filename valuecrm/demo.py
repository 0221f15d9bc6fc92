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
    monthly = (orders.mutate(month=orders.ordered_at.truncate("M"))
               .group_by("month").aggregate(orders=orders.count(), revenue=orders.amount.sum())
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


STEPS: list[tuple[str, Step]] = [
    ("load", step_load),
    ("overview", step_overview),
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
