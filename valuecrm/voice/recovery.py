"""Complaints and service recovery (缺失补救): how often customers complain, how fast cases are
resolved, how satisfied they are afterwards, and what the three kinds of justice do to that.

Everything table-sized runs in the engine (Ibis): counts by month, the moments of the
resolution time, and the cross-products of the justice regression; only small results come
back. The regression is OLS with HC3 standard errors (MacKinnon & White 1985), computed from
two passes of sums over the complaints, so it scales with the engine, not with memory.
The justice view of complaint handling: Tax, Brown & Chandrashekaran 1998 (Journal of Marketing
62(2)); Smith, Bolton & Wagner 1999 (Journal of Marketing Research 36(3)).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
from scipy import stats

from valuecrm.features.purchases import purchases
from valuecrm.store.database import Database
from valuecrm.voice.proportions import wilson

JUSTICES = ("outcome_justice", "procedural_justice", "interactional_justice")
SATISFACTION = "satisfaction_after"
SUCCESS_THRESHOLD = 5.0
NO_COMPLAINTS = "no complaints yet: the complaints table is empty"
RATE_METHOD = ("complaints opened in a month / purchases (completed orders) in that month, per "
               "100 orders; complainers / customers with a purchase that month, per 100 "
               "customers; overall: complainers / customers with any purchase (Wilson interval)")
RESOLUTION_METHOD = ("resolution_hours, or resolved_at - opened_at where it is missing; open = "
                     "no resolution time; satisfaction after recovery on the 1-7 scale, mean "
                     "with its t interval; a recovery succeeds when satisfaction_after >= the "
                     "threshold (Wilson interval)")
JUSTICE_METHOD = ("OLS of satisfaction_after on outcome (distributive), procedural and "
                  "interactional justice (1-7 each) with an intercept, over resolved complaints "
                  "with all four ratings; HC3 heteroskedasticity-robust standard errors "
                  "(MacKinnon & White 1985), t intervals on n - 4 degrees of freedom. Tax, Brown "
                  "& Chandrashekaran 1998; Smith, Bolton & Wagner 1999")


def _count(table: ir.Table) -> int:
    return int(table.count().execute())


def complaint_rates(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """Complaint rate per order and per customer, overall and by month (opened_at)."""
    complaints = database.table("complaints")
    bought = purchases(database.table("orders"))
    n_complaints = _count(complaints)
    base: dict[str, Any] = {"method": RATE_METHOD, "complaints": n_complaints}
    if n_complaints == 0:
        return {**base, "missing": NO_COMPLAINTS, "by_month": []}
    n_orders = _count(bought)
    buyers = int(bought.customer_id.nunique().execute())
    complainers = int(complaints.customer_id.nunique().execute())
    per_order = None
    if n_orders:
        low, high = stats.chi2.ppf([(1 - level) / 2, (1 + level) / 2],
                                   [2 * n_complaints, 2 * n_complaints + 2]) / 2
        per_order = {"rate_per_100": 100 * n_complaints / n_orders,
                     "lower": 100 * low / n_orders, "upper": 100 * high / n_orders}
    month_c = complaints.mutate(month=complaints.opened_at.truncate("M")).group_by("month").agg(
        complaints=ibis._.count(), complainers=ibis._.customer_id.nunique())
    month_o = bought.mutate(month=bought.ordered_at.truncate("M")).group_by("month").agg(
        orders=ibis._.count(), customers=ibis._.customer_id.nunique())
    joined = month_o.join(month_c, "month", how="outer").mutate(
        month=ibis.coalesce(month_o.month, month_c.month)).drop("month_right")
    frame = joined.order_by("month").execute()
    by_month = []
    for row in frame.itertuples(index=False):
        orders = int(0 if row.orders != row.orders else row.orders)
        customers = int(0 if row.customers != row.customers else row.customers)
        k = int(0 if row.complaints != row.complaints else row.complaints)
        who = int(0 if row.complainers != row.complainers else row.complainers)
        by_month.append({
            "month": row.month.strftime("%Y-%m"), "complaints": k, "orders": orders,
            "customers": customers,
            "per_100_orders": 100 * k / orders if orders else None,
            "per_100_customers": 100 * who / customers if customers else None})
    return {**base, "orders": n_orders, "customers": buyers, "complainers": complainers,
            "per_100_orders": per_order,
            "complainer_share": wilson(complainers, buyers, level),
            "complaints_per_complainer": n_complaints / complainers, "by_month": by_month}


def _hours(complaints: ir.Table) -> ir.FloatingValue:
    span = (complaints.resolved_at.epoch_seconds() - complaints.opened_at.epoch_seconds()) / 3600
    return ibis.coalesce(complaints.resolution_hours.cast("float64"), span.cast("float64"))


def complaint_resolution(database: Database, *, success_threshold: float = SUCCESS_THRESHOLD,
                         level: float = 0.95) -> dict[str, Any]:
    """Time to resolve, satisfaction after recovery and the share of successful recoveries."""
    complaints = database.table("complaints")
    success_threshold = float(success_threshold)
    base: dict[str, Any] = {"method": RESOLUTION_METHOD, "success_threshold": success_threshold}
    if _count(complaints) == 0:
        return {**base, "complaints": 0, "missing": NO_COMPLAINTS}
    t = complaints.mutate(hours=_hours(complaints))
    sat = t[SATISFACTION].cast("float64")
    row = t.aggregate(
        complaints=t.count(), resolved=t.hours.notnull().sum(),
        mean_hours=t.hours.mean(), median_hours=t.hours.quantile(0.5),
        p90_hours=t.hours.quantile(0.9), rated=sat.notnull().sum(),
        mean_sat=sat.mean(), sd_sat=sat.std(),
        successes=(sat >= success_threshold).sum(),
        **{f"mean_{j}": t[j].cast("float64").mean() for j in JUSTICES},
    ).execute().iloc[0]
    rated = int(row.rated or 0)
    satisfaction = None
    if rated:
        half = (float(stats.t.ppf(0.5 + level / 2, rated - 1)) * float(row.sd_sat) / rated**0.5
                if rated > 1 else None)
        satisfaction = {"n": rated, "mean": float(row.mean_sat),
                        "lower": None if half is None else float(row.mean_sat) - half,
                        "upper": None if half is None else float(row.mean_sat) + half}
    resolved = int(row.resolved or 0)

    def _f(value: Any) -> float | None:
        return None if value is None or value != value else float(value)

    return {**base, "complaints": int(row.complaints), "resolved": resolved,
            "open": int(row.complaints) - resolved,
            "hours": {"mean": _f(row.mean_hours), "median": _f(row.median_hours),
                      "p90": _f(row.p90_hours)},
            "satisfaction_after": satisfaction,
            "success": wilson(int(row.successes or 0), rated, level),
            "justice_means": {j: _f(row[f"mean_{j}"]) for j in JUSTICES}}


def justice_effects(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """The effect of the three justices on satisfaction after recovery (OLS, HC3)."""
    complaints = database.table("complaints")
    columns = (SATISFACTION, *JUSTICES)
    t = complaints.filter([complaints[c].notnull() for c in columns]).select(
        y=complaints[SATISFACTION].cast("float64"), x0=ibis.literal(1.0),
        **{f"x{i + 1}": complaints[j].cast("float64") for i, j in enumerate(JUSTICES)})
    xs = [t.x0, t.x1, t.x2, t.x3]
    k = len(xs)
    sums = {f"xx{a}{b}": (xs[a] * xs[b]).sum() for a in range(k) for b in range(a, k)}
    sums.update({f"xy{a}": (xs[a] * t.y).sum() for a in range(k)})
    row = t.aggregate(n=t.count(), yy=(t.y * t.y).sum(), ybar=t.y.mean(), **sums
                      ).execute().iloc[0]
    n = int(row.n)
    base: dict[str, Any] = {"method": JUSTICE_METHOD, "n": n, "level": level}
    if n == 0:
        return {**base, "missing": NO_COMPLAINTS if _count(complaints) == 0 else
                "no resolved complaint has all three justice ratings and satisfaction_after"}
    if n <= k + 1:
        return {**base, "missing": f"too few rated complaints for the regression ({n}; it "
                                   f"needs at least {k + 2})"}
    xtx = np.empty((k, k))
    for a in range(k):
        for b in range(a, k):
            xtx[a, b] = xtx[b, a] = float(row[f"xx{a}{b}"])
    xty = np.array([float(row[f"xy{a}"]) for a in range(k)])
    if np.linalg.matrix_rank(xtx) < k:
        return {**base, "missing": "a justice rating does not vary (or two move together "
                                   "exactly): the regression cannot separate their effects"}
    inv = np.linalg.inv(xtx)
    beta = inv @ xty
    # second pass: HC3 meat sum x x' e^2 / (1 - h)^2 with the leverage h = x' (X'X)^-1 x
    e = t.y - sum(float(beta[a]) * xs[a] for a in range(k))
    h = sum(float(inv[a, b]) * xs[a] * xs[b] for a in range(k) for b in range(k))
    w = e * e / ((1.0 - h) * (1.0 - h))
    meat_row = t.aggregate(rss=(e * e).sum(), **{
        f"m{a}{b}": (xs[a] * xs[b] * w).sum() for a in range(k) for b in range(a, k)}
    ).execute().iloc[0]
    meat = np.empty((k, k))
    for a in range(k):
        for b in range(a, k):
            meat[a, b] = meat[b, a] = float(meat_row[f"m{a}{b}"])
    cov = inv @ meat @ inv
    se = np.sqrt(np.diag(cov))
    q = float(stats.t.ppf(0.5 + level / 2, n - k))
    tss = float(row.yy) - n * float(row.ybar) ** 2
    names = ("intercept", *JUSTICES)
    terms = [{"term": name, "coefficient": float(b), "std_error": float(s),
              "lower": float(b - q * s), "upper": float(b + q * s),
              "p_value": float(2 * stats.t.sf(abs(b / s), n - k)) if s > 0 else None}
             for name, b, s in zip(names, beta, se, strict=True)]
    return {**base, "coefficients": terms,
            "r_squared": 1 - float(meat_row.rss) / tss if tss > 0 else None}


def failed_recoveries(database: Database, *, success_threshold: float = SUCCESS_THRESHOLD,
                      limit: int = 100) -> dict[str, Any]:
    """Customers whose latest rated recovery failed (satisfaction_after below the threshold)
    and who have not bought since: a list to win back, newest first. Personal data (customer
    ids): for analysts and admins."""
    complaints = database.table("complaints")
    success_threshold = float(success_threshold)
    rated = complaints.filter(complaints[SATISFACTION].notnull())
    latest = rated.mutate(rank=ibis.row_number().over(
        group_by=rated.customer_id, order_by=[ibis.desc(rated.opened_at),
                                              ibis.desc(rated.complaint_id)]))
    latest = latest.filter((latest["rank"] == 0)
                           & (latest[SATISFACTION].cast("float64") < success_threshold))
    bought = purchases(database.table("orders"))
    last = bought.group_by("customer_id").agg(last_purchase=bought.ordered_at.max())
    j = latest.left_join(last, "customer_id")
    at = ibis.coalesce(j.resolved_at, j.opened_at)
    j = j.filter(j.last_purchase.isnull() | (j.last_purchase <= at))
    rows = j.select(customer_id=j.customer_id, complaint_id=j.complaint_id,
                    opened_at=j.opened_at, category=j.category, severity=j.severity,
                    satisfaction_after=j[SATISFACTION], compensation=j.compensation,
                    last_purchase=j.last_purchase)
    total = int(rows.count().execute())
    frame = rows.order_by([ibis.desc("opened_at"), "customer_id"]).limit(limit).execute()
    return {"method": f"customers whose latest rated complaint has satisfaction_after < "
                      f"{success_threshold:g} and no purchase after it was resolved",
            "success_threshold": success_threshold, "total": total,
            "customers": frame.to_dict("records")}
