"""The one-analysis-at-a-time rule of AnalysisJobs, in process, with an analysis held on an
event so the second request certainly arrives while the first is running."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from valuecrm.analysis import AnalysisConfig
from valuecrm.interfaces.api.jobs import AnalysisJobs, AnalysisRunningError
from valuecrm.interfaces.api.state import ServerState
from valuecrm.store.users import User


def test_a_second_job_is_refused_until_the_first_has_ended(db, monkeypatch):
    started, release = threading.Event(), threading.Event()

    class Snapshot:
        snapshot_id, as_of = 7, dt.date(2024, 1, 31)

    def held_analysis(database, *, as_of, config):
        started.set()
        assert release.wait(30), "the test never released the analysis"
        return Snapshot()

    monkeypatch.setattr("valuecrm.analysis.analyze", held_analysis)
    jobs = AnalysisJobs(ServerState(database=db))
    user = User("ana", "analyst", "k1", dt.datetime(2026, 1, 1))
    try:
        first = jobs.submit(user, None, AnalysisConfig())
        assert started.wait(30)
        assert jobs.get(first.job_id).status == "running"
        with pytest.raises(AnalysisRunningError) as refused:
            jobs.submit(user, None, AnalysisConfig())
        assert refused.value.status == 409 and first.job_id in refused.value.message
        release.set()
        deadline = time.monotonic() + 30
        while jobs.get(first.job_id).active and time.monotonic() < deadline:
            time.sleep(0.01)
        assert jobs.get(first.job_id).status == "succeeded"
        assert jobs.get(first.job_id).snapshot_id == 7
        second = jobs.submit(user, None, AnalysisConfig())  # free again
        assert second.job_id != first.job_id
    finally:
        release.set()
        jobs.executor.shutdown(wait=True)


def test_a_failing_job_keeps_its_error_in_the_one_error_shape(db, monkeypatch):
    from valuecrm.errors import DataError

    def failing_analysis(database, *, as_of, config):
        raise DataError("No customer bought anything up to 2024-01-31.", hint="Load orders.")

    monkeypatch.setattr("valuecrm.analysis.analyze", failing_analysis)
    jobs = AnalysisJobs(ServerState(database=db))
    user = User("ana", "analyst", "k1", dt.datetime(2026, 1, 1))
    try:
        job = jobs.submit(user, dt.date(2024, 1, 31), AnalysisConfig())
        deadline = time.monotonic() + 30
        while jobs.get(job.job_id).active and time.monotonic() < deadline:
            time.sleep(0.01)
        done = jobs.get(job.job_id).to_dict()
    finally:
        jobs.executor.shutdown(wait=True)
    assert done["status"] == "failed" and done["snapshot_id"] is None
    assert done["error"] == {"error": "unusable_data", "hint": "Load orders.", "details": None,
                             "message": "No customer bought anything up to 2024-01-31."}
