"""Self-contained HTML reports: every figure with its method and source, opening offline.

May import: ``views``, ``reports``, ``analysis``, ``actions``, ``segments``, ``store``,
``i18n``, ``errors`` (everything below it); never the interfaces, which call it
(``tests/test_import_graph.py`` checks it).
"""

from valuecrm.report.html import Figure, Report, Section

__all__ = ["Figure", "Report", "Section"]
