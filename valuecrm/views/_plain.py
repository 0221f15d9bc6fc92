"""Plain data: Python values that JSON keeps as they are (what every view returns)."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import math
from typing import Any


def plain(value: Any) -> Any:
    """``value`` with numpy and pandas scalars as Python ones, missing values and NaN as None,
    dates and times as ISO strings, Decimals as floats; dicts, lists and tuples walked."""
    kind = type(value)  # the common exact types first: a 360 view holds about a thousand
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return None if math.isnan(value) or math.isinf(value) else value
    if kind is dict:
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None:
        return None
    if type(value).__name__ == "datetime64":  # numpy's: .item() would give nanoseconds
        import pandas as pd

        value = pd.Timestamp(value)
    elif hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):  # pandas Timestamps too (NaT is one)
        return None if value != value else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def records(frame: Any) -> list[dict[str, Any]]:
    """The rows of a pandas DataFrame as plain dicts."""
    return [plain(row) for row in frame.to_dict("records")]
