"""The generator's line-level export (Online Retail shape) and its truth per customer."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from tests.helpers.cli import run
from valuecrm.errors import ParameterError
from valuecrm.synthetic import generate
from valuecrm.synthetic.sales_lines import COLUMNS

N = 300


@pytest.fixture(scope="module")
def lines_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lines")
    result = generate(N, out=folder / "tables", lines=folder / "sales.csv", seed=3)
    frame = pd.read_csv(result.lines_path, dtype={"InvoiceNo": str, "StockCode": str,
                                                   "CustomerID": str}, keep_default_na=False)
    return result, frame


def from_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """Per customer figures from the raw lines alone, by the documented rules of a line file:
    drop exact duplicates and 'A' adjustments; an invoice is a return when it starts with 'C'."""
    lines = frame.drop_duplicates()
    lines = lines[~lines["InvoiceNo"].str.startswith("A") & (lines["CustomerID"] != "")].copy()
    lines["cents"] = np.round(lines["Quantity"] * lines["UnitPrice"] * 100).astype(np.int64)
    invoices = lines.groupby("InvoiceNo").agg(customer=("CustomerID", "first"),
                                              when=("InvoiceDate", "min"), cents=("cents", "sum"))
    back = invoices.index.str.startswith("C")
    bought, returned = invoices[~back], invoices[back]
    per = bought.groupby("customer").agg(
        purchase_days=("when", lambda w: pd.to_datetime(w).dt.normalize().nunique()),
        gross=("cents", "sum"))
    per["returns"] = -returned.groupby("customer")["cents"].sum().reindex(per.index).fillna(0)
    return per


def test_the_file_has_the_online_retail_shape_and_its_oddities(lines_csv):
    result, frame = lines_csv
    counts = result.lines_counts
    assert list(frame.columns) == COLUMNS and len(frame) == counts["lines"]
    cancel = frame[frame["InvoiceNo"].str.startswith("C")]
    assert len(cancel.drop_duplicates()) == counts["cancellation_lines"] > 0
    assert (cancel["Quantity"] < 0).all()
    assert (cancel["CustomerID"] != "").all()
    guests = frame[frame["CustomerID"] == ""]
    assert len(guests) == counts["guest_lines"] + counts["adjustment_lines"] + counts[
        "stock_corrections"] > 0
    assert frame.duplicated().sum() == counts["duplicate_lines"] > 0
    adjust = frame[frame["InvoiceNo"].str.startswith("A")]
    assert len(adjust) == counts["adjustment_lines"] >= 1 and (adjust["UnitPrice"] < 0).all()
    assert (frame["UnitPrice"] == 0).sum() >= counts["free_item_lines"] > 0
    assert frame["StockCode"].str.contains("[A-Z]", regex=True).any()
    assert frame.loc[frame["UnitPrice"] < 0, "InvoiceNo"].str.startswith("A").all()


def test_the_truth_equals_a_computation_from_the_raw_lines(lines_csv):
    result, frame = lines_csv
    truth = pd.read_parquet(result.lines_truth_path).set_index("customer_id")
    expected = from_lines(frame).loc[truth.index]
    assert sorted(truth.index) == sorted(from_lines(frame).index)
    assert truth["purchase_days"].tolist() == expected["purchase_days"].tolist()
    assert (np.round(truth["gross_spend"] * 100).astype(int) == expected["gross"]).all()
    assert (np.round(truth["returns"] * 100).astype(int) == expected["returns"]).all()
    assert np.allclose(truth["net_spend"], truth["gross_spend"] - truth["returns"])
    assert (truth["returns"] > 0).any()


def test_gzip_and_two_sheet_workbook_hold_the_same_lines(lines_csv, tmp_path):
    _, frame = lines_csv
    gz = generate(N, out=tmp_path / "a", lines=tmp_path / "sales.csv.gz", seed=3)
    with gzip.open(gz.lines_path, "rt", encoding="utf-8") as text:
        assert pd.read_csv(text, dtype=str, keep_default_na=False).equals(
            frame.astype(str).replace("nan", ""))
    book = generate(N, out=tmp_path / "b", lines=tmp_path / "sales.xlsx", seed=3)
    sheets = pd.read_excel(book.lines_path, sheet_name=None)
    assert len(sheets) == 2 and all(list(s.columns) == COLUMNS for s in sheets.values())
    assert sum(len(s) for s in sheets.values()) == len(frame)
    assert pd.read_parquet(book.lines_truth_path).equals(pd.read_parquet(gz.lines_truth_path))


def test_an_unknown_suffix_is_refused_before_any_work(tmp_path):
    with pytest.raises(ParameterError, match="must end in"):
        generate(10, out=tmp_path / "t", lines=tmp_path / "sales.parquet")
    assert not (tmp_path / "t").exists()


def test_cli_option(tmp_path, monkeypatch, capsys):
    result = run(monkeypatch, capsys, "generate", "-n", "50", "--out", str(tmp_path / "t"),
                 "--lines", str(tmp_path / "sales.csv.gz"))
    assert result.code == 0, result.err
    assert "Sales lines:" in result.out and (tmp_path / "sales.truth.parquet").exists()
