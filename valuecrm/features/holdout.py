"""When each holdout purchase happened: the input of cumulative tracking.

``rfm_summary(..., calibration_end=...)`` counts each customer's purchases in the holdout period
(``frequency_holdout``); the weekly tracking curve of Fader, Hardie & Lee (2005), "Counting your
customers the easy way", Marketing Science 24(2), figure 2, also needs their times. This is the
same purchase periods (calendar days, or clock hours for ``"H"``) of the same customers (those
who bought by the end of calibration), so the counts agree with the summary's.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from valuecrm.errors import ParameterError
from valuecrm.features.purchases import purchases
from valuecrm.features.summary import _check_column, _orders_table
from valuecrm.features.units import moment, time_unit

OWNER = "evaluate_holdout"


def holdout_purchase_times(orders: Any, *, calibration_end: Any, observation_end: Any,
                           freq: str = "W", customer_col: str = "customer_id",
                           time_col: str = "ordered_at", status_col: str | None = "status",
                           ) -> ir.Table:
    """One row per customer and holdout purchase period: ``customer_id`` and ``elapsed``, the
    time from the end of calibration to the start of that period in units of ``freq``.

    Only customers whose first purchase is in the calibration period are kept (as in
    ``rfm_summary``), so per customer the rows count ``frequency_holdout``.
    """
    table = _orders_table(orders)
    if status_col is not None:
        table = purchases(table, status_col)
    unit = time_unit(freq, OWNER)
    for name, column in (("customer_col", customer_col), ("time_col", time_col)):
        _check_column(table, name, column)
    end = moment(observation_end, "observation_end", OWNER)
    cut = moment(calibration_end, "calibration_end", OWNER)
    cut_index = unit.period_of_moment(cut)
    if cut_index >= unit.period_of_moment(end):
        raise ParameterError.of("calibration_end", OWNER,
                                f"a time before observation_end ({end})", calibration_end)
    rows = table.filter(unit.up_to(table[time_col], end))
    periods = rows.select(customer_id=rows[customer_col],
                          index=unit.period_index(unit.period(rows[time_col]))).distinct()
    first = periods.group_by("customer_id").agg(first=periods["index"].min())
    known = first.filter(first["first"] <= cut_index).select("customer_id")
    later = periods.filter(periods["index"] > cut_index).semi_join(known, "customer_id")
    return later.select("customer_id", elapsed=unit.in_units(later["index"] - cut_index))
