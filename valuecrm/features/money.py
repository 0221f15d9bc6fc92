"""Exact money: totals that are ranked, compared or cut are sums of whole minor units.

Money is stored as a double (see ``docs/schema.md``). Adding doubles gives a result that depends
on the order of the additions, and parallel engines (DuckDB, Spark) add in any order: two
customers who spent exactly 133.95 each can get totals 133.95 and 133.95000000000002, so a rank
or a ``>`` on the totals changes from run to run. The rule, everywhere a money sum is ranked,
compared or thresholded (RFM scores, pyramid tiers, value-matrix quadrants, MVC/MGC/BZ, lists):

- every amount is rounded to the currency's precision, ``money_decimals`` digits after the point
  (:data:`MONEY_DECIMALS` = 2 by default: cents, fen; pass 0 for yen or won, 3 for dinars),
  to the nearest minor unit, giving a whole number of them (an ``int64``);
- sums (and means) are taken over those whole numbers, which is exact in every engine whatever
  the order of the additions;
- a total is turned back into a double only at the end (minor units / 10 ** decimals), so equal
  totals are equal doubles, in every run and on every engine.

A value that is not a sum (a model's CLV, say) is rounded to the same precision before it is
ranked or compared (:func:`money`), so that what differs below a cent never decides a label.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from valuecrm.errors import ParameterError

MONEY_DECIMALS = 2
MAX_DECIMALS = 6


def check_money_decimals(decimals: Any, owner: str) -> int:
    """``decimals`` checked: a whole number from 0 to :data:`MAX_DECIMALS`."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) \
            or not 0 <= decimals <= MAX_DECIMALS:
        raise ParameterError.of("money_decimals", owner,
                                f"a whole number from 0 to {MAX_DECIMALS} (digits of the "
                                "currency's minor unit, 2 for cents)", decimals)
    return decimals


def minor_units(amount: ir.NumericValue, decimals: int = MONEY_DECIMALS) -> ir.IntegerValue:
    """``amount`` in whole minor units (cents for 2 decimals), rounded to the nearest one;
    a null amount stays null."""
    return (amount.cast("float64") * float(10**decimals)).round().cast("int64")


def from_minor_units(units: ir.NumericValue, decimals: int = MONEY_DECIMALS) -> ir.FloatingValue:
    """Whole minor units back to an amount (a double, the one nearest the exact decimal)."""
    return units.cast("float64") / float(10**decimals)


def money(amount: ir.NumericValue, decimals: int = MONEY_DECIMALS) -> ir.FloatingValue:
    """``amount`` rounded to the currency's precision (a double): what ranks and cuts read."""
    return from_minor_units(minor_units(amount, decimals), decimals)


def money_sum(amount: ir.NumericColumn, decimals: int = MONEY_DECIMALS,
              where: ir.BooleanValue | None = None) -> ir.FloatingScalar:
    """The exact sum of ``amount`` (each rounded to the precision first), as a double; null
    when there is nothing to add, as ``sum`` is."""
    return from_minor_units(minor_units(amount, decimals).sum(where=where), decimals)


def money_mean(amount: ir.NumericColumn, decimals: int = MONEY_DECIMALS) -> ir.FloatingScalar:
    """The mean of ``amount`` (each rounded to the precision first) from an exact sum of minor
    units: the same double in every run and on every engine (nulls left out)."""
    units = minor_units(amount, decimals)
    return units.sum().cast("float64") / units.count().cast("float64") / float(10**decimals)
