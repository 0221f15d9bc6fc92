"""Customer segments (客户细分): RFM scores, named RFM segments and the 8 RFM classes.

Also the labels of a snapshot (status, lifecycle, value matrix, ladder, relationship), whose
thresholds come from :class:`valuecrm.config.AnalysisConfig`. May import: ``config``,
``value``, ``models``, ``features``, ``store``, ``errors``; never ``analysis`` or above.
"""

from valuecrm.segments.rfm import rfm_scores, segment_summary
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS, ClassLabel, SegmentLabel
from valuecrm.segments.rfm_rules import DEFAULT_RULES, segment_grid

__all__ = [
    "DEFAULT_RULES",
    "RFM_CLASSES",
    "SEGMENTS",
    "ClassLabel",
    "SegmentLabel",
    "rfm_scores",
    "segment_grid",
    "segment_summary",
]
