"""Downloads of whole lists: written by DuckDB to a temporary file, sent from it in chunks
(``FileResponse``) and deleted once sent, so no list is held in memory whole (issue 16,
point 7)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from valuecrm.store.csv_export import CSV_MEDIA_TYPE

MEDIA = {"csv": CSV_MEDIA_TYPE, "parquet": "application/vnd.apache.parquet"}


def file_download(write: Callable[[str], int], suffix: str, filename: str
                  ) -> tuple[FileResponse, int]:
    """``write(path)`` fills a temporary ``.suffix`` file (and says how many rows); the answer
    that sends it as ``filename`` (deleted afterwards) and the rows."""
    handle, path = tempfile.mkstemp(prefix="valuecrm-download-", suffix=f".{suffix}")
    os.close(handle)
    try:
        rows = write(path)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=MEDIA[suffix], filename=filename,
                        headers={"X-Rows": str(rows)},
                        background=BackgroundTask(os.unlink, path)), rows
