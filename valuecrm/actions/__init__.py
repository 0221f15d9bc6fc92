"""Action lists from the customer value table: who to retain, who to win back, and why.

``retention_list`` ranks valuable customers who are slipping away by the value at risk,
``winback_list`` ranks lost customers by what winning them back is worth times the chance of it,
both with the likely reason (complaint, service failure, price sensitivity, or what the orders
show: a return, one purchase, a category stopped, spend fell, longer intervals) and a suggested
action; ``export_list`` writes a list to CSV or Parquet for a campaign tool (from its engine
table, such as ``retention_table``, the engine streams it to the file).

``campaign_effect`` measures what a campaign did, each arm against its randomised control group;
``next_best_products`` suggests to each customer what the association rules (or, after a single
purchase, co-occurrence) say they are likely to buy next; ``up_sell_products`` offers a dearer,
more profitable product in a category the customer already buys.

Each list function has a ``..._chunks`` companion (``retention_list_chunks``, ...) that yields
the same frame a chunk of rows at a time (:mod:`valuecrm.actions.list_chunks`), and a
``..._table`` function that keeps the list in the engine (issue 16, point 7).

May import: ``store``, ``features``, ``mining``, ``segments``, ``value``, ``models``, ``config``,
``errors`` (everything below the pipeline); never ``analysis``, ``reports``, ``views`` or the
interfaces (``tests/test_import_graph.py`` checks it).
"""

from valuecrm.actions.cross_sell import (
    NEXT_BEST_COLUMNS,
    next_best_products,
    next_best_products_chunks,
    next_best_table,
)
from valuecrm.actions.effects import EFFECT_COLUMNS, campaign_effect
from valuecrm.actions.export import export_list
from valuecrm.actions.reasons import ReasonRules
from valuecrm.actions.retention import (
    RETENTION_COLUMNS,
    retention_list,
    retention_list_chunks,
    retention_table,
)
from valuecrm.actions.up_sell import (
    UP_SELL_COLUMNS,
    up_sell_products,
    up_sell_products_chunks,
    up_sell_table,
)
from valuecrm.actions.winback import (
    WINBACK_COLUMNS,
    winback_list,
    winback_list_chunks,
    winback_table,
)

__all__ = ["EFFECT_COLUMNS", "NEXT_BEST_COLUMNS", "RETENTION_COLUMNS", "UP_SELL_COLUMNS",
           "WINBACK_COLUMNS", "ReasonRules", "campaign_effect", "export_list",
           "next_best_products", "next_best_products_chunks", "next_best_table",
           "retention_list", "retention_list_chunks", "retention_table", "up_sell_products",
           "up_sell_products_chunks", "up_sell_table", "winback_list", "winback_list_chunks",
           "winback_table"]
