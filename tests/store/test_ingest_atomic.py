"""A load is one transaction: a process killed (SIGKILL) or interrupted (Ctrl-C) in the middle
of writing leaves the database exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from valuecrm.store import connect

ROWS = 100_000

# The child loads the file; it announces the write, and waits before COMMIT so that the kill
# always lands inside the transaction, either during the INSERT or just before the COMMIT.
CHILD = textwrap.dedent("""
    import sys, time
    import valuecrm.store.ingest as ingest_module
    from valuecrm.store import connect

    original = ingest_module.write

    def write(*args, before_commit=None, **kwargs):
        print("WRITING", flush=True)

        def hold():
            print("COMMITTING", flush=True)
            time.sleep(60)

        return original(*args, before_commit=hold, **kwargs)

    ingest_module.write = write
    db = connect(sys.argv[1])
    db.ingest("orders", sys.argv[2], create_customers=True)
    print("DONE", flush=True)
""")


def snapshot(path: Path) -> tuple[dict[str, int], int]:
    with connect(path) as db:
        loads = db.raw.execute("SELECT count(*) FROM _valuecrm_loads").fetchone()[0]
        return db.counts(), int(loads)


@pytest.fixture
def big_orders(tmp_path: Path) -> Path:
    target = tmp_path / "orders.csv"
    duckdb.sql(
        f"COPY (SELECT 'big' || i AS order_id, 'c' || (i % 20000) AS customer_id, "
        f"TIMESTAMP '2023-01-01' + to_minutes(i) AS ordered_at, (i % 997) / 10 AS amount "
        f"FROM range({ROWS}) t(i)) TO '{target}' (HEADER)")
    return target


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_load_leaves_the_database_unchanged(db_path, tmp_path, big_orders, sig):
    small = tmp_path / "first.csv"
    small.write_text("order_id,customer_id,ordered_at,amount\no1,c1,2024-01-05,10\n",
                     encoding="utf-8")
    with connect(db_path) as db:
        db.ingest("orders", small, create_customers=True)
    before = snapshot(db_path)
    assert before[0]["orders"] == 1 and before[1] == 1

    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), str(db_path), str(big_orders)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "WRITING"
        time.sleep(0.1)  # into the INSERT (or, on a fast machine, waiting before COMMIT)
        child.send_signal(sig)
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert "DONE" not in out
    assert child.returncode != 0

    assert snapshot(db_path) == before
    with connect(db_path) as db:  # and the database still takes loads afterwards
        small.write_text("order_id,customer_id,ordered_at,amount\no2,c1,2024-01-06,10\n",
                         encoding="utf-8")
        assert db.ingest("orders", small).rows_inserted == 1
        assert db.counts()["orders"] == 2
