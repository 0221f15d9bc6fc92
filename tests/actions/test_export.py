"""export_list: CSV and Parquet round trips with the columns a campaign tool needs."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from valuecrm.actions import WINBACK_COLUMNS, export_list, winback_list
from valuecrm.errors import ParameterError
from valuecrm.store import connect

CAMPAIGN_COLUMNS = {"customer_id", "name", "email", "phone", "segment", "status", "reason",
                    "expected_value", "chance", "action", "snapshot_date"}


@pytest.fixture(scope="module")
def frame(two_snapshots) -> pd.DataFrame:
    with connect(two_snapshots.path, read_only=True) as database:
        return winback_list(database, top=50)


def test_parquet_round_trip(frame, tmp_path):
    path = export_list(frame, tmp_path / "winback.parquet")
    back = pd.read_parquet(path)
    assert set(back.columns) >= CAMPAIGN_COLUMNS
    assert list(back.columns) == WINBACK_COLUMNS
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_csv_round_trip(frame, tmp_path):
    path = export_list(frame, tmp_path / "winback.CSV")
    back = pd.read_csv(path, dtype={"customer_id": str, "phone": str},
                       keep_default_na=False, na_values=[""])
    assert list(back.columns) == WINBACK_COLUMNS
    assert back["customer_id"].tolist() == frame["customer_id"].tolist()
    pd.testing.assert_series_equal(back["score"], frame["score"], check_dtype=False)
    assert back["snapshot_date"].iloc[0] == frame["snapshot_date"].iloc[0].date().isoformat()
    assert back["email"].notna().all() and back["action"].notna().all()


def test_csv_for_spreadsheets(frame, tmp_path):
    """Trust 11: UTF-8 with a BOM (Excel shows Chinese), booleans true / false, ISO dates."""
    people = frame.assign(name="王芳")
    raw = export_list(people, tmp_path / "winback.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcustomer_id,name,")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(frame) + 1 and rows[1][1] == "王芳"
    column = rows[0].index("poor_recovery")
    assert {row[column] for row in rows[1:]} <= {"true", "false"}
    assert "True" not in text and "False" not in text
    assert rows[1][-1] == frame["snapshot_date"].iloc[0].date().isoformat()


def test_bad_targets(frame, tmp_path):
    with pytest.raises(ParameterError, match=r"csv or \.parquet"):
        export_list(frame, tmp_path / "winback.xlsx")
    with pytest.raises(ParameterError, match="does not exist"):
        export_list(frame, tmp_path / "missing" / "winback.csv")
    with pytest.raises(ParameterError):
        export_list([1, 2], tmp_path / "winback.csv")
