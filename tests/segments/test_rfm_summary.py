"""segment_summary: customers, shares and means per segment or class."""

from __future__ import annotations

import pandas as pd
import pytest

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.segments import rfm_scores, segment_summary

DATA = pd.DataFrame({
    "customer_id": ["a", "b", "c", "d", "e"],
    "time_since_last": [1, 2, 300, 400, 500],
    "n_purchases": [9, 8, 1, 1, 1],
    "total_spend": [500.0, 300.0, 100.0, 60.0, 40.0],
})
# R: 5, 4, 3, 2, 1; F: 5, 4, 1, 1, 1 -> Champions, Loyal, About To Sleep, Hibernating, Lost


def test_summary_by_segment_in_the_order_of_segments():
    out = segment_summary(rfm_scores(DATA)).execute()
    assert out.rfm_segment.tolist() == ["Champions", "Loyal", "About To Sleep", "Hibernating",
                                        "Lost"]
    assert out.customers.tolist() == [1] * 5
    assert out.share.tolist() == pytest.approx([0.2] * 5)
    assert out.spend_share.tolist() == pytest.approx([0.5, 0.3, 0.1, 0.06, 0.04])
    assert out.mean_time_since_last.tolist() == [1, 2, 300, 400, 500]
    assert out.mean_r_score.tolist() == [5, 4, 3, 2, 1]
    assert out.columns.tolist() == [
        "rfm_segment", "customers", "share", "mean_time_since_last", "mean_n_purchases",
        "mean_total_spend", "mean_r_score", "mean_f_score", "mean_m_score", "spend",
        "spend_share"]


def test_summary_by_class():
    scores = rfm_scores(DATA)
    out = segment_summary(scores, by="rfm_class").execute()
    # means: R 240.6, F 4, M 200 -> a, b HHH; c, d, e LLL
    assert out.rfm_class.tolist() == ["重要价值", "一般挽留"]
    assert out.customers.tolist() == [2, 3]
    assert out.mean_total_spend.tolist() == pytest.approx([400.0, 200.0 / 3])


def test_summary_of_user_segments_is_alphabetical_after_known_ones():
    rules = [{"segment": "Zeta", "r": "5"}, {"segment": "Champions", "r": "4"},
             {"segment": "Alpha"}]
    out = segment_summary(rfm_scores(DATA, rules=rules)).execute()
    assert out.rfm_segment.tolist() == ["Champions", "Alpha", "Zeta"]
    assert out.customers.tolist() == [1, 3, 1]


def test_summary_of_zero_spend_has_no_spend_share():
    data = DATA.assign(total_spend=0.0)
    out = segment_summary(rfm_scores(data)).execute()
    assert out.spend_share.isna().all()
    assert out.share.sum() == pytest.approx(1.0)


def test_summary_of_an_empty_table():
    empty = DATA.iloc[:0]
    assert len(segment_summary(rfm_scores(empty)).execute()) == 0


def test_summary_needs_the_score_columns():
    with pytest.raises(SchemaError, match="'rfm_segment'"):
        segment_summary(DATA)
    with pytest.raises(ParameterError, match="'by' parameter of segment_summary"):
        segment_summary(rfm_scores(DATA), by="total_spend")
