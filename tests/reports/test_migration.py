"""segment_migration on hand-made snapshots of the customer value table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers.data import store_snapshot
from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.reports.migration import GONE, NEW, NONE, segment_migration


def test_transitions_with_new_and_gone(db):
    store_snapshot(db, "2024-01-31", pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"], "rfm_segment": ["Lost", "Loyal", "Loyal", None],
        "clv": [1.0, 10.0, 20.0, 5.0]}))
    store_snapshot(db, "2024-06-30", pd.DataFrame({
        "customer_id": ["b", "c", "d", "e"], "rfm_segment": ["Loyal", "At Risk", "New", "New"],
        "clv": [12.0, 4.0, 6.0, 3.0]}))
    result = segment_migration(db, "2024-01-31", 2)
    table = result.table.set_index(["from_group", "to_group"])
    assert table.loc[("Lost", GONE)].tolist() == [1, 1.0, 0.0]
    assert table.loc[("Loyal", "Loyal")].tolist() == [1, 10.0, 12.0]
    assert table.loc[("Loyal", "At Risk")].tolist() == [1, 20.0, 4.0]
    assert table.loc[(NONE, "New")].tolist() == [1, 5.0, 6.0]
    assert table.loc[(NEW, "New")].tolist() == [1, 0.0, 3.0]
    assert len(table) == 5
    assert result.counts.index[0] == NEW and result.counts.columns[-1] == GONE
    assert result.counts.loc["Loyal", "At Risk"] == 1 and result.counts.loc["Lost", "New"] == 0
    assert result.value_to.to_numpy().sum() == pytest.approx(25.0)
    assert result.value_from.to_numpy().sum() == pytest.approx(36.0)


def test_counts_sum_to_the_customers_of_both_snapshots(db):
    rng = np.random.default_rng(4)
    labels = np.array(["active", "at risk", "lapsed", "lost"])
    first = pd.DataFrame({"customer_id": [f"c{i}" for i in range(400)],
                          "status": rng.choice(labels, 400), "clv": rng.gamma(2, 10, 400)})
    second = pd.DataFrame({"customer_id": [f"c{i}" for i in range(50, 500)],
                           "status": rng.choice(labels, 450), "clv": rng.gamma(2, 10, 450)})
    store_snapshot(db, "2024-01-31", first)
    store_snapshot(db, "2024-06-30", second)
    result = segment_migration(db, 1, "2024-06-30", by="status")
    counts = result.counts
    assert counts.to_numpy().sum() == 500
    assert counts.drop(index=NEW).to_numpy().sum() == 400
    assert counts.drop(columns=GONE).to_numpy().sum() == 450
    both = first.merge(second, on="customer_id", how="outer", suffixes=("_a", "_b"))
    expected = pd.crosstab(both["status_a"].fillna(NEW), both["status_b"].fillna(GONE))
    expected = expected.reindex(index=counts.index, columns=counts.columns, fill_value=0)
    np.testing.assert_array_equal(counts.to_numpy(), expected.to_numpy())
    assert result.value_to.sum().sum() == pytest.approx(second["clv"].sum())
    assert result.value_from.sum().sum() == pytest.approx(first["clv"].sum())


def test_bad_arguments_and_missing_snapshots(db):
    with pytest.raises(NotFoundError, match="no snapshot") as error:
        segment_migration(db, 1, 2)
    assert "valuecrm analyze" in error.value.hint
    store_snapshot(db, "2024-01-31", pd.DataFrame({"customer_id": ["a"], "clv": [1.0]}))
    store_snapshot(db, "2024-06-30", pd.DataFrame({"customer_id": ["a"], "clv": [1.0]}))
    with pytest.raises(ParameterError):
        segment_migration(db, 1, 2, by="shoe_size")
    with pytest.raises(ParameterError):
        segment_migration(db, 1, "2024-01-31")
    with pytest.raises(NotFoundError):
        segment_migration(db, 1, 7)
    stage = segment_migration(db, 1, 2, by="stage")
    assert stage.table[["from_group", "to_group", "customers"]].values.tolist() == [
        [NONE, NONE, 1]]
