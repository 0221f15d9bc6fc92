"""Moved to :mod:`valuecrm.views.customers` (the read layer); kept so that imports of the old
name keep working until the layout of issue 13 lands."""

from valuecrm.views.customers import SORTS, ValueQuery

__all__ = ["SORTS", "ValueQuery"]
