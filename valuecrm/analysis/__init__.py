"""The customer value table (客户价值表) as dated snapshots: ``analyze`` and its settings.

``analyze(db, as_of=...)`` computes, for every customer who bought up to the as-of date, the RFM
scores and labels, historic value, predicted value (P(alive), expected purchases and spend, CLV
with an interval), status, lifecycle stage, value-matrix quadrant and strategy, pyramid tier,
MVC / MGC / BZ, loyalty-ladder stage and a suggested relationship level, and stores them as a
snapshot beside the earlier ones.

What lives here is the pipeline only:

- :mod:`~valuecrm.analysis.pipeline`: ``analyze``, one pass from the orders to a stored snapshot;
- :mod:`~valuecrm.analysis.customer_history`: one row per customer (the order history of
  :mod:`valuecrm.features.history` joined with the RFM scores and the lifecycle trend);
- :mod:`~valuecrm.analysis.predict`: model choice and scoring (P(alive), purchases, CLV);
- :mod:`~valuecrm.analysis.tracking`: cumulative tracking of a snapshot's purchase model;
- :mod:`~valuecrm.analysis.holdout_fit`: the holdout evaluation of the purchase models on the
  orders (``valuecrm evaluate-holdout``);
- :mod:`~valuecrm.analysis.voice_fit`: the satisfaction index and the key drivers fitted on the
  stored survey answers (``valuecrm voice pls|drivers``).

Its settings, :class:`~valuecrm.config.AnalysisConfig`, live on the floor below in
``valuecrm/config.py`` (the labels in ``segments/`` read their thresholds there); the snapshots
are stored by :mod:`valuecrm.store.snapshots` and read by :mod:`valuecrm.reports` and
:mod:`valuecrm.views`. ``AnalysisConfig`` and the snapshot readers are re-exported here for
compatibility.

May import: ``actions``, ``voice``, ``segments``, ``value``, ``models``, ``config``,
``features``, ``store``, ``errors`` (everything below); never ``reports``, ``views``,
``report`` or ``interfaces``.
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
