"""Python's garbage collector tuned for a long-running server (``valuecrm serve``).

With 200 clients, a collection of the oldest generation, which visits every object the
process holds (the modules, the kept answers, the lookup copy's million customer ids), took a
fifth of the event loop's time (py-spy, ``bench/serve_load.py``). A server therefore collects
the youngest generation less often (:data:`THRESHOLDS`), and after each lookup copy is built
moves what it holds then out of the collector's sight (:func:`gc.freeze`): those objects live
until the next write, and reference counting still frees them.
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 20, 20)  # Python's defaults: 700, 10, 10
_serving = False


def tune_for_serving() -> None:
    """Collect less often from now on, and freeze after each lookup copy (:func:`settled`)."""
    global _serving
    _serving = True
    gc.set_threshold(*THRESHOLDS)


def settled() -> None:
    """A lookup copy is built: collect once, then freeze what is held (only when serving)."""
    if _serving:
        gc.collect()
        gc.freeze()
