"""The textbook CLV formula and customer equity, against values worked by hand."""

import numpy as np
import pytest

from valuecrm.errors import ParameterError
from valuecrm.value import clv_formula, customer_equity


def test_textbook_clv_by_hand():
    # 100 a year, 80% retention, 10%: 100 + 80/1.1 + 64/1.21 = 225.619...
    assert clv_formula(100, 0, 0.8, 0.10, 3) == pytest.approx(100 + 80 / 1.1 + 64 / 1.21)


def test_costs_and_end_of_year_timing():
    value = clv_formula(150, 50, 0.8, 0.10, 2, first_year_discounted=True)
    assert value == pytest.approx(100 / 1.1 + 80 / 1.21)


def test_infinite_horizon_is_the_limit_of_long_horizons():
    # m (1 + r) / (1 + r - retention) = 100 * 1.1 / 0.3
    assert clv_formula(100, retention=0.8, discount_rate=0.1, years=None) == pytest.approx(
        110 / 0.3)
    assert clv_formula(100, retention=0.8, discount_rate=0.1, years=400) == pytest.approx(
        110 / 0.3)


def test_margins_per_year():
    assert clv_formula([100, 120], [10, 10], 0.5, 0.0, 2) == pytest.approx(90 + 55)


def test_bad_rate_message_has_one_form():
    with pytest.raises(ParameterError, match=r"The 'discount_rate' parameter of clv_formula "
                                             r"must be a float in \[0, 1\)\. Got 1.5 instead\."):
        clv_formula(100, discount_rate=1.5)


def test_customer_equity_current_and_future():
    equity = customer_equity(np.array([10.0, 20.0, 30.0]), new_customers_per_year=2,
                             acquisition_cost=5, years=2, discount_rate=0.0)
    assert equity.current == 60
    assert equity.future == pytest.approx(2 * (20 - 5) * 2)
    assert equity.total == pytest.approx(120)
    assert equity.per_customer == 20


def test_customer_equity_of_nobody_is_zero():
    equity = customer_equity([])
    assert equity.total == 0 and equity.per_customer == 0
