"""Retention after a complaint: is the service-recovery paradox there in the data?

The paradox (McCollough & Bharadwaj 1992; meta-analysis: de Matos, Henrique & Rossi 2007,
Journal of Service Research 10(1)) says customers whose complaint was recovered well end up more
loyal than customers who had no failure. It is tested here, not assumed. The unit is a purchase:

- **success / failure**: the purchase a customer's first rated complaint is about (its order,
  or the complaint's time when it names none), a *success* when satisfaction_after >=
  ``success_threshold`` (default 5 on the 1-7 scale), else a *failure*;
- **no complaint**: every purchase with no complaint about it, made before the customer's first
  complaint (all purchases of customers who never complained);
- **retention**: a purchase (completed order) within ``days`` days after the complaint was
  resolved (opened, when it has no resolution); a purchase without a complaint is followed from
  the median time complained purchases took to be resolved after the purchase, so both groups
  start the same time after buying. Starts later than ``days`` days before the last purchase on
  file are left out, so each had the whole window to be followed.

Why purchases and not "customers who never complained": never complaining over the whole
history is more likely for customers who bought little *after* the reference time, so that group
is selected on the outcome. A complaint follows a purchase by chance whatever the customer's
purchase rate, so complained and uncomplained purchases compare like with like. Purchases of
the same customer are correlated: the interval of the no-complaint share is cluster-robust by
customer (Wilson interval at the effective sample size). The paradox is *supported* when
retention after a successful recovery exceeds retention without a complaint and the interval of
the difference excludes 0. Everything table-sized runs in the engine.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.features.purchases import purchases
from valuecrm.store.database import Database
from valuecrm.voice.proportions import difference, ratio, wilson
from valuecrm.voice.recovery import NO_COMPLAINTS, SATISFACTION, SUCCESS_THRESHOLD

GROUPS = ("success", "failure", "no_complaint")
RETENTION_DAYS = 90
METHOD = ("retention = a purchase within {days} days after the complaint was resolved (after a "
          "purchase without a complaint: from the median purchase-to-resolution time of the "
          "complaints on); success / failure = the customer's first rated complaint with "
          "satisfaction_after >= / < {threshold:g}; no_complaint = purchases without a complaint "
          "made before the customer's first complaint; starts later than {days} days before the "
          "last purchase on file are left out. Wilson intervals (cluster-robust by customer for "
          "no_complaint), "
          "Newcombe interval and z test for differences (McCollough & Bharadwaj 1992; de Matos, "
          "Henrique & Rossi 2007)")


def _exposed(database: Database, success_threshold: float, bought: ir.Table) -> ir.Table:
    """One row per complainer: the time of the purchase of their first rated complaint."""
    complaints = database.table("complaints")
    rated = complaints.filter(complaints[SATISFACTION].notnull())
    first = rated.mutate(rank=ibis.row_number().over(
        group_by=rated.customer_id, order_by=[rated.opened_at, rated.complaint_id]))
    first = first.filter(first["rank"] == 0)
    o = bought.select(oid="order_id", ot="ordered_at")
    joined = first.left_join(o, first.order_id == o.oid)
    return joined.select(
        customer_id=joined.customer_id.cast("string"),
        bought_at=ibis.coalesce(joined.ot, joined.opened_at).cast("timestamp"),
        at=ibis.coalesce(joined.resolved_at, joined.opened_at).cast("timestamp"),
        group=ibis.ifelse(joined[SATISFACTION].cast("float64") >= success_threshold,
                          "success", "failure"))


def _unexposed(database: Database, bought: ir.Table, lag_seconds: int) -> ir.Table:
    """Purchases without a complaint, before the customer's first complaint; each followed from
    ``lag_seconds`` after it (the median time from a complained purchase to its resolution)."""
    complaints = database.table("complaints")
    first = complaints.group_by("customer_id").agg(first_at=complaints.opened_at.min())
    about = complaints.filter(complaints.order_id.notnull()).select(oid="order_id").distinct()
    quiet = bought.anti_join(about, bought.order_id == about.oid)
    joined = quiet.left_join(first, "customer_id")
    joined = joined.filter(joined.first_at.isnull() | (joined.ordered_at < joined.first_at))
    return joined.select(customer_id=joined.customer_id.cast("string"),
                         at=(joined.ordered_at + ibis.interval(seconds=lag_seconds)
                             ).cast("timestamp"),
                         group=ibis.literal("no_complaint"))


def recovery_retention(database: Database, *, days: int = RETENTION_DAYS,
                       success_threshold: float = SUCCESS_THRESHOLD,
                       level: float = 0.95) -> dict[str, Any]:
    """Retention after purchases whose complaint was recovered well or badly, and after
    purchases without a complaint, with the test of the service-recovery paradox."""
    success_threshold = float(success_threshold)
    base: dict[str, Any] = {"method": METHOD.format(days=days, threshold=success_threshold),
                            "days": days, "success_threshold": success_threshold,
                            "level": level}
    if int(database.table("complaints").count().execute()) == 0:
        return {**base, "missing": NO_COMPLAINTS}
    bought = purchases(database.table("orders")).select("customer_id", "order_id",
                                                        "ordered_at")
    end = bought.ordered_at.max()
    exposed = _exposed(database, success_threshold, bought)
    lag = exposed.aggregate(lag=(exposed.at.epoch_seconds() - exposed.bought_at.epoch_seconds()
                                 ).quantile(0.5)).execute().iloc[0]["lag"]
    lag_seconds = 0 if lag is None or lag != lag else max(int(lag), 0)
    episodes = exposed.drop("bought_at").union(_unexposed(database, bought, lag_seconds))
    episodes = episodes.filter(episodes.at <= end - ibis.interval(days=days)).mutate(
        episode=ibis.row_number().over())
    p = bought.select(cid="customer_id", t="ordered_at")
    later = episodes.join(p, (episodes.customer_id == p.cid) & (p.t > episodes.at)
                          & (p.t <= episodes.at + ibis.interval(days=days)), how="semi")
    back = later.select("episode", back=ibis.literal(1))
    flagged = episodes.left_join(back, "episode").select(
        episodes.customer_id, episodes.group, back=back.back.notnull().cast("int64"))
    per_customer = flagged.group_by(["group", "customer_id"]).agg(
        n=ibis._.count(), k=ibis._.back.sum())
    counts = per_customer.group_by("group").agg(
        n=ibis._.n.sum(), k=ibis._.k.sum(), kk=(ibis._.k * ibis._.k).sum(),
        kn=(ibis._.k * ibis._.n).sum(), nn=(ibis._.n * ibis._.n).sum()).execute()
    counts = counts.set_index("group")
    if counts.empty:
        return {**base, "missing": f"no purchase is {days} days or more before the last "
                                   "purchase on file: wait, or give a shorter --days"}
    groups = {g: _share(counts, g, level) for g in GROUPS}
    vs_none = difference(groups["success"], groups["no_complaint"], level)
    supported = vs_none["lower"] is not None and vs_none["lower"] > 0
    return {**base, "groups": groups,
            "success_vs_failure": {"difference": difference(groups["success"],
                                                            groups["failure"], level),
                                   "ratio": ratio(groups["success"], groups["failure"], level)},
            "success_vs_no_complaint": vs_none,
            "failure_vs_no_complaint": difference(groups["failure"], groups["no_complaint"],
                                                  level),
            "paradox": {
                "verdict": ("not testable" if vs_none["difference"] is None else
                            "supported" if supported else "not supported"),
                "difference": vs_none["difference"], "lower": vs_none["lower"],
                "upper": vs_none["upper"], "p_value": vs_none["p_value"],
                "rule": "supported when retention after a successful recovery exceeds "
                        "retention after a purchase without a complaint and the interval of "
                        "the difference excludes 0"}}


def _share(counts: Any, group: str, level: float) -> dict[str, Any]:
    """The group's retention share; clustered by customer when customers repeat."""
    if group not in counts.index:
        return wilson(0, 0, level)
    row = counts.loc[group]
    n, k = int(row.n), int(row.k)
    out = wilson(k, n, level)
    if n and float(row.nn) > n:  # some customers have several episodes
        p = k / n
        var = (float(row.kk) - 2 * p * float(row.kn) + p * p * float(row.nn)) / n**2
        if var > 0 and 0 < p < 1:
            n_eff = p * (1 - p) / var
            eff = wilson(round(p * n_eff), max(round(n_eff), 1), level)
            out = {**out, "lower": eff["lower"], "upper": eff["upper"],
                   "effective_n": n_eff, "customers_clustered": True}
    return out
