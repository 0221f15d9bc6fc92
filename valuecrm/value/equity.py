"""Customer equity (客户资产): the value of the current customers plus the expected ones.

Following Gupta, Lehmann & Stuart (2004), "Valuing customers", Journal of Marketing Research
41(1): the lifetime values of today's customers summed, plus future cohorts, each of
``new_customers_per_year`` customers worth ``clv_new`` less the ``acquisition_cost`` of each,
discounted to today.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valuecrm.errors import ParameterError


@dataclass(frozen=True)
class CustomerEquity:
    """Customer equity and its parts, in the currency of the CLV values."""

    current: float
    future: float
    n_customers: int

    @property
    def total(self) -> float:
        return self.current + self.future

    @property
    def per_customer(self) -> float:
        return self.current / self.n_customers if self.n_customers else 0.0


def customer_equity(
    clv: np.ndarray | list[float],
    *,
    new_customers_per_year: float = 0.0,
    clv_new: float | None = None,
    acquisition_cost: float = 0.0,
    years: int = 5,
    discount_rate: float = 0.10,
) -> CustomerEquity:
    """Sum of the current customers' ``clv``, plus ``years`` future cohorts if asked for.

    A cohort acquired in year k (k = 1..years) adds
    ``new_customers_per_year * (clv_new - acquisition_cost) / (1 + discount_rate)^k``; without
    ``clv_new`` a new customer is worth today's mean CLV.
    """
    values = np.asarray(clv, dtype=float)
    if np.isnan(values).any():
        raise ParameterError(
            f"customer_equity got {int(np.isnan(values).sum())} missing CLV values.",
            hint="Compute CLV for every customer first (missing values mean missing history).")
    if not 0 <= discount_rate < 1:
        raise ParameterError.of("discount_rate", "customer_equity", "a float in [0, 1)",
                                discount_rate)
    if new_customers_per_year < 0:
        raise ParameterError.of("new_customers_per_year", "customer_equity",
                                "a number >= 0", new_customers_per_year)
    current = float(values.sum())
    future = 0.0
    if new_customers_per_year > 0:
        worth = float(values.mean()) if clv_new is None and values.size else float(clv_new or 0)
        k = np.arange(1, years + 1, dtype=float)
        future = float(np.sum(new_customers_per_year * (worth - acquisition_cost)
                              / (1 + discount_rate) ** k))
    return CustomerEquity(current=current, future=future, n_customers=int(values.size))
