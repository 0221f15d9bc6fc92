"""Reading model inputs: grouping into weights (in the engine for Ibis) and checking."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from valuecrm.errors import DataError
from valuecrm.models import BetaGeo
from valuecrm.models.distinct_rows import unique_codes
from valuecrm.models.input_columns import column_arrays, grouped_frame

COLUMNS = ["frequency", "recency", "T"]


def test_ibis_table_is_grouped_by_the_engine(cdnow):
    frame = grouped_frame(ibis.memtable(cdnow[COLUMNS]), COLUMNS, "BetaGeo", compress=True)
    expected = cdnow.groupby(COLUMNS).size()
    assert len(frame) == len(expected) < len(cdnow)
    assert frame["weights"].sum() == len(cdnow)
    merged = frame.set_index(COLUMNS)["weights"].sort_index()
    np.testing.assert_array_equal(merged.to_numpy(), expected.sort_index().to_numpy())


def test_existing_weights_are_summed():
    table = pd.DataFrame({"frequency": [1, 1, 2], "recency": [2, 2, 3], "T": [5, 5, 5],
                          "weights": [3, 4, 1]})
    for data in (table, ibis.memtable(table), pa.Table.from_pandas(table)):
        frame = grouped_frame(data, COLUMNS, "BetaGeo", compress=True)
        assert sorted(frame["weights"].tolist()) == [1, 7]


def test_null_in_an_ibis_table_is_a_data_error(cdnow):
    table = ibis.memtable(cdnow[COLUMNS].assign(T=cdnow["T"].where(cdnow.index != 5)))
    with pytest.raises(DataError, match="'T' has 1 missing"):
        BetaGeo().fit(table)
    model = BetaGeo.from_params(r=0.24, alpha=4.4, a=0.79, b=2.4)
    with pytest.raises(DataError, match="'T' has 1 missing"):
        model.probability_alive(table)


def test_scalars_in_a_mapping_are_broadcast():
    arrays = column_arrays({"frequency": [0, 1, 2], "recency": 1.0, "T": 3}, COLUMNS, "BetaGeo")
    assert [a.shape for a in arrays.values()] == [(3,)] * 3
    np.testing.assert_array_equal(arrays["T"], [3.0, 3.0, 3.0])


def test_unique_codes_rebuild_the_columns():
    rng = np.random.default_rng(1)
    columns = [rng.integers(0, n, 500).astype(float) for n in (5, 7, 3)]
    codes, values = unique_codes(*columns)
    assert codes.max() + 1 == len(values[0]) == len({tuple(r) for r in np.column_stack(columns)})
    for column, value in zip(columns, values, strict=True):
        np.testing.assert_array_equal(value[codes], column)
