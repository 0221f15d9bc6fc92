"""What every case worker shares: timing rule, memory reading, command line and JSON output.

Standard library only: imported by the workers of valuecrm, lifetimes and pymc-marketing, each
running in its own environment. A worker is ``python bench/case_<library>.py CASE DATA_DIR OUT``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPEAT_BELOW_SECONDS = 10.0  # an operation faster than this is run 3 times, the best is kept
REPEATS = 3

Case = Callable[[Path], dict[str, Any]]


CPU_RUNS: list[float] = []  # CPU seconds (all threads) of the runs of ``repeat``


def timed(operation: Callable[[], Any]) -> tuple[Any, float]:
    """The result of ``operation()`` and the wall-clock seconds it took."""
    started = time.perf_counter()
    result = operation()
    return result, time.perf_counter() - started


def _timed_with_cpu(operation: Callable[[], Any]) -> tuple[Any, float]:
    cpu = time.process_time()
    result, seconds = timed(operation)
    CPU_RUNS.append(time.process_time() - cpu)
    return result, seconds


def repeat(operation: Callable[[], Any]) -> tuple[Any, list[float]]:
    """Run ``operation`` once, and twice more when it took under REPEAT_BELOW_SECONDS.

    The same rule for every library; the report uses the best (smallest) time. The CPU time
    of each run (every thread of the process) goes to CPU_RUNS: it is what the operation cost
    even when other processes share the machine.
    """
    result, first = _timed_with_cpu(operation)
    seconds = [first]
    if first < REPEAT_BELOW_SECONDS:
        for _ in range(REPEATS - 1):
            result, again = _timed_with_cpu(operation)
            seconds.append(again)
    return result, seconds


def rss_mb() -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of this process, in MB."""
    values: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return {"rss_mb": values.get("VmRSS", float("nan")),
            "peak_rss_mb": values.get("VmHWM", float("nan"))}


def main(cases: dict[str, Case], library: str, version: str) -> None:
    parser = argparse.ArgumentParser(description=f"Run one benchmark case with {library}.")
    parser.add_argument("case", choices=sorted(cases))
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    before = rss_mb()["rss_mb"]
    record = cases[args.case](args.data_dir)
    record.update(library=library, version=version, case=args.case,
                  rss_after_imports_mb=before, **rss_mb())
    if "runs" in record:
        record["seconds"] = min(record["runs"])
        record["cpu_runs"] = CPU_RUNS
        record["cpu_seconds"] = min(CPU_RUNS)
    args.out.write_text(json.dumps(record, indent=2, default=float))
    print(json.dumps({k: record[k] for k in ("case", "seconds") if k in record}), file=sys.stderr)
