"""Export an action list for a campaign tool: CSV (UTF-8 with a header) or Parquet, by extension."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from valuecrm.errors import ParameterError

FORMATS = {".csv": "CSV", ".parquet": "Parquet"}


def export_list(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (``.csv`` or ``.parquet``); return the path written.

    Dates are written as ISO dates in CSV; Parquet keeps the column types. The folder must exist.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError.of("frame", "export_list", "a pandas DataFrame", frame)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ParameterError.of("path", "export_list", "a file name ending in .csv or .parquet",
                                str(path))
    if not target.parent.exists():
        raise ParameterError(f"The folder {target.parent} does not exist.",
                             hint="Create it first, or give another --out path.")
    if suffix == ".csv":
        frame.to_csv(target, index=False, date_format="%Y-%m-%d")
    else:
        frame.to_parquet(target, index=False)
    return target
