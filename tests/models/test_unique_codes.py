"""Distinct rows by hashing: the codes and values give back every column, collisions or not."""

import numpy as np

from valuecrm.models import distinct_rows
from valuecrm.models.distinct_rows import unique_codes


def test_codes_and_values_give_back_the_columns():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, 10_000).astype(float)
    t = np.round(rng.uniform(0, 3, 10_000), 1)
    big_t = np.where(rng.random(10_000) < 0.5, 0.0, -0.0)  # -0.0 and 0.0 are one value
    codes, values = unique_codes(x, t, big_t)
    for value, column in zip(values, (x, t, big_t), strict=True):
        np.testing.assert_array_equal(value[codes], column)
    distinct = {(a, b, c + 0.0) for a, b, c in zip(x, t, big_t, strict=True)}
    assert len(values[0]) == len(distinct)


def test_a_hash_collision_falls_back_to_exact_grouping(monkeypatch):
    monkeypatch.setattr(distinct_rows, "_row_hash", lambda arrays: np.zeros(arrays[0].size,
                                                                       dtype=np.uint64))
    x = np.array([1.0, 2.0, 1.0, 3.0])
    y = np.array([5.0, 5.0, 5.0, 6.0])
    codes, (vx, vy) = unique_codes(x, y)
    np.testing.assert_array_equal(vx[codes], x)
    np.testing.assert_array_equal(vy[codes], y)
    assert len(vx) == 3
