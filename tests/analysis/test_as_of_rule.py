"""The as-of rule, one place for every interface: a day after the last order (or after today) is
refused before anything is computed or stored, so a far-future snapshot can never become the
latest one and call every customer lost. Python raises a ParameterError naming ``as_of``; the
CLI names ``--as-of`` and exits 2. (The API's 422 is in tests/api/test_analyses.py.)"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.data import small_database
from valuecrm.analysis import analyze, list_snapshots
from valuecrm.analysis.pipeline import as_of_day
from valuecrm.errors import DataError, ParameterError

ROWS = [(f"c{i % 9}", str(day.date()), 5.0 + i % 7)
        for i, day in enumerate(pd.date_range("2024-01-01", "2024-06-30", periods=60))]


@pytest.mark.parametrize("as_of", ["2099-12-31", "2024-07-01", dt.date(2030, 1, 1)])
def test_python_refuses_a_day_after_the_last_order(db_path, as_of):
    with small_database(db_path, ROWS) as database:
        with pytest.raises(ParameterError, match="after the day of the last order, "
                                                 "2024-06-30") as refused:
            analyze(database, as_of=as_of)
        assert refused.value.details == {"field": "as_of", "latest": "2024-06-30"}
        assert "up to 2024-06-30" in refused.value.hint
        assert list_snapshots(database) == []  # nothing stored
        assert str(analyze(database, as_of="2024-06-30").as_of) == "2024-06-30"  # the limit


def test_today_is_the_limit_when_orders_are_dated_later(db_path):
    with small_database(db_path, ROWS) as database:
        with pytest.raises(ParameterError, match="after today, 2024-05-01"):
            as_of_day(database, "2024-05-02", today=dt.date(2024, 5, 1))
        assert as_of_day(database, "2024-05-01", today=dt.date(2024, 5, 1)) == pd.Timestamp(
            "2024-05-01")
        assert as_of_day(database, None) == pd.Timestamp("2024-06-30")  # the default


def test_a_day_before_the_first_order_or_a_number_is_refused(db_path):
    with small_database(db_path, ROWS) as database:
        with pytest.raises(DataError, match="first order is of 2024-01-01") as refused:
            as_of_day(database, "2023-12-31")
        assert refused.value.details["field"] == "as_of"
        with pytest.raises(ParameterError, match="'as_of' parameter of analyze"):
            as_of_day(database, 0)  # a number is no date (not 1970-01-01)


def test_the_cli_names_its_option_and_stores_nothing(monkeypatch, capsys, db_path):
    small_database(db_path, ROWS).close()
    code, _, err = run(monkeypatch, capsys, "--db", str(db_path), "analyze", "--as-of",
                         "2099-12-31")
    message = " ".join(err.split())
    assert code == 2, err
    assert "The as-of date 2099-12-31 is after the day of the last order, 2024-06-30" in message
    assert "--as-of 2024-06-30 or earlier" in message and "Traceback" not in err
    code, _, err = run(monkeypatch, capsys, "--db", str(db_path), "segments")
    assert code == 2 and "no snapshot" in err


@pytest.mark.parametrize(("option", "value"), [
    ("--horizon", "0"), ("--horizon", "6.5"), ("--horizon-months", "121"),
    ("--discount-rate", "1"), ("--discount-rate", "-0.1"), ("--interval-level", "5e-324"),
    ("--model", "Foo"),
])
def test_the_cli_refuses_unreasonable_settings(monkeypatch, capsys, db_path, option, value):
    small_database(db_path, ROWS).close()
    code, _, err = run(monkeypatch, capsys, "--db", str(db_path), "analyze", option, value)
    assert code == 2, err
    assert "Invalid value for '" in err and f"'{option}'" in err and "Traceback" not in err


def test_the_cli_takes_the_settings(monkeypatch, capsys, db_path):
    import json

    small_database(db_path, ROWS).close()
    code, out, err = run(monkeypatch, capsys, "--db", str(db_path), "analyze", "--json",
                         "--horizon-months", "6", "--discount-rate", "0.2", "--interval-level",
                         "0.8", "--model", "BetaGeo")
    assert code == 0, err
    config = json.loads(out)["config"]
    assert (config["horizon_months"], config["discount_rate"], config["interval_level"],
            config["candidates"]) == (6.0, 0.2, 0.8, ["BetaGeo"])
