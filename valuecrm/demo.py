"""The demo: load a bundled real dataset into a fresh database, analyse it, report.

Two datasets (:data:`DATASETS`): ``cdnow`` (the default: 23,570 customers of an online CD store)
and ``completejourney`` (2,469 grocery households with demographics, products, baskets,
campaigns and coupon redemptions). Each step reads or writes the database and adds headline
numbers to the printed summary; the report is built by :mod:`valuecrm.report.builder`, the same
as ``valuecrm report``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.datasets import load_cdnow
from valuecrm.datasets.completejourney import NO_CONTROL_GROUP
from valuecrm.datasets.completejourney import SOURCE as COMPLETEJOURNEY_SOURCE
from valuecrm.errors import DatabaseError, ParameterError
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
    dataset: str = "cdnow"
    headline: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


Step = Callable[[Database, Report, dict[str, Any]], None]


DECIDED = {"rmse": "the RMSE, beyond noise", "abs_total_error": "the error of the total",
           "tracking_error": "the tracking error", "bic": "BIC, the holdout errors being "
           "within noise", "only model": "being the only model fitted"}


def prepare_database(path: str | Path, dataset: str = "cdnow") -> Database:
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
    database.raw.execute("INSERT OR REPLACE INTO _valuecrm_meta VALUES (?, ?)",
                         [DEMO_MARK, dataset])
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


def step_load_completejourney(database: Database, report: Report,
                              headline: dict[str, Any]) -> None:
    from valuecrm.datasets.completejourney import load_completejourney

    loaded = load_completejourney(database)
    headline["customers"] = loaded["customers"]
    headline["loaded"] = loaded
    headline.setdefault("lines", []).append(
        f"campaigns: {loaded['campaigns']} with {loaded['campaign_members']:,} receipts and "
        f"{loaded['coupon_redemptions']:,} coupon redemptions; no control group (targeted, "
        "not randomised): received-versus-not differences are selection, not effect")


OBSERVATION_END = "1998-06-30"


def step_analyze(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """The customer value table as of the last day of the data (valuecrm.analyze)."""
    from valuecrm.analysis import analyze

    as_of = headline.get("as_of", OBSERVATION_END)
    headline["snapshot_id"] = analyze(database, as_of=as_of).snapshot_id


def step_report(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """The report's sections (the same builder as 'valuecrm report') and the headline."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.report.builder import add_sections
    from valuecrm.report.sections import model_name

    snapshot = get_snapshot(database, headline["snapshot_id"])
    facts = add_sections(report, database, snapshot, source=headline.get("source", CDNOW_SOURCE))
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


def step_profile(database: Database, report: Report, headline: dict[str, Any]) -> None:
    """Who the customers are: the profile by age (valuecrm.profile), one headline line."""
    from valuecrm.views.profiles import customer_profile

    found = customer_profile(database, "age", snapshot=headline["snapshot_id"])
    best = max(found["groups"], key=lambda g: g["mean_spend"])
    spend = next(t for t in found["tests"] if t["measure"] == "spend")
    headline["profile_by_age"] = found["groups"]
    headline.setdefault("lines", []).append(
        f"who they are: of {found['customers']:,} households with an age, the {best['age']} "
        f"band spends most (mean ${best['mean_spend']:,.0f} a year; Kruskal-Wallis on spend "
        f"p = {spend['p_value']:.2g}, epsilon squared {spend['effect_size']:.3f})")


STEPS: list[tuple[str, Step]] = [
    ("load", step_load),
    ("analyze", step_analyze),
    ("report", step_report),
]


@dataclass(frozen=True)
class DemoDataset:
    """A bundled dataset the demo can run on: its steps, report titles, source and as-of."""

    title: str
    subtitle: str
    source: str
    as_of: str
    steps: list[tuple[str, Step]]
    notes: tuple[str, ...] = ()


DATASETS: dict[str, DemoDataset] = {
    "cdnow": DemoDataset(
        "valuecrm demo: CDNOW customer base",
        "23,570 customers of an online CD store, January 1997 to June 1998", CDNOW_SOURCE,
        OBSERVATION_END, STEPS),
    "completejourney": DemoDataset(
        "valuecrm demo: The Complete Journey",
        "2,469 grocery households of 84.51°, 2017-01-01 to 2018-01-01, with demographics, "
        "products, campaigns and coupons", COMPLETEJOURNEY_SOURCE, "2018-01-01",
        [("load", step_load_completejourney), ("analyze", step_analyze),
         ("profile", step_profile), ("report", step_report)],
        notes=(NO_CONTROL_GROUP,)),
}


def run_demo(db_path: str | Path = "valuecrm-demo.duckdb",
             report_path: str | Path = "valuecrm-report.html",
             *, dataset: str = "cdnow",
             on_step: Callable[[str], None] | None = None) -> DemoResult:
    """Load ``dataset`` (``cdnow`` or ``completejourney``) into a fresh database at
    ``db_path``, run every step, write the report."""
    chosen = DATASETS.get(dataset)
    if chosen is None:
        raise ParameterError.of("dataset", "demo", "one of " + ", ".join(DATASETS), dataset)
    report = Report(chosen.title, subtitle=chosen.subtitle)
    result = DemoResult(database=str(db_path), report=Path(report_path), dataset=dataset)
    result.headline.update(as_of=chosen.as_of, source=chosen.source)
    if chosen.notes:
        result.headline["notes"] = list(chosen.notes)
    with prepare_database(db_path, dataset) as database:
        for name, step in chosen.steps:
            if on_step:
                on_step(name)
            started = time.perf_counter()
            step(database, report, result.headline)
            result.timings[name] = time.perf_counter() - started
    report.write(report_path)
    return result
