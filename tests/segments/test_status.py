"""Customer status: each rule of valuecrm.segments.status, at and around its thresholds."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from valuecrm.analysis import AnalysisConfig
from valuecrm.segments.status import customer_status

CFG = AnalysisConfig()


def status_of(rows: list[tuple[int, int, float | None]], config=CFG) -> list[str]:
    frame = pd.DataFrame(rows, columns=["tenure_days", "days_since_last", "p_alive"])
    frame["i"] = range(len(frame))
    table = ibis.memtable(frame, schema={"tenure_days": "int64", "days_since_last": "int64",
                                         "p_alive": "float64", "i": "int64"})
    return customer_status(table, config).order_by("i").to_pandas()["status"].tolist()


@pytest.mark.parametrize(("tenure", "days", "p", "expected"), [
    (CFG.new_days, CFG.new_days, 0.01, "new"),          # new wins over everything
    (CFG.new_days + 1, 10, 0.99, "active"),
    (400, 10, CFG.lost_p_alive - 0.01, "lost"),
    (400, CFG.lost_days + 1, 0.99, "lost"),
    (400, CFG.lost_days, 0.99, "lapsed"),               # at the limit: not beyond it
    (400, 10, CFG.lapsed_p_alive - 0.01, "lapsed"),
    (400, 10, CFG.lapsed_p_alive, "at risk"),
    (400, CFG.at_risk_days + 1, 0.99, "at risk"),
    (400, 10, CFG.at_risk_p_alive, "active"),           # at the threshold: not below it
    (400, CFG.at_risk_days, CFG.at_risk_p_alive, "active"),
])
def test_rules_and_thresholds(tenure, days, p, expected):
    assert status_of([(tenure, days, p)]) == [expected]


def test_without_a_model_only_the_days_count():
    assert status_of([(400, 10, None), (400, CFG.lapsed_days + 1, None),
                      (400, CFG.lost_days + 1, None)]) == ["active", "lapsed", "lost"]


def test_thresholds_are_configurable():
    config = AnalysisConfig(new_days=5, at_risk_days=20, lapsed_days=30, lost_days=40)
    assert status_of([(6, 21, 1.0), (6, 31, 1.0), (6, 41, 1.0), (5, 41, 1.0)],
                     config) == ["at risk", "lapsed", "lost", "new"]


def test_inconsistent_thresholds_are_refused():
    from valuecrm.errors import ParameterError

    with pytest.raises(ParameterError, match="at_risk_days <= lapsed_days <= lost_days"):
        AnalysisConfig(at_risk_days=300, lapsed_days=200).validated()
    with pytest.raises(ParameterError, match="lost_p_alive"):
        AnalysisConfig(lost_p_alive=0.9).validated()
