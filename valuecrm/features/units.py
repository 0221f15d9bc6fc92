"""Time units of the customer-base summaries: purchase periods and the unit durations are told in.

Two things are kept apart, as in the papers on CDNOW (Fader, Hardie & Lee 2005):

- the **purchase period**, the granularity at which orders are grouped into purchases: a calendar
  day for ``"D"``, ``"W"`` and ``"M"``, a clock hour for ``"H"``. Several orders in one period are
  one purchase, their values summed;
- the **unit** durations (recency, T, ...) are expressed in, as floats: hours, days, weeks of 7
  days, or months of 30.4375 days (the mean Gregorian month, 365.25 / 12 days).

Purchase periods are read on the wall clock of the stored timestamps (valuecrm stores UTC without a
time zone), so no engine's session time zone enters the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError

EPOCH = pd.Timestamp("1970-01-01")
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class TimeUnit:
    """A ``freq`` code: how orders are grouped into purchases and what a unit of time is."""

    code: str
    name: str
    hourly: bool  # purchase periods are clock hours (else calendar days)
    periods_per_unit: float  # purchase periods in one unit of time

    def period(self, column: ir.Value) -> ir.Value:
        """The purchase period of each value of a date or timestamp column.

        Its calendar date (a date), or for ``"H"`` the start of its clock hour (a timestamp).
        """
        if self.hourly:
            stamp = column.cast("timestamp") if column.type().is_date() else column
            return stamp.truncate("h")
        return column if column.type().is_date() else column.date()

    def period_literal(self, moment: pd.Timestamp) -> ir.Value:
        """The purchase period containing ``moment``, as a literal like :meth:`period`'s."""
        if self.hourly:
            return ibis.timestamp(moment.floor("h").to_pydatetime())
        return ibis.date(moment.date())

    def period_index(self, period: ir.Value) -> ir.IntegerValue:
        """Number of a purchase period (from :meth:`period`): days (hours) since 1970-01-01.

        Counted from the calendar date and the hour, so that every engine agrees whatever its
        session time zone.
        """
        if self.hourly:
            return period.date().epoch_days() * 24 + period.hour()
        return period.epoch_days()

    def period_of_moment(self, moment: pd.Timestamp) -> int:
        """Index of the purchase period that contains ``moment``."""
        days = (moment.normalize() - EPOCH).days
        return days * 24 + moment.hour if self.hourly else days

    def up_to(self, column: ir.Value, moment: pd.Timestamp) -> ir.BooleanValue:
        """True for values whose purchase period is at or before the one containing ``moment``.

        Compares the column itself (not its period index), so engines can prune by it.
        """
        if column.type().is_date():
            return column <= ibis.date(moment.date())
        start_of_next = (moment.floor("h") + pd.Timedelta(hours=1) if self.hourly
                         else moment.normalize() + pd.Timedelta(days=1))
        return column < ibis.timestamp(start_of_next.to_pydatetime())

    def in_units(self, periods: ir.NumericValue | int) -> Any:
        """A number of purchase periods expressed in this unit (a float)."""
        if isinstance(periods, int):
            return periods / self.periods_per_unit
        return periods.cast("float64") / self.periods_per_unit


TIME_UNITS: dict[str, TimeUnit] = {
    "H": TimeUnit("H", "hours", hourly=True, periods_per_unit=1.0),
    "D": TimeUnit("D", "days", hourly=False, periods_per_unit=1.0),
    "W": TimeUnit("W", "weeks", hourly=False, periods_per_unit=7.0),
    "M": TimeUnit("M", "months", hourly=False, periods_per_unit=DAYS_PER_MONTH),
}


def time_unit(freq: str, owner: str) -> TimeUnit:
    """The :class:`TimeUnit` of ``freq`` (case-insensitive), or a :class:`ParameterError`."""
    unit = TIME_UNITS.get(freq.upper()) if isinstance(freq, str) else None
    if unit is None:
        raise ParameterError.of("freq", owner, "one of 'H', 'D', 'W', 'M'", freq)
    return unit


def moment(value: Any, name: str, owner: str) -> pd.Timestamp:
    """``value`` (a date, datetime or ISO text) as a time-zone-naive UTC timestamp."""
    if isinstance(value, (str, dt.date, pd.Timestamp, np.datetime64)):
        try:
            stamp = pd.Timestamp(value)
        except ValueError:
            stamp = None
        if stamp is not None and not pd.isna(stamp):
            if stamp.tzinfo is not None:
                stamp = stamp.tz_convert("UTC").tz_localize(None)
            return stamp
    raise ParameterError.of(name, owner, "a date, a datetime or an ISO date text", value)

