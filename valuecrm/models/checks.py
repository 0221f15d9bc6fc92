"""Input checks shared by the models: values, customer summaries, horizons and counts.

Each raises the error a user can act on (:class:`~valuecrm.errors.DataError` for data,
:class:`~valuecrm.errors.ParameterError` for an argument), naming the model (``owner``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from valuecrm.errors import DataError, ParameterError


def check_finite_nonnegative(columns: Mapping[str, np.ndarray]) -> None:
    """Every value finite and >= 0 (counts, times and amounts); a DataError otherwise."""
    for name, values in columns.items():
        bad_nan = int(np.count_nonzero(~np.isfinite(values)))
        if bad_nan:
            raise DataError(
                f"The column {name!r} has {bad_nan} missing or infinite value(s).",
                hint="Drop or fill those rows before fitting or scoring.",
            )
        negative = int(np.count_nonzero(values < 0))
        if negative:
            raise DataError(
                f"The column {name!r} has {negative} negative value(s); counts, times and "
                "amounts must be >= 0.",
                hint="Check how the summary was computed (time measured from the first purchase).",
            )


def check_summary(data: Mapping[str, np.ndarray], owner: str, fitting: bool) -> None:
    """Consistency of a (frequency, recency, T) summary; with ``fitting`` also identifiability."""
    x, t_x, big_t = data["frequency"], data["recency"], data["T"]
    if np.greater(t_x, big_t).any():
        raise DataError(
            f"{int(np.count_nonzero(t_x > big_t))} row(s) have recency greater than T.",
            hint="recency (time of the last repeat purchase) and T (age) are both measured from "
            "each customer's first purchase, in the same unit.",
        )
    if not fitting:
        return
    w = data["weights"]
    if w.sum() < 2:
        raise DataError(f"{owner} needs more than one customer to fit.")
    if not np.any(x > 0):
        raise DataError(
            f"No customer made a repeat purchase (frequency is 0 everywhere), so {owner} cannot "
            "learn a purchase rate.",
            hint="Use a longer calibration period or check that frequency counts repeat purchases.",
        )
    if not np.any(big_t > 0):
        raise DataError(
            f"All purchases fall on one day (T is 0 for every customer), so {owner} has no time "
            "to learn from.",
            hint="End the calibration period after the first purchases, or check the time unit.",
        )


def check_horizon(t: Any, name: str, owner: str) -> Any:
    """``t`` (a number or an array) as floats, each finite and >= 0; a ParameterError naming
    ``name`` of ``owner`` otherwise."""
    value = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(value) & (value >= 0)):
        raise ParameterError.of(name, owner, "a float >= 0", t)
    return value


def check_count(n: Any, owner: str) -> int:
    """``n`` as an int >= 0 (not a bool); a ParameterError naming ``n`` of ``owner`` otherwise."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ParameterError.of("n", owner, "an int >= 0", n)
    return int(n)
