"""RFM scores of the 23,570 CDNOW customers agree, customer by customer, with pandas.

The reference is independent of the Ibis code: the RFM view is summarised with pandas as of
1998-06-30 (days since the last purchase, distinct purchase days, total spend), ranks come from
``Series.rank(method="min")`` and score = 1 + floor(5 * (rank - 1) / N), ranks running from the
worst customer (1) to the best (N).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from valuecrm.datasets import CDNOW_OBSERVATION_END, load_cdnow
from valuecrm.segments import rfm_scores, segment_summary


@pytest.fixture(scope="module")
def cdnow_rfm() -> pd.DataFrame:
    orders = load_cdnow()
    per_customer = orders.groupby("customer_id")
    return pd.DataFrame({
        "time_since_last": (CDNOW_OBSERVATION_END - per_customer.ordered_at.max()).dt.days,
        "n_purchases": per_customer.ordered_at.nunique(),
        "total_spend": per_customer.amount.sum(),
    }).reset_index()


@pytest.fixture(scope="module")
def scored(cdnow_rfm: pd.DataFrame) -> pd.DataFrame:
    con = ibis.duckdb.connect()
    table = con.create_table("rfm_view", ibis.memtable(cdnow_rfm))
    out = con.execute(rfm_scores(table))
    return out.set_index("customer_id").loc[cdnow_rfm.customer_id].reset_index()


def pandas_score(worst_to_best: pd.Series, bins: int = 5) -> np.ndarray:
    rank = worst_to_best.rank(method="min").to_numpy(dtype=np.int64)
    return 1 + bins * (rank - 1) // len(worst_to_best)


def pandas_segment(r: int, f: int) -> str:
    """The default rules written as plain conditions, in their order (first match wins)."""
    if r == 5 and f >= 4:
        return "Champions"
    if r in (3, 4) and f >= 4:
        return "Loyal"
    if r >= 4 and f in (2, 3):
        return "Potential Loyalist"
    if r == 5 and f == 1:
        return "New"
    if r == 4 and f == 1:
        return "Promising"
    if r == 3 and f == 3:
        return "Need Attention"
    if r == 3 and f <= 2:
        return "About To Sleep"
    if r <= 2 and f in (3, 4):
        return "At Risk"
    if r <= 2 and f == 5:
        return "Can't Lose Them"
    if r == 1 and f == 1:
        return "Lost"
    return "Hibernating"


def test_every_cdnow_customer_gets_the_pandas_scores(cdnow_rfm, scored):
    assert len(scored) == len(cdnow_rfm) == 23_570
    np.testing.assert_array_equal(scored.r_score, pandas_score(-cdnow_rfm.time_since_last))
    np.testing.assert_array_equal(scored.f_score, pandas_score(cdnow_rfm.n_purchases))
    np.testing.assert_array_equal(scored.m_score, pandas_score(cdnow_rfm.total_spend))


def test_every_cdnow_customer_gets_the_pandas_segment_and_class(cdnow_rfm, scored):
    segments = [pandas_segment(r, f) for r, f in zip(scored.r_score, scored.f_score, strict=True)]
    assert scored.rfm_segment.tolist() == segments
    code = (np.where(cdnow_rfm.time_since_last < cdnow_rfm.time_since_last.mean(), "H", "L")
            + np.where(cdnow_rfm.n_purchases > cdnow_rfm.n_purchases.mean(), "H", "L")
            + np.where(cdnow_rfm.total_spend > cdnow_rfm.total_spend.mean(), "H", "L"))
    assert scored.rfm_class_code.tolist() == code.tolist()


def test_cdnow_score_shapes(scored):
    # Half of CDNOW bought on one day only: they tie at the worst rank, F = 1; the next
    # frequencies start higher up.
    f_counts = scored.f_score.value_counts()
    assert f_counts.index.min() == 1 and f_counts[1] > 0.5 * len(scored)
    # M has few ties: each score holds close to a fifth
    m_share = scored.m_score.value_counts(normalize=True)
    assert m_share.between(0.19, 0.21).all()
    assert scored.rfm_cell.str.fullmatch(r"[1-5]{3}").all()


def test_cdnow_segment_summary(scored):
    summary = segment_summary(ibis.memtable(scored)).execute()
    assert summary.customers.sum() == len(scored)
    assert summary.share.sum() == pytest.approx(1.0)
    assert summary.spend_share.sum() == pytest.approx(1.0)
    champions = summary.set_index("rfm_segment").loc["Champions"]
    members = scored[scored.rfm_segment == "Champions"]
    assert champions.customers == len(members)
    assert champions.mean_total_spend == pytest.approx(members.total_spend.mean())
    assert champions.mean_time_since_last == pytest.approx(members.time_since_last.mean())
    assert champions.spend_share == pytest.approx(members.total_spend.sum()
                                                  / scored.total_spend.sum())
