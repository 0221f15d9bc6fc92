"""Customer value: lifetime value from the models, the textbook formula, customer equity."""

from valuecrm.value.clv import clv_formula, customer_lifetime_value
from valuecrm.value.equity import CustomerEquity, customer_equity

__all__ = ["CustomerEquity", "clv_formula", "customer_equity", "customer_lifetime_value"]
