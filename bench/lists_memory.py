"""Peak memory of the customer lists (issue 16, point 7): an API answer and a CSV download of
the retention, win-back and up-sell lists, each in a fresh process on an analysed database.

    .venv/bin/python bench/lists_memory.py --db ANALYSED.duckdb [--duckdb-memory 1GB]
                                           [--steps retention-api ...]

Each step opens the database read-only with DuckDB capped at ``--duckdb-memory`` (it spills
beyond), computes what the server computes for the request and reports the wall time and the
process's peak resident memory (``os.wait4``: imports and DuckDB's buffer included). Run it
with another checkout first on ``PYTHONPATH`` (e.g. ``main``) for a before/after: before
point 7 an API answer held the whole list as Python records and a download built it as a
DataFrame and CSV bytes in memory; after, DuckDB writes the list to a file once, the answer
reads a page of it and the download streams it.
"""

from __future__ import annotations

import argparse
import inspect
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("retention-api", "retention-csv", "winback-api", "winback-csv", "up-sell-api",
         "up-sell-csv")
PAGE = 1_000  # the API's page


def worker(step: str, db: str, cap: str) -> None:
    from valuecrm import views
    from valuecrm.store import connect
    from valuecrm.views import cross_sell

    kind, what = step.rsplit("-", 1)
    paged = "limit" in inspect.signature(views.action_list).parameters
    folder = tempfile.mkdtemp(prefix="lists-memory-")
    started = time.perf_counter()
    with connect(db, read_only=True) as database:
        database.raw.execute(f"SET memory_limit = '{cap}'")  # DuckDB's share, spilling beyond
        if paged:  # computed in this step, not read from an earlier step's file
            import shutil

            from valuecrm.views.stored_lists import _folder

            shutil.rmtree(_folder(database), ignore_errors=True)
        if what == "api":  # the answer of GET /api/actions/{kind} or /api/cross-sell/up-sell
            page = {"limit": PAGE} if paged else {}
            found = (cross_sell.up_sell(database, **page) if kind == "up-sell"
                     else views.action_list(database, kind, **page))
            rows, shown = found["rows"], len(found["customers"])
        else:  # the dashboard's download
            target = Path(folder) / "list.csv"
            if paged and kind == "up-sell":
                rows = cross_sell.export_offers(database, "up-sell", target)
            elif paged:
                from valuecrm.views.lists import export_action_list

                rows = export_action_list(database, kind, target)[0]
            else:
                from valuecrm.store.csv_export import frame_csv_bytes

                if kind == "up-sell":
                    frame = cross_sell.campaign_list(cross_sell.up_sell(database))
                else:
                    from valuecrm.actions import retention_list, winback_list

                    frame = (retention_list if kind == "retention" else winback_list)(database)
                target.write_bytes(frame_csv_bytes(frame))
                rows = len(frame)
            shown = rows
    print(f"{rows} {shown} {time.perf_counter() - started:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--steps", nargs="*", default=list(STEPS), choices=STEPS)
    parser.add_argument("--duckdb-memory", default="1GB",
                        help="DuckDB's memory limit in each step (it spills beyond it), so the "
                             "peak shows what Python holds")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if not args.db:
        parser.error("--db (an analysed database) is required")
    import valuecrm

    print(f"lists on {args.db}, code {Path(valuecrm.__file__).parent}, DuckDB memory limit "
          f"{args.duckdb_memory}")
    print(f"{'step':<16}{'rows':>10}{'answered':>10}{'wall s':>9}{'peak MB':>9}")
    for step in args.steps:
        process = subprocess.Popen([sys.executable, __file__, "--worker", step, args.db,
                                    args.duckdb_memory],
                                   stdout=subprocess.PIPE, text=True)
        out = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        if status:
            print(f"{step:<16} failed ({status})")
            continue
        rows, shown, wall = out.split()[-3:]
        print(f"{step:<16}{int(rows):>10,}{int(shown):>10,}{float(wall):>9.1f}"
              f"{usage.ru_maxrss / 1024:>9,.0f}", flush=True)


if __name__ == "__main__":
    main()
