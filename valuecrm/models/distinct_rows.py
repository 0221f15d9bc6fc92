"""Distinct rows of numeric columns: codes into them and their values, by hashing.

The models evaluate costly special functions once per distinct value (or tuple of values) of
their inputs, and group identical rows of their data into weights; this is the one grouping
they share (customer histories build on it in :mod:`valuecrm.models.histories`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def unique_codes(*columns: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Codes of the distinct rows of ``columns`` (hashing, no sort) and those rows' values.

    ``values[k][codes]`` gives back ``columns[k]``; use it to evaluate costly special functions
    once per distinct value (or tuple of values) instead of once per row. Several columns are
    hashed into one 64-bit key and factorised once; the result is verified against the columns
    and, in the (astronomically unlikely) case of a hash collision, computed pairwise instead.
    """
    if len(columns) == 1:
        codes, uniques = pd.factorize(columns[0])
        return codes, [np.asarray(uniques, dtype=float)]
    arrays = [np.ascontiguousarray(column, dtype=float) + 0.0 for column in columns]  # -0 -> 0
    codes, _ = pd.factorize(_row_hash(arrays))
    first = np.empty(int(codes.max()) + 1 if codes.size else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)  # first row of each code
    values = [array[first] for array in arrays]
    if all(_same(value[codes], array) for value, array in zip(values, arrays, strict=True)):
        return codes, values
    return _unique_codes_pairwise(arrays)


def _row_hash(arrays: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each row's float bit patterns (splitmix64-style mixing)."""
    key = np.zeros(arrays[0].size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for array in arrays:
            key ^= array.view(np.uint64)
            key *= np.uint64(0x9E3779B97F4A7C15)
            key ^= key >> np.uint64(31)
    return key


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a, b) or bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def _unique_codes_pairwise(arrays: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    codes, uniques = pd.factorize(arrays[0])
    values = [np.asarray(uniques, dtype=float)]
    for column in arrays[1:]:
        inner, inner_uniques = pd.factorize(column)
        codes, pair_uniques = pd.factorize(codes.astype(np.int64) * len(inner_uniques) + inner)
        values = [v[pair_uniques // len(inner_uniques)] for v in values]
        values.append(np.asarray(inner_uniques, dtype=float)[pair_uniques % len(inner_uniques)])
    return codes, values
