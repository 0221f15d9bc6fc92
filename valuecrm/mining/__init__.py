"""Data mining on baskets: frequent itemsets and association rules (cross-sell).

``association_rules`` finds the rules "who buys A also buys C" with their support, confidence,
lift, leverage and conviction, as arules makes them: in memory for a DataFrame (Apriori on bit
vectors, :mod:`valuecrm.mining.itemsets`), inside the engine for an Ibis table (items and pairs
by joins there, :mod:`valuecrm.mining.engine`), with the same result.

Pure Ibis expressions and numpy: no backend is imported here. May import: ``features``,
``store``, ``errors`` (``tests/test_import_graph.py`` checks it).
"""

from valuecrm.mining.itemsets import FrequentItemsets
from valuecrm.mining.rules import (
    RULE_COLUMNS,
    association_rules,
    frequent_itemsets,
    rules_from_itemsets,
)

__all__ = ["RULE_COLUMNS", "FrequentItemsets", "association_rules", "frequent_itemsets",
           "rules_from_itemsets"]
