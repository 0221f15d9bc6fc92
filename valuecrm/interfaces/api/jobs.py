"""Analyses as background jobs of the server: one at a time, in a worker thread of its own.

A job runs :func:`valuecrm.analyze` over a fresh cursor of the server's own database connection
(DuckDB allows one writing process: the server is it). Its status moves queued -> running ->
succeeded (with the new snapshot's id) or failed (with the error in the API's one error shape).
The stage comes from the analysis' own step log (``valuecrm.analysis.pipeline``), read by a
logging filter for the worker thread only. From its request until it has ended, a job holds the
server's customer data (:class:`~valuecrm.interfaces.api.writes.DataWrites`): ingests answer 409
meanwhile, and a job is refused with 409 while an ingest loads. Jobs live in memory: the newest
``KEEP_JOBS`` are listed, and they are forgotten when the server stops (the snapshots themselves
are stored).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from valuecrm.errors import ValueCRMError
from valuecrm.interfaces.api.answers import Answers
from valuecrm.interfaces.api.writes import AnalysisRunningError, DataWrites
from valuecrm.store.users import User, record_audit

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb

    from valuecrm.config import AnalysisConfig
    from valuecrm.store import Database

logger = logging.getLogger("valuecrm.api")
KEEP_JOBS = 50
# the steps `analyze` logs ("analyze: <step> took ..."), in order
STEPS = ("history", "model choice", "prediction", "labels", "counts", "write")
_PIPELINE_LOGGER = "valuecrm.analysis.pipeline"
_STEP_PREFIX = "analyze: "


__all__ = ["AnalysisJob", "AnalysisJobs", "AnalysisRunningError", "JobHost"]


class JobHost(Protocol):
    """What the jobs need of the server that runs them (its
    :class:`~valuecrm.interfaces.api.state.ServerState`), so this module need not import it."""

    data_writes: DataWrites
    write_lock: threading.Lock
    answers: Answers

    def session(self) -> AbstractContextManager[Database]: ...

    def cursor(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass
class AnalysisJob:
    """One requested analysis and what became of it."""

    job_id: str
    requested_by: str
    as_of: dt.date | None
    config: dict[str, Any]
    status: str = "queued"
    steps_done: int = 0
    created_at: dt.datetime = field(default_factory=_now)
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    snapshot_id: int | None = None
    snapshot_as_of: dt.date | None = None
    error: dict[str, Any] | None = None

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def stage(self) -> str | None:
        """The step being worked on (None before the start and after the end)."""
        if self.status != "running":
            return None
        return STEPS[min(self.steps_done, len(STEPS) - 1)]

    def to_dict(self) -> dict[str, Any]:
        def iso(value: Any) -> str | None:
            return None if value is None else value.isoformat()

        return {"job_id": self.job_id, "status": self.status, "stage": self.stage,
                "progress": 1.0 if self.status == "succeeded" else round(
                    min(self.steps_done, len(STEPS) - 1) / len(STEPS), 3),
                "requested_by": self.requested_by, "as_of": iso(self.as_of),
                "config": self.config, "created_at": iso(self.created_at),
                "started_at": iso(self.started_at), "finished_at": iso(self.finished_at),
                "snapshot_id": self.snapshot_id, "snapshot_as_of": iso(self.snapshot_as_of),
                "error": self.error}


class _StepListener(logging.Filter):
    """Counts the steps `analyze` logs in each job's worker thread; lets nothing else change."""

    def __init__(self, quiet_below: int) -> None:
        super().__init__()
        self.quiet_below = quiet_below
        self.jobs: dict[int, AnalysisJob] = {}
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(_STEP_PREFIX):
            with self.lock:
                job = self.jobs.get(record.thread or 0)
            if job is not None:
                job.steps_done += 1
        return record.levelno >= self.quiet_below


_listener_lock = threading.Lock()


def _step_listener() -> _StepListener:
    """The one listener of this process, installed on the pipeline's logger on first use."""
    pipeline = logging.getLogger(_PIPELINE_LOGGER)
    with _listener_lock:
        for existing in pipeline.filters:
            if isinstance(existing, _StepListener):
                return existing
        listener = _StepListener(quiet_below=pipeline.getEffectiveLevel())
        pipeline.addFilter(listener)
        pipeline.setLevel(logging.DEBUG)  # the filter keeps the output as it was
        return listener


class AnalysisJobs:
    """The analysis jobs of one server: a single worker thread, newest jobs remembered."""

    def __init__(self, state: JobHost) -> None:
        self.state = state
        self.jobs: dict[str, AnalysisJob] = {}
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="valuecrm-job")
        self.on_snapshot: Callable[[], object] | None = None  # after a snapshot is written

    def submit(self, user: User, as_of: dt.date | None, config: AnalysisConfig) -> AnalysisJob:
        """Queue an analysis; AnalysisRunningError if one is queued or running,
        IngestRunningError while an ingest loads."""
        with self.lock:
            busy = next((j for j in self.jobs.values() if j.active), None)
            if busy is not None:
                raise AnalysisRunningError(
                    f"Analysis job {busy.job_id} is {busy.status}; one analysis runs at a time.",
                    hint=f"Poll GET /api/analyses/{busy.job_id} and start again when it has "
                         "finished.", job_id=busy.job_id)
            job = AnalysisJob(uuid.uuid4().hex[:12], user.name, as_of, config.to_dict())
            self.state.data_writes.start_analysis(job.job_id)  # released when the job ends
            self.jobs[job.job_id] = job
            for old in sorted(self.jobs.values(), key=lambda j: j.created_at)[:-KEEP_JOBS]:
                if not old.active:
                    del self.jobs[old.job_id]
        try:
            self._audit(user, "analysis_started", job_id=job.job_id, as_of=as_of)
            self.executor.submit(self._run, job, user, config)
        except BaseException:  # never started: forget it and free the data
            with self.lock:
                self.jobs.pop(job.job_id, None)
            self.state.data_writes.end_analysis(job.job_id)
            raise
        return job

    def get(self, job_id: str) -> AnalysisJob | None:
        with self.lock:
            return self.jobs.get(job_id)

    def recent(self) -> list[AnalysisJob]:
        """Every remembered job, newest first."""
        with self.lock:
            return sorted(self.jobs.values(), key=lambda j: (j.created_at, j.job_id),
                          reverse=True)

    def shutdown(self) -> None:
        """Drop queued jobs; a running one is not waited for (the server is stopping)."""
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: AnalysisJob, user: User, config: AnalysisConfig) -> None:
        from valuecrm.analysis import analyze
        from valuecrm.interfaces.api.errors import error_body

        listener = _step_listener()
        thread = threading.get_ident()
        with listener.lock:
            listener.jobs[thread] = job
        job.status, job.started_at = "running", _now()
        status = "failed"
        try:
            with self.state.session() as database:
                snapshot = analyze(database, as_of=job.as_of, config=config)
            job.snapshot_id, job.snapshot_as_of = snapshot.snapshot_id, snapshot.as_of
            status = "succeeded"
        except ValueCRMError as error:
            job.error = error_body(error.code, error.message) | error.to_dict()
        except Exception as error:  # a bug: logged, answered in the one error shape
            logger.error("analysis job %s failed with a bug", job.job_id, exc_info=error)
            job.error = error_body(
                "internal_error", "The analysis failed unexpectedly; the error has been logged.",
                "This is a bug in valuecrm: please report it with the time of the job.")
        finally:
            # answers kept before the snapshot was written are not given after it ends
            self.state.answers.written()
            # free the data before the job shows as ended, so an ingest sent on seeing the end
            # is never refused
            self.state.data_writes.end_analysis(job.job_id)
            job.finished_at = _now()
            job.status = status
            with listener.lock:
                listener.jobs.pop(thread, None)
        try:
            self._audit(user, f"analysis_{job.status}", job_id=job.job_id,
                        snapshot_id=job.snapshot_id, error=(job.error or {}).get("error"))
        except Exception as error:
            logger.error("could not audit analysis job %s", job.job_id, exc_info=error)
        if status == "succeeded" and self.on_snapshot is not None:
            try:  # after the audit: the job shows as ended with its entry written
                self.on_snapshot()
            except Exception as error:  # the pages compute the same on demand
                logger.error("could not warm the caches after job %s", job.job_id,
                             exc_info=error)

    def _audit(self, user: User, action: str, **detail: Any) -> None:
        with self.state.write_lock, self.state.cursor() as cur:
            record_audit(cur, user, action, "snapshots", None, **detail)
