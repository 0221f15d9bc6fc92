"""Who the customers are (客户画像): value and behaviour by a customer attribute.

Data mining on the customer database (资料采矿, CONCEPTS.md section 1): how an attribute such as
age band relates to purchase frequency, spend, lifetime value and the RFM class mix, with a test
of whether the groups differ (:mod:`valuecrm.reports.group_tests`). Everything table-sized runs in
the engine; one row per group reaches Python.

An attribute is a fixed column of ``customers`` (``gender``, ``region``, ``city``,
``signup_channel``, ``income_band``, ``birth_year``) or an extra attribute stored in
``customer_attributes`` (e.g. ``age``, ``household_size``). Customers without a value of it are
left out (and counted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.features.purchases import OTHER, PURCHASE, order_kind, signed_amount
from valuecrm.reports.group_tests import GroupTest, chi_square, kruskal_wallis
from valuecrm.segments.rfm_names import RFM_CLASSES
from valuecrm.store.snapshots import Snapshot, get_snapshot, read_snapshot

FIXED = ("gender", "region", "city", "signup_channel", "income_band", "birth_year")
MEASURES = {  # measure -> what it is
    "orders": "purchases (orders that count as purchases) over the whole history",
    "spend": "net spend (purchases minus returns) over the whole history",
    "clv": "lifetime value of the snapshot (its model, horizon and discount rate)",
    "p_alive": "probability of being alive at the snapshot's as-of date",
}
SNAPSHOT_MEASURES = ("clv", "p_alive")
OWNER = "profile"
# words of ordered bands, lowest first (compared in lower case)
ORDINAL = {w: i for i, w in enumerate(("low", "lower_middle", "lower middle", "middle",
                                       "upper_middle", "upper middle", "high"))}
ATTRIBUTES = "customer_attributes"


@dataclass
class Profile:
    """A profile of the customers by one attribute.

    ``table``: one row per group (``by``, ``customers``, ``share``, then ``mean_X`` and
    ``median_X`` per measure); ``mix``: the RFM class mix (group x class: ``customers``,
    ``share`` of the group); ``tests``: one test of difference per measure and one for the
    mix; ``method`` and ``source`` say how and from what.
    """

    by: str
    table: pd.DataFrame
    mix: pd.DataFrame
    tests: list[GroupTest]
    customers: int
    left_out: int
    method: str
    snapshot_id: int | None = None
    as_of: dt.date | None = None
    measures: list[str] = field(default_factory=list)

    def to_pandas(self) -> pd.DataFrame:
        return self.table


def attribute_values(database: Any) -> dict[str, int]:
    """Attribute -> how many distinct values it has: the fixed columns with a value, then the
    extra attributes stored, by name."""
    customers = database.table("customers")
    counts = customers.aggregate(**{c: customers[c].nunique() for c in FIXED}).to_pandas()
    found = {c: int(counts[c].iloc[0]) for c in FIXED if counts[c].iloc[0]}
    if ATTRIBUTES in database.con.list_tables():  # a read-only database of schema 1 lacks it
        extra = database.table(ATTRIBUTES)
        named = extra.group_by("name").aggregate(n=extra.value.nunique()).order_by("name")
        for name, n in named.to_pandas().itertuples(index=False):
            found.setdefault(name, int(n))
    return found


def attributes(database: Any) -> list[str]:
    """The attributes a profile can be made by: fixed columns with a value, then the extra
    attributes stored."""
    return list(attribute_values(database))


def attribute_groups(database: Any, by: str, owner: str = OWNER) -> ir.Table:
    """``customer_id`` and ``group`` (the value of attribute ``by``, as text) of the customers
    that have one."""
    if not isinstance(by, str) or not by:
        raise ParameterError.of("by", owner, "the name of a customer attribute", by)
    if by in FIXED:
        customers = database.table("customers")
        rows = customers.select("customer_id", group=customers[by].cast("string"))
        return rows.filter(rows.group.notnull())
    known = attributes(database)
    if by not in known:
        raise ParameterError(
            f"There is no customer attribute {by!r}.",
            hint=("Profile by one of: " + ", ".join(known) + ".") if known else
            "Load customers with demographic columns first (they are kept as attributes).")
    extra = database.table(ATTRIBUTES)
    return extra.filter(extra.name == by).select("customer_id", group=extra.value)


def band_key(label: str) -> tuple[int, float, str]:
    """Sort key of a band label: ``Under 15K`` < ``15-24K`` < ``250K+``; ``19-24`` < ``65+``;
    ``low`` < ``middle`` < ``high``; other labels without a number after those,
    alphabetically."""
    text = str(label)
    if text.lower() in ORDINAL:
        return (1, float(ORDINAL[text.lower()]), text)
    number = re.search(r"\d+(?:\.\d+)?", text.replace(",", ""))
    if number is None:
        return (2, 0.0, text)
    below = re.match(r"\s*(under|below|less|<|up to)", text, re.IGNORECASE) is not None
    return (0 if below else 1, float(number.group()), text)


def _customer_measures(database: Any) -> ir.Table:
    orders = database.table("orders")
    kind = order_kind(orders.status)
    counted = orders.mutate(_kind=kind).filter(lambda t: t._kind != OTHER)
    return counted.group_by("customer_id").aggregate(
        orders=(counted._kind == PURCHASE).cast("int64").sum(),
        spend=signed_amount(counted._kind, counted.amount).sum())


def _snapshot(database: Any, snapshot: Any) -> Snapshot | None:
    try:
        return get_snapshot(database, snapshot)
    except NotFoundError:
        if snapshot is not None:
            raise
        return None


def profile(database: Any, by: str, measures: Sequence[str] | None = None, *,
            snapshot: int | str | dt.date | None = None) -> Profile:
    """Customers, mean and median of each measure, and the RFM class mix per group of ``by``.

    ``measures``: any of ``orders``, ``spend``, ``clv``, ``p_alive`` (all by default; ``clv`` and
    ``p_alive`` need a snapshot, the latest unless ``snapshot`` names one, and are left out
    without one). Groups are sorted as bands (``Under 15K`` before ``15-24K``). Each measure
    gets a Kruskal-Wallis test between the groups (effect size epsilon squared), the RFM class
    mix a chi-square test (Cramér's V): :mod:`valuecrm.reports.group_tests`.
    """
    chosen = list(MEASURES) if measures is None else list(measures)
    for m in chosen:
        if m not in MEASURES:
            raise ParameterError.of("measures", OWNER, "a list of " + ", ".join(MEASURES), m)
    found = _snapshot(database, snapshot)
    if found is None:
        chosen = [m for m in chosen if m not in SNAPSHOT_MEASURES]
    groups = attribute_groups(database, by)
    per = groups.left_join(_customer_measures(database), "customer_id").select(
        "customer_id", "group", orders=lambda t: t.orders.fill_null(0),
        spend=lambda t: t.spend.fill_null(0.0))
    if found is not None:
        value = read_snapshot(database, found.snapshot_id).select(
            "customer_id", "clv", "p_alive", "rfm_class_code")
        per = per.left_join(value, "customer_id").drop("customer_id_right")
    aggregates: dict[str, Any] = {"customers": per.count()}
    for m in chosen:
        # summed as decimals (12 places): exact, so the mean is the same on every run and
        # engine, whatever order a parallel aggregate adds the customers in
        aggregates[f"mean_{m}"] = per[m].cast("decimal(38, 12)").mean().cast("float64")
        aggregates[f"median_{m}"] = per[m].median()
    table = per.group_by("group").aggregate(**aggregates).to_pandas()
    table = table.iloc[sorted(range(len(table)), key=lambda i: band_key(table["group"][i]))]
    total = int(table["customers"].sum())
    table.insert(2, "share", table["customers"] / total if total else 0.0)
    table = table.rename(columns={"group": by}).reset_index(drop=True)
    tests = [kruskal_wallis(per, "group", m) for m in chosen]
    mix = _mix(per, table[by].tolist(), by) if found is not None else pd.DataFrame()
    if not mix.empty:
        counts = mix.pivot_table(index=by, columns="rfm_class_code", values="customers",
                                 aggfunc="sum", fill_value=0)
        tests.append(chi_square(counts, "rfm_class"))
    everyone = int(database.table("customers").count().to_pandas())
    method = (f"Customers grouped by {by} ({total:,} with a value; {everyone - total:,} without "
              "one left out). " + "; ".join(f"{m}: {MEASURES[m]}" for m in chosen) + ". "
              "Differences between groups: Kruskal-Wallis H per measure (effect size epsilon "
              "squared = H/(n-1))" + ("; RFM class mix: chi-square test of independence "
                                      "(effect size Cramér's V)." if not mix.empty else "."))
    if found is None:
        method += " No snapshot yet: CLV, P(alive) and the RFM class mix need 'valuecrm analyze'."
    return Profile(by, table, mix, tests, total, everyone - total, method,
                   found.snapshot_id if found else None, found.as_of if found else None, chosen)


def _mix(per: ir.Table, order: list[str], by: str) -> pd.DataFrame:
    """Customers per group and RFM class (the 8 classes, R F M each high or low)."""
    rows = per.filter(per.rfm_class_code.notnull())
    mix = rows.group_by(["group", "rfm_class_code"]).aggregate(customers=rows.count()).to_pandas()
    if mix.empty:
        return mix
    names = {c.code: c for c in RFM_CLASSES}
    mix["rfm_class_en"] = mix["rfm_class_code"].map(lambda c: names[c].name_en if c in names
                                                    else c)
    mix["rfm_class"] = mix["rfm_class_code"].map(lambda c: names[c].name_zh if c in names else c)
    mix["share"] = mix["customers"] / mix.groupby("group")["customers"].transform("sum")
    rank = {g: i for i, g in enumerate(order)}
    codes = {c.code: i for i, c in enumerate(RFM_CLASSES)}
    mix = mix.assign(_g=mix["group"].map(rank), _c=mix["rfm_class_code"].map(codes).fillna(99))
    mix = mix.sort_values(["_g", "_c"]).drop(columns=["_g", "_c"]).rename(columns={"group": by})
    return mix[[by, "rfm_class_code", "rfm_class_en", "rfm_class", "customers", "share"]
               ].reset_index(drop=True)


