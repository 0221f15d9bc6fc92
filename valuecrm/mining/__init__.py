"""Data mining on baskets: frequent itemsets and association rules (cross-sell).

``association_rules`` finds the rules "who buys A also buys C" with their support, confidence,
lift, leverage and conviction, as arules makes them: in memory for a DataFrame (Apriori on bit
vectors, :mod:`valuecrm.mining.itemsets`), inside the engine for an Ibis table (items and pairs
by joins there, :mod:`valuecrm.mining.engine`), with the same result. ``top_partners`` keeps
each item's most frequent partners (item-to-item co-occurrence, bounded, in the engine).

Pure Ibis expressions and numpy: no backend is imported here. May import: ``features``,
``store``, ``errors`` (``tests/test_import_graph.py`` checks it).
"""

from valuecrm.mining.co_occurrence import PARTNER_COLUMNS, top_partners
from valuecrm.mining.itemsets import FrequentItemsets
from valuecrm.mining.rules import (
    RULE_COLUMNS,
    association_rules,
    frequent_itemsets,
    rules_from_itemsets,
)

__all__ = ["PARTNER_COLUMNS", "RULE_COLUMNS", "FrequentItemsets", "association_rules",
           "frequent_itemsets", "rules_from_itemsets", "top_partners"]
