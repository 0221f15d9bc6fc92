"""Customer features as pure Ibis expressions: they run in whichever engine holds the data.

No backend is imported here: the same expression runs on DuckDB, PySpark and the other Ibis
engines.
"""

from valuecrm.features.summary import rfm_summary
from valuecrm.features.units import TIME_UNITS, TimeUnit

__all__ = ["TIME_UNITS", "TimeUnit", "rfm_summary"]
