"""Self-contained HTML reports: every figure with its method and source, opening offline."""

from valuecrm.report.html import Figure, Report, Section

__all__ = ["Figure", "Report", "Section"]
