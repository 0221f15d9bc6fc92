"""Action lists from the customer value table: who to retain, who to win back, and why.

``retention_list`` ranks valuable customers who are slipping away by the value at risk,
``winback_list`` ranks lost customers by what winning them back is worth times the chance of it,
both with the likely reason (complaint, service failure, price sensitivity, or what the orders
show: a return, one purchase, a category stopped, spend fell, longer intervals) and a suggested
action; ``export_list`` writes a list to CSV or Parquet for a campaign tool.

``campaign_effect`` measures what a campaign did, each arm against its randomised control group;
``next_best_products`` suggests to each customer what the association rules (or, after a single
purchase, co-occurrence) say they are likely to buy next; ``up_sell_products`` offers a dearer,
more profitable product in a category the customer already buys.

May import: ``store``, ``features``, ``mining``, ``segments``, ``value``, ``models``, ``config``,
``errors`` (everything below the pipeline); never ``analysis``, ``reports``, ``views`` or the
interfaces (``tests/test_import_graph.py`` checks it).
"""

from valuecrm.actions.cross_sell import NEXT_BEST_COLUMNS, next_best_products
from valuecrm.actions.effects import EFFECT_COLUMNS, campaign_effect
from valuecrm.actions.export import export_list
from valuecrm.actions.reasons import ReasonRules
from valuecrm.actions.retention import RETENTION_COLUMNS, retention_list
from valuecrm.actions.up_sell import UP_SELL_COLUMNS, up_sell_products
from valuecrm.actions.winback import WINBACK_COLUMNS, winback_list

__all__ = ["EFFECT_COLUMNS", "NEXT_BEST_COLUMNS", "RETENTION_COLUMNS", "UP_SELL_COLUMNS",
           "WINBACK_COLUMNS", "ReasonRules", "campaign_effect", "export_list",
           "next_best_products", "retention_list", "up_sell_products", "winback_list"]
