"""The report of one snapshot: overview, RFM, value, action-list and model pages in one HTML file.

``build_report(db)`` reads the latest snapshot of the customer value table (``valuecrm analyze``)
and the orders behind it; every aggregate is computed in the engine, so it works the same on a
few thousand customers or a million. ``valuecrm report`` and ``valuecrm demo`` both use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from valuecrm import views
from valuecrm.analysis.tracking import cumulative_tracking
from valuecrm.i18n import check_language
from valuecrm.report import sections
from valuecrm.report.acquisition_section import acquisition_section
from valuecrm.report.actions import actions_section
from valuecrm.report.cross_sell_section import cross_sell_section
from valuecrm.report.html import Report
from valuecrm.report.loyalty_section import loyalty_section
from valuecrm.report.profile_section import profile_section
from valuecrm.report.service_section import journey_section, recovery_section
from valuecrm.report.voice_section import voice_section
from valuecrm.report.words import ReportWords
from valuecrm.reports.group_figures import group_summary
from valuecrm.segments.rfm_names import SEGMENTS
from valuecrm.store.snapshots import VALUE_TABLE, Snapshot, get_snapshot
from valuecrm.views import dashboard

GROUPS = ("status", "stage", "quadrant", "tier")  # titles: words "group_<by>"
TOP_COLUMNS = ("customer_id", "rfm_segment", "n_purchases", "days_since_last", "revenue",
               "p_alive", "p_alive_lower", "p_alive_upper", "expected_purchases",
               "expected_purchases_lower", "expected_purchases_upper", "expected_spend", "clv",
               "clv_lower", "clv_upper")


def build_report(database: Any, snapshot: int | str | dt.date | None = None, *,
                 title: str | None = None, subtitle: str | None = None,
                 source: str | None = None, lang: str = "en") -> Report:
    """The report of ``snapshot`` (the latest by default) of ``database``, in ``lang``
    (``en`` or ``zh-CN``: every heading, label, method note and table header).

    ``source`` describes where the data come from (shown under every section); by default the
    database file. Raises NotFoundError when there is no snapshot yet (run ``valuecrm analyze``).
    """
    t = ReportWords(check_language(lang, "build_report"))
    found = get_snapshot(database, snapshot)
    report = Report(title or t("title"),
                    subtitle=subtitle or t("subtitle", sid=found.snapshot_id, as_of=found.as_of,
                                           n=f"{found.n_customers:,}"), lang=lang)
    add_sections(report, database, found, source=source)
    return report


def add_sections(report: Report, database: Any, snapshot: Snapshot, *,
                 source: str | None = None) -> dict[str, Any]:
    """Add the overview, RFM, value, value-table, profile, voice of the customer, action-list
    and model sections of ``snapshot``.

    Returns the headline facts: ``customers``, ``active_customers``, ``revenue``, ``equity``,
    ``mean_clv`` and their ``methods`` (:func:`valuecrm.views.headline`, the figures the CLI,
    the API and the dashboard show), ``orders``, ``first``, ``last`` (dates), and
    ``largest_segment`` and the largest group of each of status, stage, quadrant and tier.
    """
    t = report.t
    source = source or t("default_source", path=database.path or t("the_database"),
                         sid=snapshot.snapshot_id)
    raw, sid = database.raw, snapshot.snapshot_id
    as_of = snapshot.as_of.isoformat()
    figures = views.headline(database, sid)
    orders = views.order_facts(database, snapshot.as_of)
    monthly = pd.DataFrame(orders["monthly"], columns=["month", "orders"])
    monthly["month"] = pd.to_datetime(monthly["month"])
    stats = {"customers": figures["customers"], "active_customers": figures["active_customers"],
             "orders": orders["orders"], "revenue": figures["revenue"],
             "first": _date(orders["first"]), "last": _date(orders["last"]),
             "equity": figures["customer_equity"], "mean_clv": figures["mean_clv"],
             "referral_value": figures["referral_value"],
             "equity_with_referrals": figures["equity_with_referrals"],
             "methods": figures["methods"]}
    groups = {t(f"group_{by}"): group_summary(database, sid, by=by) for by in GROUPS}
    sections.overview_section(report, stats, monthly, groups[t("group_status")], as_of=as_of,
                              source=source)
    segments = _rfm(report, database, sid)
    top = raw.execute(f"SELECT {', '.join(TOP_COLUMNS)} FROM {VALUE_TABLE} WHERE snapshot_id = ? "
                      "ORDER BY clv DESC NULLS LAST, customer_id LIMIT 15", [sid]).fetch_df()
    definitions = snapshot.metadata.get("definitions", {})
    sections.value_section(
        report, dashboard.clv_spread(raw, sid), dashboard.clv_histogram(raw, sid), top,
        model=snapshot.model, config=snapshot.config,
        interval_method=snapshot.metadata.get("interval_method", ""),
        clv_definition=definitions.get("clv", "expected discounted margin"),
        equity=stats["equity"], mean_clv=stats["mean_clv"])
    sections.groups_section(
        report, groups, source=source, intro=t("groups_intro", sid=sid, as_of=as_of),
        method=t("groups_method", model=sections.model_name(snapshot.model, t),
                 cut=t.value(snapshot.config.get("matrix_cut", "median")),
                 pyramid=t.value(snapshot.config.get("pyramid_value", "current value")),
                 margin=t.value(snapshot.metadata.get("margin_source", "order amounts"))
                 if snapshot.margin_known else t("margin_none")),
        current_value=("current value" if snapshot.margin_known
                       else "current value (revenue, no cost data)"))
    profile_section(report, database, sid, source=source)
    acquisition_section(report, database, sid, source=source)
    voice_section(report, database, sid, path=database.path)
    where = database.path or t("the_database")
    recovery_section(report, database, source=t("svc_recovery_source", path=where))
    journey_section(report, database, source=t("svc_journey_source", path=where))
    actions_section(report, database, sid, source=source)
    cross_sell_section(report, database, sid, source=source)
    loyalty_section(report, database, snapshot, source=source)
    sections.models_section(report, model=snapshot.model, reason=snapshot.model_reason,
                            ranking=snapshot.metadata.get("model_ranking") or [],
                            holdout=snapshot.metadata.get("holdout") or {},
                            tracking=cumulative_tracking(raw, snapshot),
                            choice=snapshot.metadata.get("model_choice"))
    sections.parameters_section(report, snapshot.parameters, as_of=as_of)
    largest = {title: frame.loc[frame["customers"].idxmax()]
               for title, frame in groups.items() if len(frame)}
    return {**stats, "largest_segment": segments.iloc[0] if len(segments) else None,
            "largest_groups": largest}


def _date(stamp: str | None) -> dt.date | None:
    return None if stamp is None else dt.date.fromisoformat(stamp[:10])


def _rfm(report: Report, database: Any, sid: int) -> pd.DataFrame:
    grid = pd.DataFrame(views.rf_grid(database, sid),
                        columns=["r_score", "f_score", "customers", "monetary"])
    groups = group_summary(database, sid, by="rfm_segment")
    t = report.t
    actions = {s.name_en: s.action_zh if t.zh else s.action_en for s in SEGMENTS}
    table = pd.DataFrame({
        "segment": sections.group_labels(groups, t),
        "customers": groups["customers"],
        "share": groups["share"].map("{:.1%}".format),
        "revenue": groups["revenue"].round(0),
        "CLV": groups["clv"].round(0),
        "mean P(alive)": groups["mean_p_alive"].round(2),
        "suggested action": groups["group"].map(actions),
    }).sort_values("customers", ascending=False, kind="stable")
    sections.rfm_section(report, grid, table)
    return table
