"""Customer features as pure Ibis expressions: they run in whichever engine holds the data.

No backend is imported here: the same expression runs on DuckDB, PySpark and the other Ibis
engines. What lives here: the RFM summary (``summary``), time units (``units``), the one
definition of a purchase, a return and net spend (``purchases``), exact money sums
(``money``) and the order history of a window (``history``: ``Window``, ``order_rows``, cost to
serve, categories, loyalty, referrals), and the baskets of basket analysis, guest checkouts
included (``baskets``). Imports nothing above ``valuecrm.errors``.
"""

from valuecrm.features.summary import rfm_summary
from valuecrm.features.units import TIME_UNITS, TimeUnit

__all__ = ["TIME_UNITS", "TimeUnit", "rfm_summary"]
