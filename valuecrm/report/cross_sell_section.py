"""The report's "Cross-sell / 交叉销售" section: how broadly customers buy, by segment
(cross-buying and main-category share), and what is bought together (the association rules of
the category level, the same figures as ``valuecrm cross-buying`` and ``valuecrm rules`` and
the dashboard's page). No customer is named: ``valuecrm cross-sell --out FILE`` exports the
per-customer list."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.errors import ValueCRMError
from valuecrm.report.html import Figure, Report
from valuecrm.views import cross_sell

SUPPORT, SHOWN_RULES = 0.01, 15


def cross_sell_section(report: Report, database: Any, snapshot_id: int, *, source: str
                       ) -> bool:
    """Add the section for snapshot ``snapshot_id``; False (nothing added) when no purchase
    line names a product category."""
    import plotly.graph_objects as go

    buying = cross_sell.cross_buying(database, snapshot_id)
    if not buying["n_categories"]:
        return False
    t = report.t
    section = report.section(t("cross_sell_title"), intro=t("cross_sell_intro"),
                             method=t("cross_sell_method", support=SUPPORT), source=source)
    figures = buying["figures"]
    section.figures += [
        Figure(t("cross_sell_categories"), f"{figures['mean_categories']:.2f} / "
               f"{buying['n_categories']}", t("cross_sell_categories_how")),
        Figure(t("cross_sell_multi"), f"{figures['multi_category_share']:.1%}",
               t("cross_sell_multi_how")),
        Figure(t("cross_sell_main"), "–" if figures["main_category_share"] is None
               else f"{figures['main_category_share']:.1%}",
               t("cross_sell_main_how")),
    ]
    groups = pd.DataFrame(buying["by_segment"])
    section.add_table(pd.DataFrame({
        "segment": groups["group"].map(t.label), "customers": groups["customers"],
        "categories bought": groups["mean_categories"].round(2),
        "2+ categories": groups["multi_category_share"].map("{:.1%}".format),
        "main-category share": groups["main_category_share"].map(
            lambda v: "" if v is None or v != v else f"{v:.1%}")}),
        caption=t("cross_sell_by_segment"))
    try:
        found = cross_sell.rules(database, level="category", min_support=SUPPORT,
                                 top=SHOWN_RULES)
    except ValueCRMError as error:
        section.add_text(error.message)
        return True
    if not found["rules"]:
        section.add_text(t("cross_sell_no_rules", n=f"{found['n_baskets']:,}"))
        return True
    rules = pd.DataFrame(found["rules"])
    names = rules["antecedent"].map(" + ".join) + " → " + rules["consequent"]
    figure = go.Figure(go.Bar(x=rules["lift"], y=names, orientation="h"))
    figure.update_layout(title=t("cross_sell_chart"), yaxis={"autorange": "reversed"},
                         xaxis={"title": t.header("lift")})
    section.add_chart(figure, height=120 + 22 * len(rules))
    section.add_table(pd.DataFrame({
        "if bought": rules["antecedent"].map(" + ".join), "then also": rules["consequent"],
        "support": rules["support"].round(4), "confidence": rules["confidence"].round(3),
        "lift": rules["lift"].round(2), "baskets": rules["count"]}),
        caption=t("cross_sell_rules", rules=f"{found['n_rules']:,}",
                  baskets=f"{found['n_baskets']:,}"), max_rows=SHOWN_RULES)
    return True
