"""The server's copy of the per-customer tables in customer order, one per write epoch.

The read layer builds and reads it (:mod:`valuecrm.views.lookup_copy`); the server only says
when: it drops the copy as soon as a write starts (the epoch of
:class:`~valuecrm.interfaces.api.answers.Answers` moves), and builds a new one in a background
thread once no write is running and none started for :data:`QUIET` seconds. Until it is
ready, the lookups read the base tables (same answers, slower). Once it is, and what lookups
share is computed (:func:`~valuecrm.views.customers.warm_lookups`), lookups are answered on
the event loop (``quick_lookups``: :func:`~valuecrm.interfaces.api.state.lookup`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from valuecrm.interfaces.api.collector import settled
from valuecrm.views.customers import warm_lookups
from valuecrm.views.lookup_copy import build_copy, drop_copies, search_index

logger = logging.getLogger("valuecrm.api")
QUIET = 1.0  # seconds without a write before a copy is built


class LookupCopies:
    """Keeps the lookup copy of ``state``'s database current: :meth:`start`, then
    :meth:`written` whenever the epoch of ``state.answers`` moves, :meth:`stop` before the
    database closes."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cursor: Any = None
        self.ready = False  # a copy of the current epoch is ready

    def start(self) -> None:
        self._wake.set()  # a first copy at start-up
        self._thread = threading.Thread(target=self._run, name="valuecrm-lookups", daemon=True)
        self._thread.start()

    def written(self) -> None:
        """A write started or ended: drop the copy now, build another when writes are over."""
        self.ready = False
        self.state.quick_lookups = False
        self.state.lookup_copy = None
        if self._stop.is_set():
            return
        with self.state.cursor() as cur:
            drop_copies(cur)
        self._wake.set()

    def stop(self, timeout: float = 60.0) -> None:
        """End the builder (a build under way is interrupted) and drop the copy."""
        self._stop.set()
        self._wake.set()
        cursor = self._cursor
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.interrupt()
        if self._thread is not None:
            self._thread.join(timeout)
        with contextlib.suppress(Exception), self.state.cursor() as cur:
            drop_copies(cur)

    def _run(self) -> None:
        answers = self.state.answers
        while not self._stop.is_set():
            self._wake.wait()
            while self._wake.is_set() or answers.writing:  # until writes are quiet
                self._wake.clear()
                if self._stop.wait(QUIET):
                    return
            epoch = answers.epoch
            try:
                with self.state.cursor() as cur:
                    self._cursor = cur
                    built = build_copy(cur, lambda epoch=epoch: answers.epoch == epoch
                                       and not answers.writing and not self._stop.is_set())
                    current = built is not None and answers.epoch == epoch
                    self.state.lookup_copy = built if current else None
                    self._current(epoch)
                    if self.state.lookup_copy is not None:
                        self._warm(cur)
                        self.ready = True  # what /api/health says (the bench waits for it)
                        self._current(epoch)
                if self.ready:
                    settled()
            except Exception as error:  # interrupted by stop, or a bug: lookups read the base
                if not self._stop.is_set():
                    logger.warning("building the lookup copy failed: %s", error)
            finally:
                self._cursor = None

    def _warm(self, cur: Any) -> None:
        """Compute what lookups share, then answer them on the event loop (searches need the
        copy's index: there is none when an id, name or e-mail holds a NUL)."""
        try:
            warm_lookups(cur)
        except Exception as error:  # the lookups compute it themselves, in threads
            if not self._stop.is_set():
                logger.warning("computing what lookups share failed: %s", error)
            return
        self.state.quick_lookups = search_index(cur) is not None

    def _current(self, epoch: int) -> None:
        """What was just set holds if no write started since ``epoch`` (:meth:`written`
        clears what was set, the check after setting catches a write in between)."""
        if self.state.answers.epoch != epoch:
            self.ready = self.state.quick_lookups = False
            self.state.lookup_copy = None
