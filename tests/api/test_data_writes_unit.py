"""DataWrites in process: ingests queue behind each other, an analysis and an ingest refuse
each other, and letting go frees the data for the other kind."""

from __future__ import annotations

import threading

import pytest

from valuecrm.interfaces.api.writes import (
    AnalysisRunningError,
    DataWrites,
    IngestRunningError,
)

WAIT = 30


def test_a_second_ingest_waits_for_the_first_and_an_analysis_is_refused_meanwhile():
    writes = DataWrites()
    entered, leave = threading.Event(), threading.Event()

    def second_ingest() -> None:
        with writes.ingest("b.csv into orders"):
            entered.set()
            assert leave.wait(WAIT)

    with writes.ingest("a.csv into orders"):
        waiter = threading.Thread(target=second_ingest)
        waiter.start()
        assert not entered.wait(0.2)  # it waits; it is not refused
        with pytest.raises(IngestRunningError) as refused:
            writes.start_analysis("job1")
        assert refused.value.status == 409
        assert refused.value.message == ("An ingest is running (a.csv into orders); try again "
                                         "when it ends.")
    assert entered.wait(WAIT)  # the first let go: the second loads
    with pytest.raises(IngestRunningError, match=r"b\.csv into orders"):
        writes.start_analysis("job1")
    leave.set()
    waiter.join(WAIT)
    writes.start_analysis("job1")  # free now
    assert writes.analysis == "job1"


def test_an_analysis_refuses_ingests_and_other_analyses_until_it_ends():
    writes = DataWrites()
    writes.start_analysis("job1")
    with pytest.raises(AnalysisRunningError) as refused, writes.ingest("a.csv into orders"):
        pytest.fail("the ingest ran during the analysis")
    assert refused.value.status == 409 and refused.value.code == "analysis_running"
    assert "An analysis is running (job job1)" in refused.value.message
    assert refused.value.details == {"job_id": "job1"}
    with pytest.raises(AnalysisRunningError):
        writes.start_analysis("job2")
    writes.end_analysis("job2")  # not the holder: nothing changes
    assert writes.analysis == "job1"
    writes.end_analysis("job1")
    assert writes.analysis is None
    with writes.ingest("a.csv into orders"):
        pass


def test_an_ingest_that_fails_lets_go():
    writes = DataWrites()
    with pytest.raises(RuntimeError), writes.ingest("bad.csv into orders"):
        raise RuntimeError("the load failed")
    writes.start_analysis("job1")
    assert writes.analysis == "job1"
