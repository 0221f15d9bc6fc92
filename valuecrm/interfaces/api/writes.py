"""Who may change the customer data now: an analysis and an ingest never overlap.

An analysis reads the orders (and customers, products, ...) from its first step to its last and
stores a snapshot of what it read; an ingest that changed them halfway would leave a snapshot
that matches neither the old data nor the new. So the server answers 409 instead of waiting
(an analysis of a large base takes minutes, longer than an upload should hang):

- an ingest while an analysis is queued or running: 409 ``analysis_running``;
- an analysis while an ingest is loading: 409 ``ingest_running``;
- an ingest while another ingest is loading waits for it (loads are short), as before.

User changes and the audit log are not data an analysis reads: they go on during an analysis
(they are serialised among themselves by ``ServerState.write_lock``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from valuecrm.errors import AnalysisRunningError, IngestRunningError

__all__ = ["AnalysisRunningError", "DataWrites", "IngestRunningError"]


class DataWrites:
    """The one writer of the customer data of a server: nobody, an ingest, or an analysis."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._analysis: str | None = None  # the job id holding the data
        self._ingest: str | None = None  # what the loading ingest is, for messages

    @property
    def analysis(self) -> str | None:
        """The id of the analysis job holding the data, if any."""
        return self._analysis

    @contextmanager
    def ingest(self, what: str) -> Iterator[None]:
        """Hold the data for an ingest (``what``: e.g. "orders.csv into orders").

        Waits while another ingest loads; AnalysisRunningError while an analysis holds it.
        """
        with self._changed:
            while True:
                if self._analysis is not None:
                    raise _analysis_running(self._analysis, "the data cannot be changed")
                if self._ingest is None:
                    break
                self._changed.wait()
            self._ingest = what
        try:
            yield
        finally:
            with self._changed:
                self._ingest = None
                self._changed.notify_all()

    def start_analysis(self, job_id: str) -> None:
        """Hold the data for analysis job ``job_id`` until :meth:`end_analysis`.

        IngestRunningError while an ingest loads; AnalysisRunningError while another analysis
        holds the data.
        """
        with self._changed:
            if self._ingest is not None:
                raise IngestRunningError(
                    f"An ingest is running ({self._ingest}); try again when it ends.",
                    hint="An analysis must read the data as it is after the load; start it "
                         "again in a moment.", ingest=self._ingest)
            if self._analysis is not None:
                raise _analysis_running(self._analysis, "one analysis runs at a time")
            self._analysis = job_id

    def end_analysis(self, job_id: str) -> None:
        """Let go of the data held by analysis job ``job_id`` (nothing if it holds none)."""
        with self._changed:
            if self._analysis == job_id:
                self._analysis = None
                self._changed.notify_all()


def _analysis_running(job_id: str, consequence: str) -> AnalysisRunningError:
    return AnalysisRunningError(
        f"An analysis is running (job {job_id}); {consequence}: try again when it ends.",
        hint=f"Poll GET /api/analyses/{job_id} until its status is succeeded or failed.",
        job_id=job_id)
