"""The report's "Who they are / 客户画像" section: the customers profiled by an attribute
(:func:`valuecrm.views.profiles.customer_profile`, the same figures as ``valuecrm profile`` and
the dashboard's page). Left out when the database holds no customer attribute."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.report.html import Report
from valuecrm.views.profiles import customer_profile


def _test_line(test: dict[str, Any], report: Report) -> str:
    t = report.t
    method = t("profile_kw") if test["method"].startswith("Kruskal") else t("profile_chi2")
    effect = "ε²" if test["effect_size_name"] == "epsilon squared" else "Cramér's V"
    return t("profile_test", measure=t(f"profile_measure_{test['measure']}"), method=method,
             statistic=f"{test['statistic']:.2f}", df=test["df"], p=f"{test['p_value']:.3g}",
             effect=effect, size=f"{test['effect_size']:.4f}")


def profile_section(report: Report, database: Any, snapshot_id: int, *, source: str) -> bool:
    """Add the section for the default attribute (age if known) of snapshot ``snapshot_id``;
    False (nothing added) when there is no attribute to profile by."""
    import plotly.graph_objects as go

    found = customer_profile(database, snapshot=snapshot_id)
    if not found["groups"]:
        return False
    t, by = report.t, found["by"]
    name = t(f"profile_attr_{by}") if f"profile_attr_{by}" in t.catalogue else by
    section = report.section(
        t("profile_title"), source=source,
        intro=t("profile_intro", by=name, n=f"{found['customers']:,}",
                left=f"{found['left_out']:,}"),
        method=t("profile_method"))
    groups = pd.DataFrame(found["groups"])
    figure = go.Figure([go.Bar(x=groups[by].astype(str), y=groups[f"mean_{m}"],
                               name=t(f"profile_mean_{m}"))
                        for m in ("spend", "clv") if f"mean_{m}" in groups])
    figure.update_layout(barmode="group", title=t("profile_chart", by=name),
                         xaxis={"type": "category"})
    section.add_chart(figure, height=340)
    table = groups.rename(columns={by: name}).round(
        {c: 3 if "p_alive" in c else 1 for c in groups.columns if c.startswith(("mean", "med"))})
    table["share"] = groups["share"].map("{:.1%}".format)
    section.add_table(table, caption=t("profile_caption", by=name))
    for test in found["tests"]:
        if test["statistic"] is not None:
            section.add_text(_test_line(test, report))
    return True
