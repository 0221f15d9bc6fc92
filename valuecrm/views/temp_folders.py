"""Temporary folders named after the process that made them, so that the folders a crashed
process left behind can be found and removed by the next one.

A server removes its lookup copy's folder when it stops (:mod:`valuecrm.views.lookup_copy`);
a process that crashes or is killed cannot. :func:`process_folder` makes the folder
``<prefix><pid>-<random>`` in the system's temporary directory and, the first time a process
asks for a prefix, removes the folders of that prefix whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

_swept: set[str] = set()  # prefixes already swept by this process
_lock = threading.Lock()


def process_folder(prefix: str) -> Path:
    """A new folder ``<prefix><pid>-...`` in the temporary directory, after removing (once
    per process and prefix) the folders left by processes that have ended."""
    with _lock:
        if prefix not in _swept:
            _swept.add(prefix)
            remove_stale_folders(prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_stale_folders(prefix: str, directory: Path | None = None) -> list[Path]:
    """Remove the folders ``<prefix><pid>-...`` of ``directory`` (the temporary directory by
    default) whose process ``pid`` no longer runs; return them. Folders of running
    processes, and names without a pid, are left alone."""
    root = Path(directory or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for path in root.glob(f"{prefix}*"):
            pid = path.name[len(prefix):].partition("-")[0]
            if path.is_dir() and pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (True when this cannot be told, so nothing is removed)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it runs, under another user
        return True
    return True
