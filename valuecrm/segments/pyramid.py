"""The customer pyramid (客户金字塔; Zeithaml, Rust & Lemon 2001, "The customer pyramid",
California Management Review 43(4)): VIP, key, ordinary and small customers by value.

Customers are ranked by value, best first; a customer's position is the number of customers at
least as valuable, itself included (so tied customers share the worse position and the lower
tier, as tied RFM values share the lower score). With cumulative shares ``(0.01, 0.05, 0.20)``
of the N customers: VIP when position <= 1% of N, key when <= 5%, ordinary when <= 20%, small
otherwise. Tier sizes match the shares except where ties straddle a boundary (the tie group then
goes down a tier), and a large group of equal values (e.g. no purchase in the last year) can
never be lifted into a higher tier. Values are ranked at the currency's precision
(``money_decimals``, see :mod:`valuecrm.features.money`), so what differs below a cent never
splits a tie.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from valuecrm.errors import ParameterError
from valuecrm.features.money import MONEY_DECIMALS, money
from valuecrm.segments.value_table_names import TIERS, names

TIER_NAMES = tuple(names(TIERS))


def pyramid_tier(table: ir.Table, value_col: str = "current_value",
                 shares: Sequence[float] = (0.01, 0.05, 0.20), *,
                 output: str = "tier", money_decimals: int = MONEY_DECIMALS) -> ir.Table:
    """``table`` plus ``output`` (VIP, key, ordinary, small) by ``value_col`` (null = 0)."""
    return table.mutate(**{output: pyramid_tier_of(table[value_col], shares,
                                                   money_decimals=money_decimals)})


def pyramid_tier_of(value: ir.NumericColumn, shares: Sequence[float] = (0.01, 0.05, 0.20), *,
                    money_decimals: int = MONEY_DECIMALS) -> ir.StringColumn:
    """The tier of :func:`pyramid_tier` by ``value``, as an expression."""
    if (len(shares) != 3 or not all(isinstance(s, int | float) for s in shares)
            or not 0 < shares[0] < shares[1] < shares[2] < 1):
        raise ParameterError.of("shares", "pyramid_tier",
                                "three increasing cumulative shares in (0, 1)", shares)
    position, n = _position(value, money_decimals)
    return ibis.cases(
        *((position <= share * n, name) for share, name in zip(shares, TIER_NAMES, strict=False)),
        else_=TIER_NAMES[-1],
    )


def _position(column: ir.NumericColumn,
              decimals: int) -> tuple[ir.IntegerColumn, ir.FloatingColumn]:
    """Customers at least as valuable (itself included; null counts as 0), and N."""
    value = money(column.cast("float64").fill_null(0.0), decimals)
    n = value.count().over().cast("float64")
    below = ibis.rank().over(order_by=value)  # 0-based: customers strictly less valuable
    return n - below, n


def top_share(value: ir.NumericColumn, share: float,
              money_decimals: int = MONEY_DECIMALS) -> ir.BooleanColumn:
    """True for the customers in the top ``share`` by ``value`` (ties share the worse position;
    values ranked at the currency's precision)."""
    position, n = _position(value, money_decimals)
    return position <= share * n
