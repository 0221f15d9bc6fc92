"""The customer value table (客户价值表) as dated snapshots: ``analyze`` and its settings.

``analyze(db, as_of=...)`` computes, for every customer who bought up to the as-of date, the RFM
scores and labels, historic value, predicted value (P(alive), expected purchases and spend, CLV
with an interval), status, lifecycle stage, value-matrix quadrant and strategy, pyramid tier,
MVC / MGC / BZ, loyalty-ladder stage and a suggested relationship level, and stores them as a
snapshot beside the earlier ones.

Its settings, :class:`~valuecrm.config.AnalysisConfig`, live on the floor below in
``valuecrm/config.py`` (the labels in ``segments/`` read their thresholds there); the name is
re-exported here for compatibility.
"""

from valuecrm.analysis.pipeline import analyze
from valuecrm.config import AnalysisConfig
from valuecrm.store.snapshots import (
    Snapshot,
    get_snapshot,
    list_snapshots,
    read_snapshot,
)

__all__ = [
    "AnalysisConfig",
    "Snapshot",
    "analyze",
    "get_snapshot",
    "list_snapshots",
    "read_snapshot",
]
