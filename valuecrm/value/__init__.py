"""Customer value: lifetime value from the models, the textbook formula, customer equity.

:mod:`.clv` is the one CLV path (``customer_lifetime_value`` and its discount loop,
``discounted_purchases``) with its interval from parameter uncertainty (``clv_interval``, the
delta method of :mod:`valuecrm.models.uncertainty`), :mod:`.equity` customer equity.
Imports: :mod:`valuecrm.models` and :mod:`valuecrm.errors`.
"""

from valuecrm.value.clv import clv_formula, customer_lifetime_value
from valuecrm.value.equity import CustomerEquity, customer_equity

__all__ = ["CustomerEquity", "clv_formula", "customer_equity", "customer_lifetime_value"]
