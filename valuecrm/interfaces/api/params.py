"""Parameters several routes share, declared once so the OpenAPI contract is as strict as the
server: a snapshot key (``latest``, an id, or an as-of date) in a path or a query."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

from valuecrm.errors import NotFoundError

SNAPSHOT_PATTERN = (r"^(latest|[0-9]{1,18}|[1-9][0-9]{3}-(0[1-9]|1[0-2])-"
                    r"(0[1-9]|[12][0-9]|3[01]))$")
_SNAPSHOT_HELP = "A snapshot id (`3`), an as-of date (`1998-06-30`) or `latest`."
SnapshotPath = Annotated[str, Path(pattern=SNAPSHOT_PATTERN, max_length=18,
                                   description=_SNAPSHOT_HELP, examples=["latest"])]
SnapshotQuery = Annotated[str, Query(pattern=SNAPSHOT_PATTERN, max_length=18,
                                     description=_SNAPSHOT_HELP)]


WhereQuery = Annotated[list[Annotated[str, Field(max_length=200)]] | None, Query(
    max_length=20, description=(
        "Keep customers whose attribute has this value: ATTRIBUTE=VALUE, e.g. age=45-54 (a "
        "fixed customers column or an extra attribute; repeat to combine)."))]


def snapshot_key(text: str) -> int | dt.date | None:
    """The key :func:`valuecrm.analysis.get_snapshot` takes (None for ``latest``); a date the
    calendar lacks (``2023-02-30``) names no snapshot: NotFoundError."""
    if text == "latest":
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NotFoundError(f"There is no snapshot {text!r}: that day is not in the calendar.",
                            hint="GET /api/snapshots lists the snapshots.") from None


PAGE_LIMIT = 1_000  # rows of a list in one answer unless `limit` says otherwise
OffsetQuery = Annotated[int, Query(ge=0, le=100_000_000, description=(
    "The first row of the list to answer (0: from the start); `rows` counts them all."))]
LimitQuery = Annotated[int, Query(ge=1, le=100_000, description=(
    "Rows of the list in this answer (a page); ask again with `offset` for the next."))]

# the action lists' options, shared by the paged answer and the whole-list export
TopQuery = Annotated[int | None, Query(ge=1, le=1_000_000, description=(
    "Keep the first N rows (default: all)."))]
MinDropQuery = Annotated[float | None, Query(ge=0.0, le=1.0, description=(
    "Retention only: also list customers (not lost) whose P(alive) fell by at least this "
    "much since the previous snapshot."))]
