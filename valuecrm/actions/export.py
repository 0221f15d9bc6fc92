"""Export an action list for a campaign tool: CSV or Parquet, by extension.

CSV is written for people by :func:`valuecrm.store.csv_export.write_csv` (UTF-8 with a BOM,
booleans ``true`` / ``false``, ISO dates)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.store.csv_export import write_frame_csv

FORMATS = {".csv": "CSV", ".parquet": "Parquet"}


def export_list(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (``.csv`` or ``.parquet``); return the path written.

    CSV follows :mod:`valuecrm.store.csv_export`; Parquet keeps the column types. The folder
    must exist.
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
        write_frame_csv(frame, target)
    else:
        frame.to_parquet(target, index=False)
    return target
