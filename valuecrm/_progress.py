"""Progress bars for long work, shown on a terminal and silent elsewhere (tests, pipes, CI)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def progress_enabled() -> bool:
    """On when stderr is a terminal, unless ``VALUECRM_PROGRESS=0``; ``=1`` forces it on."""
    flag = os.environ.get("VALUECRM_PROGRESS")
    if flag is not None:
        return flag not in ("0", "false", "no", "")
    return sys.stderr.isatty()


@contextmanager
def progress(description: str, total: float | None = None,
             unit: str = "rows") -> Iterator[Callable[..., None]]:
    """A progress bar; yields ``advance(n=1, description=None)`` (a new description names the
    stage now running). ``total=None`` shows a spinner with a count."""
    if not progress_enabled():
        yield lambda n=1, description=None: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn(unit), TimeElapsedColumn(),
               TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1, description: str | None = None) -> None:
            bar.update(task, advance=n, description=description)

        yield advance
