"""Temporary folders of crashed processes are removed (valuecrm.views.temp_folders): a server
killed while its lookup copy existed left a ``valuecrm-lookups-*`` folder in the temporary
directory for good; the next process to build a copy now removes it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from valuecrm.views import temp_folders
from valuecrm.views.lookup_copy import build_copy, drop_copies

CRASHING_SERVER = """
import os, signal, sys
import duckdb
from valuecrm.views.lookup_copy import build_copy, _files
con = duckdb.connect(sys.argv[1])
alias = build_copy(con.cursor(), lambda: True)
print(_files[alias], flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # a crash: nothing is cleaned up
"""


def _database(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE customers AS SELECT i::VARCHAR AS customer_id, "
                    "NULL::VARCHAR AS name, NULL::VARCHAR AS email FROM range(7) t(i)")
        con.execute("CREATE TABLE orders AS SELECT (i % 7)::VARCHAR AS customer_id, i AS amount "
                    "FROM range(50) t(i)")
    return path


@pytest.mark.skipif(os.name != "posix", reason="a killed process is told by its pid on POSIX")
def test_the_lookup_folder_of_a_crashed_server_is_removed_by_the_next_copy(
        tmp_path: Path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    crashed = subprocess.run([sys.executable, "-c", CRASHING_SERVER,
                              str(_database(tmp_path / "a.duckdb"))],
                             env=env, capture_output=True, text=True, timeout=120)
    left = Path(crashed.stdout.strip())
    assert left.parent == temp and left.is_dir(), crashed.stderr

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(temp_folders, "_swept", set())
    with duckdb.connect(str(_database(tmp_path / "b.duckdb"))) as con:
        cur = con.cursor()
        assert build_copy(cur, lambda: True) is not None
        assert not left.exists()
        assert [p.name.split("-")[2] for p in temp.iterdir()] == [str(os.getpid())]
        drop_copies(cur)
    assert list(temp.iterdir()) == []


def test_folders_of_running_processes_and_foreign_names_are_kept(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    names = [f"x-{dead}-abc", f"x-{os.getpid()}-abc", f"x-{os.getppid()}-abc", "x-abc",
             "y-1-abc"]
    for name in names:
        (tmp_path / name).mkdir()
    removed = temp_folders.remove_stale_folders("x-", tmp_path)
    assert [p.name for p in removed] == ([f"x-{dead}-abc"] if os.name == "posix" else [])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for n in names if n not in {p.name for p in removed})
