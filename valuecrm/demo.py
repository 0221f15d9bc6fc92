"""The demo: load the bundled CDNOW data into a fresh database, analyse it, report.

Each step reads or writes the database and adds headline numbers to the printed summary; the
report is built by :mod:`valuecrm.report.builder`, the same as ``valuecrm report``.
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
from valuecrm.report import Report
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


DECIDED = {"rmse": "the RMSE, beyond noise", "abs_total_error": "the error of the total",
           "tracking_error": "the tracking error", "bic": "BIC, the holdout errors being "
           "within noise", "only model": "being the only model fitted"}


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


OBSERVATION_END = "1998-06-30"


def step_analyze(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """The customer value table as of the last day of the data (valuecrm.analyze)."""
    from valuecrm.analysis import analyze

    headline["snapshot_id"] = analyze(database, as_of=OBSERVATION_END).snapshot_id


def step_report(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """The report's sections (the same builder as 'valuecrm report') and the headline."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.report.builder import add_sections
    from valuecrm.report.sections import model_name

    snapshot = get_snapshot(database, headline["snapshot_id"])
    facts = add_sections(report, database, snapshot, source=CDNOW_SOURCE)
    equity = float(facts["equity"] or 0.0)
    name = model_name(snapshot.model)
    headline.update(orders=facts["orders"], revenue=facts["revenue"],
                    first_order=facts["first"], last_order=facts["last"],
                    best_model=snapshot.model, customer_equity_12m=equity)
    lines = headline.setdefault("lines", [])
    ranking = snapshot.metadata.get("model_ranking") or []
    weeks = (snapshot.metadata.get("holdout") or {}).get("holdout_weeks")
    if ranking and weeks:
        decided = (snapshot.metadata.get("model_choice") or {}).get("decided_by") or "rmse"
        lines.append(f"purchase model chosen on the {weeks:g}-week holdout: {name} "
                     f"(RMSE {ranking[0]['rmse']:.3f} per customer; decided by "
                     f"{DECIDED.get(decided, decided)})")
    lines += [
        f"customer equity, next 12 months at 10%/year: ${equity:,.0f} "
        f"(mean CLV ${facts['mean_clv'] or 0:,.2f}; {name} + Gamma-Gamma)",
        f"active customers (status new, active or at risk): {facts['active_customers']:,}",
    ]
    if facts["largest_segment"] is not None:
        top = facts["largest_segment"]
        lines.append(f"largest RFM segment: {top['segment']} ({int(top['customers']):,} "
                     "customers)")
    lines.append("largest groups (status, stage, quadrant, tier): " + ", ".join(
        f"{row['group']} {row['share']:.0%}" for row in facts["largest_groups"].values()))


STEPS: list[tuple[str, Step]] = [
    ("load", step_load),
    ("analyze", step_analyze),
    ("report", step_report),
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
