"""The 360 view of one customer printed in the terminal (``valuecrm customers show``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

# history name -> (title, columns shown)
HISTORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "orders": ("Recent orders", ("ordered_at", "order_id", "amount", "margin", "quantity",
                                 "channel", "status")),
    "interactions": ("Interactions", ("occurred_at", "stage", "channel", "kind",
                                      "cost_to_serve")),
    "complaints": ("Complaints", ("opened_at", "category", "severity", "compensation",
                                  "resolution_hours", "satisfaction_after")),
    "surveys": ("Surveys", ("responded_at", "survey", "question", "score", "answer_text")),
    "loyalty_points": ("Loyalty points", ("occurred_at", "kind", "points", "tier",
                                          "order_id")),
}
LABELS = (("rfm_segment", "RFM segment"), ("rfm_class", "RFM class (8 classes)"),
          ("status", "status"), ("lifecycle_stage", "lifecycle stage"),
          ("quadrant", "value-matrix quadrant"), ("strategy", "strategy"),
          ("tier", "pyramid tier"), ("value_class", "MVC / MGC / BZ"),
          ("loyalty_stage", "loyalty ladder"), ("relationship_level", "relationship level"))


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")


def text(value: Any) -> str:
    """A cell: dates without midnight times, floats with two decimals, nothing for None.
    Times come as ISO strings in the view's plain data."""
    if value is None:
        return ""
    if isinstance(value, str) and ISO_TIME.fullmatch(value):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}" if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return escape(str(value))  # names and notes may hold "[...]", which is not markup


def print_view(view: dict[str, Any], config: dict[str, Any], margin_known: bool = True) -> None:
    """The 360 view; ``margin_known`` False calls the margin revenue (no cost data)."""
    console = Console(highlight=False)
    if not console.is_terminal:  # a pipe or a file: keep every column
        console.width = max(console.width, 120)
    profile = view["profile"]
    title = profile["customer_id"] + (f" · {profile['name']}" if profile.get("name") else "")
    console.rule(f"[bold]Customer {escape(title)}")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for key, value in profile.items():
        if key != "customer_id" and value is not None:
            facts.add_row(key.replace("_", " "), text(value))
    for attribute in view.get("attributes") or ():
        facts.add_row(attribute["name"].replace("_", " "), text(attribute["value"]))
    summary = view["summary"]
    facts.add_row("orders", f"{summary['orders']:,} (revenue {text(summary['revenue'])}, "
                            f"{text(summary['first_order'])} to {text(summary['last_order'])})"
                  if summary["orders"] else "none")
    console.print(facts)
    _print_value(console, view["value"], config, margin_known)
    referral = view.get("referral")
    if referral and referral["referrals"]:
        console.print(f"\n[bold]Referral value[/] (CRV): {text(referral['crv'])} from "
                      f"{referral['referrals']:,} referrals ({referral['converted']:,} joined, "
                      f"referred CLV {text(referral['referred_clv'])}, rewards "
                      f"{text(referral['rewards'])}); CLV + CRV {text(referral['clv_plus_crv'])}"
                      ". Kumar, Petersen & Leone (2010).")
    for name, (heading, columns) in HISTORIES.items():
        history = view[name]
        extra = (f", balance {history['balance']:,} points" if name == "loyalty_points"
                 else "")
        if not history["total"]:
            console.print(f"\n[bold]{heading}[/]: none{extra}.")
            continue
        table = Table(title=f"{heading}: newest {len(history['items']):,} of "
                            f"{history['total']:,}{extra}", title_justify="left")
        for column in columns:
            table.add_column(column.replace("_", " "))
        for item in history["items"]:
            table.add_row(*(text(item.get(column)) for column in columns))
        console.print(table)


def _print_value(console: Console, value: dict[str, Any] | None,
                 config: dict[str, Any], margin_known: bool = True) -> None:
    if value is None:
        console.print("\n[bold]Value[/]: not analysed yet (run 'valuecrm analyze').")
        return
    horizon = config.get("horizon_months", 12)
    level = config.get("interval_level", 0.9)
    rate = config.get("discount_rate", 0.1)
    as_of = value["as_of"]
    console.print(f"\n[bold]Value[/] (snapshot {value['snapshot_id']}, as of {as_of}; next "
                  f"{horizon:g} months, discounted at {rate:.0%} a year)")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    if value.get("clv") is None:
        grid.add_row("CLV", "not predicted (no purchase model for this snapshot)")
    else:
        def interval(name: str, digits: str = "") -> str:
            lower, upper = value.get(f"{name}_lower"), value.get(f"{name}_upper")
            if lower is None or upper is None:
                return ""
            shown = (f"{lower:{digits}}", f"{upper:{digits}}") if digits else (text(lower),
                                                                               text(upper))
            return f" ({level:.0%} interval {shown[0]} to {shown[1]})"

        grid.add_row("CLV", text(value["clv"]) + interval("clv"))
        grid.add_row("P(alive)", f"{value['p_alive']:.3f}" + interval("p_alive", ".3f"))
        grid.add_row("expected purchases", f"{value['expected_purchases']:.2f}"
                     + interval("expected_purchases", ".2f"))
        grid.add_row("expected spend", text(value.get("expected_spend")))
    if value.get("clv") is not None:
        grid.add_row("intervals", "parameter uncertainty, delta method (P(alive): logit "
                                  "scale; expected purchases, CLV: log scale)")
    grid.add_row("RFM score", f"R{value.get('r_score')} F{value.get('f_score')} "
                              f"M{value.get('m_score')} (total {text(value.get('rfm_total'))})")
    grid.add_row("margin, current value" if margin_known else
                 "revenue (no cost data), current value (revenue)",
                 f"{text(value.get('margin'))}, {text(value.get('current_value'))}")
    for column, label in LABELS:
        grid.add_row(label, text(value.get(column)))
    console.print(grid)
