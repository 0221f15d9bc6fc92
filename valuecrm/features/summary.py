"""The customer-base summary: recency, frequency, monetary value and age of every customer.

The input of the buy-till-you-die models (BG/NBD, Pareto/NBD, Gamma-Gamma) and of RFM scoring,
as one lazy Ibis expression: it runs in the engine that holds the orders (DuckDB, PySpark, ...),
in two grouped aggregations (customer x purchase period, then customer), with no window function.
The customers can be split into a few hash groups summarised one after another (``passes``),
which keeps the engine's largest working set (the customer x period groups) to a fraction of
its size.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.features.money import (
    MONEY_DECIMALS,
    check_money_decimals,
    from_minor_units,
    minor_units,
)
from valuecrm.features.purchases import purchases
from valuecrm.features.units import TimeUnit, moment, time_unit

OWNER = "rfm_summary"
SUMMARY_COLUMNS = (
    "customer_id", "frequency", "recency", "T", "monetary_value", "time_since_last",
    "n_orders", "n_purchases", "total_spend", "first_purchase", "last_purchase",
)
HOLDOUT_COLUMNS = ("frequency_holdout", "monetary_value_holdout", "duration_holdout")
TREND_INPUTS = ["day_sum", "spend_units", "first_units"]  # daily_summary's extra columns


def rfm_summary(
    orders: Any,
    *,
    observation_end: Any,
    calibration_end: Any = None,
    freq: str = "W",
    customer_col: str = "customer_id",
    time_col: str = "ordered_at",
    amount_col: str = "amount",
    status_col: str | None = "status",
    passes: int = 1,
    money_decimals: int = MONEY_DECIMALS,
) -> ir.Table:
    """One row per customer: the recency-frequency-monetary summary, as a lazy Ibis table.

    ``orders`` is an Ibis table, a pandas DataFrame or a pyarrow Table (wrapped with
    ``ibis.memtable``), or a database (its ``orders`` table). Call ``.execute()`` or
    ``.to_pandas()`` on the result, or keep composing it.

    Only purchases count (:mod:`valuecrm.features.purchases`): when the orders have a
    ``status_col`` column, an order is a purchase when its status is ``completed`` or missing;
    returns (``returned``) and cancelled orders are left out, so a return never makes a
    purchase or a negative spend (revenue net of returns is :func:`valuecrm.analyze`'s
    ``revenue``). Without that column (or with ``status_col=None``) every row is a purchase.

    Purchases and time (as in Fader, Hardie & Lee 2005, "Counting your customers the easy way",
    Marketing Science 24(2), on CDNOW). Orders are grouped into purchase periods: calendar days
    for ``freq`` ``"D"``, ``"W"`` and ``"M"``, clock hours for ``"H"``; several orders in one
    period are one purchase, their values summed. Durations are floats in the unit of ``freq``:
    hours, days, weeks (days / 7) or months (days / 30.4375, the mean Gregorian month), measured
    between the starts of purchase periods. A customer whose first purchase was on 1997-01-01
    has ``T = 272 / 7 = 38.857`` weeks at ``observation_end="1997-09-30"``; orders made on the
    end date itself count.

    Columns (the names of the ``lifetimes`` package, then the RFM view):

    - ``customer_id``: the customer (whatever ``customer_col`` is called);
    - ``frequency``: repeat purchases, the number of purchase periods minus one;
    - ``recency``: time from the first to the last purchase;
    - ``T``: time from the first purchase to the end of observation (of calibration);
    - ``monetary_value``: mean value of the repeat purchases (the first one excluded), 0 when
      ``frequency`` is 0;
    - ``time_since_last``: time from the last purchase to the end of observation (calibration);
    - ``n_orders``, ``n_purchases``: orders, and purchase periods with an order;
    - ``total_spend``: sum of all order values, the first purchase included;
    - ``first_purchase``, ``last_purchase``: the first and the last purchase period, a date
      (for ``"H"`` the timestamp starting the hour).

    With ``calibration_end``, the columns above describe the orders up to and including that day
    (hour); customers whose first purchase is later are left out (as ``lifetimes`` does), and
    three columns describe the holdout period (``calibration_end``, ``observation_end``]:
    ``frequency_holdout`` (purchases), ``monetary_value_holdout`` (their mean value, 0 if none)
    and ``duration_holdout`` (its length). A missing amount counts as 0. Rows are ordered by
    ``customer_id``.

    Money is exact (see :mod:`valuecrm.features.money`): each amount is rounded to
    ``money_decimals`` digits (2, cents, by default; 0 for yen), summed in whole minor units and
    turned back to a float at the end, so equal spends are equal floats in every run and on
    every engine, and RFM scores and other cuts on them do not change between runs.

    ``passes``: the customers are split into this many groups (by their id, or a hash of it)
    and the engine summarises one group after another (a ``UNION ALL``), so its peak memory for
    the customer x period step falls about in proportion; the rows are the same for any number.
    On DuckDB, 10M orders from Parquet: one pass peaks at 636 MB, four at 378 MB, in the same
    time. Each pass reads the orders again: cheap from a database table or Parquet, dearer from
    CSV (four passes: about 1.8x the time), and every pass is another scan on a cluster. The
    default is one pass, as :func:`valuecrm.analyze` uses (one pass took 7.4 s of CPU against
    9.1 s for four at 1M customers, bench/RESULTS.md); give ``passes=4`` where memory is short.

    Example, the summary the CDNOW papers fit (x, t_x, T, zbar in weeks)::

        >>> from valuecrm.datasets import load_cdnow
        >>> s = rfm_summary(load_cdnow(sample=True), observation_end="1997-09-30", freq="W")
        >>> first = s.execute().iloc[0]
        >>> int(first.frequency), *(round(float(first[c]), 3) for c in ("recency", "T"))
        (2, 30.429, 38.857)
    """
    return _summary(orders, observation_end=observation_end, calibration_end=calibration_end,
                    freq=freq, customer_col=customer_col, time_col=time_col,
                    amount_col=amount_col, status_col=status_col, passes=passes,
                    money_decimals=money_decimals).order_by("customer_id")


def daily_summary(orders: Any, *, observation_end: Any, amount_col: str = "amount",
                  money_decimals: int = MONEY_DECIMALS) -> ir.Table:
    """``rfm_summary(orders, freq="D", passes=1)`` (unordered) plus the sums over each
    customer's purchase days that the lifecycle trend reads (see
    :func:`valuecrm.segments.lifecycle.trend_of_summary`), so that the orders are grouped into
    purchase days once for both: ``day_sum`` (the sum of the days' numbers, days since
    1970-01-01), ``spend_units`` (``total_spend`` in whole minor units) and ``first_units``
    (the first purchase day's value in whole minor units)."""
    return _summary(orders, observation_end=observation_end, calibration_end=None, freq="D",
                    customer_col="customer_id", time_col="ordered_at", amount_col=amount_col,
                    status_col="status", passes=1, money_decimals=money_decimals,
                    trend_inputs=True)


def _summary(orders: Any, *, observation_end: Any, calibration_end: Any, freq: str,
             customer_col: str, time_col: str, amount_col: str, status_col: str | None,
             passes: int | None, money_decimals: int, trend_inputs: bool = False) -> ir.Table:
    """:func:`rfm_summary`'s rows (unordered); with ``trend_inputs``, :func:`daily_summary`'s
    columns too."""
    table = _orders_table(orders)
    if status_col is not None:
        table = purchases(table, status_col)
    unit = time_unit(freq, OWNER)
    for name, column in (("customer_col", customer_col), ("time_col", time_col),
                         ("amount_col", amount_col)):
        _check_column(table, name, column)
    when = table[time_col]
    if not (when.type().is_timestamp() or when.type().is_date()):
        raise SchemaError(
            f"The column {time_col!r} holds {when.type()}, not dates or timestamps.",
            hint="Cast it first, e.g. table.mutate(ordered_at=table.ordered_at.cast('timestamp')).",
        )
    if not table[amount_col].type().is_numeric():
        raise SchemaError(f"The column {amount_col!r} holds {table[amount_col].type()}, not "
                          "numbers.", hint="Cast it to a number first.")

    end = moment(observation_end, "observation_end", OWNER)
    cut = end if calibration_end is None else moment(calibration_end, "calibration_end", OWNER)
    end_period, cut_period = unit.period_of_moment(end), unit.period_of_moment(cut)
    if calibration_end is not None and cut_period >= end_period:
        raise ParameterError.of("calibration_end", OWNER,
                                f"a time before observation_end ({end})", calibration_end)

    passes = _passes(passes)
    decimals = check_money_decimals(money_decimals, OWNER)

    def summarise(orders: ir.Table) -> ir.Table:
        per_period = _purchases(orders, unit, end, customer_col, time_col, amount_col, decimals)
        return _per_customer(per_period, unit, cut, decimals,
                             holdout=calibration_end is not None, trend_inputs=trend_inputs)

    if passes == 1:
        summary = summarise(table)
    else:
        group = _customer_group(table[customer_col], passes)
        summary = ibis.union(*(summarise(table.filter(group == k)) for k in range(passes)),
                             distinct=False)
    columns: list[Any] = list(SUMMARY_COLUMNS)
    if calibration_end is not None:
        summary = summary.mutate(
            duration_holdout=ibis.literal(unit.in_units(end_period - cut_period), "float64"))
        columns[5:5] = HOLDOUT_COLUMNS
    if trend_inputs:
        columns += TREND_INPUTS
    return summary.select(*columns)


def _purchases(table: ir.Table, unit: TimeUnit, end: Any, customer_col: str, time_col: str,
               amount_col: str, decimals: int) -> ir.Table:
    """One row per customer and purchase period up to ``end``: its value (in whole minor units)
    and number of orders."""
    rows = table.filter(unit.up_to(table[time_col], end))
    rows = rows.select(
        customer_id=rows[customer_col],
        period=unit.period(rows[time_col]),
        amount=minor_units(rows[amount_col], decimals).fill_null(0),
    )
    return rows.group_by("customer_id", "period").agg(value=rows.amount.sum(),
                                                      orders=rows.count())


def _per_customer(per_period: ir.Table, unit: TimeUnit, cut: Any, decimals: int, *,
                  holdout: bool, trend_inputs: bool = False) -> ir.Table:
    """Aggregate the purchase periods of each customer into the summary columns (money summed
    in whole minor units, turned into amounts at the end)."""
    p = per_period
    cut_period = unit.period_literal(cut)
    # Without a holdout every period is in calibration: no filter, so the engine skips it.
    calibration = (p.period <= cut_period) if holdout else None
    metrics: dict[str, ir.Value] = {
        "n_purchases": p.count(where=calibration),
        "n_orders": p.orders.sum(where=calibration),
        "total_spend": p.value.sum(where=calibration),
        "first_purchase": p.period.min(),
        "last_purchase": p.period.max(where=calibration),
        "first_value": p.value.argmin(p.period),
    }
    if trend_inputs:
        metrics["day_sum"] = unit.period_index(p.period).sum()
    if holdout:
        metrics["frequency_holdout"] = p.count(where=p.period > cut_period)
        later = p.period > cut_period
        metrics["holdout_units"] = p.value.sum(where=later)
    s = p.group_by("customer_id").agg(**metrics)
    if holdout:  # customers who first bought after calibration_end are not in the summary
        s = s.filter(s.n_purchases > 0)
        s = s.mutate(monetary_value_holdout=ibis.ifelse(
            s.frequency_holdout > 0,
            from_minor_units(s.holdout_units, decimals) / s.frequency_holdout.cast("float64"),
            0.0)).drop("holdout_units")
    frequency = s.n_purchases - 1
    first, last = unit.period_index(s.first_purchase), unit.period_index(s.last_purchase)
    cut_index = unit.period_of_moment(cut)
    repeat_spend = from_minor_units(s.total_spend - s.first_value, decimals)
    if trend_inputs:
        s = s.mutate(spend_units=s.total_spend, first_units=s.first_value)
    return s.mutate(
        frequency=frequency,
        recency=unit.in_units(last - first),
        T=unit.in_units(cut_index - first),
        monetary_value=ibis.ifelse(frequency > 0, repeat_spend / frequency.cast("float64"), 0.0),
        time_since_last=unit.in_units(cut_index - last),
        total_spend=from_minor_units(s.total_spend, decimals),
    )


def _passes(passes: int | None) -> int:
    """``passes`` checked (None, as before: one pass)."""
    if passes is None:
        return 1
    if not isinstance(passes, int) or isinstance(passes, bool) or not 1 <= passes <= 64:
        raise ParameterError.of("passes", OWNER, "a whole number from 1 to 64, or None", passes)
    return passes


def _customer_group(customer: ir.Value, groups: int) -> ir.IntegerValue:
    """A group number in ``0 .. groups - 1`` for each customer id: the id itself when it is a
    whole number (no hashing to pay for), else a hash of it. Either may be negative (Spark's
    hash is signed), hence the fold."""
    key = customer if customer.type().is_integer() else customer.hash()
    return (key % groups + groups) % groups


def _orders_table(orders: Any) -> ir.Table:
    """``orders`` as an Ibis table."""
    if isinstance(orders, ir.Table):
        return orders
    if callable(getattr(orders, "table", None)):  # a Database or ExternalDatabase
        return orders.table("orders")
    module = type(orders).__module__.split(".")[0]
    if module in ("pandas", "pyarrow", "polars"):
        return ibis.memtable(orders)
    raise ParameterError.of("orders", OWNER,
                            "an Ibis table, a pandas DataFrame or a pyarrow Table", orders)


def _check_column(table: ir.Table, parameter: str, column: str) -> None:
    if column not in table.columns:
        raise SchemaError(
            f"The orders have no column {column!r} (the {parameter!r} parameter of {OWNER}).",
            hint="Columns: " + ", ".join(table.columns) + f". Pass {parameter}=... to name yours.",
        )
