"""``analyze`` end to end on a generated base: time, CPU and peak memory per stage.

    .venv/bin/python bench/analyze_scale.py [--customers 1000000] [--quick] [--work DIR]
                                            [--runs 1] [--json OUT] [--label NAME]

Makes the base once with the generator (``valuecrm --db base.duckdb generate -n N``: about 10
orders per customer, so 1M customers give 10M orders; loaded through the validating ingestion)
under ``--work`` (default ``/tmp/analyzeperf/``, never in the repository) and reuses it. Each run
copies the base, then runs ``valuecrm.analyze`` on the copy in a fresh process. Per stage of
:func:`valuecrm.analysis.pipeline.analyze` (history and summary in the engine, model choice on
the holdout, prediction, labels, counts, writing the snapshot) it reports the wall time, the
process's CPU time (user + system, all threads) and the peak resident memory of that stage
(``VmHWM``, reset at each stage start through ``/proc/self/clear_refs``); the whole run's
wall, CPU and peak come from ``os.wait4``. The machine's 1-minute load average is shown beside
each run: on a shared machine the wall time is stretched by other work much more than the CPU
time. ``--quick``: 100,000 customers. Target (issue 16, point 5): under 30 s and 3 GB at 1M.

Run with another checkout's code (e.g. ``main`` for a before/after) by putting it first on
``PYTHONPATH``: the worker process imports whichever ``valuecrm`` it finds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from stage_table import load_average, print_stages

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0
TARGET_PEAK_MB = 3072


def executable() -> str:
    """The ``valuecrm`` of the environment running this script (the repo's .venv by default)."""
    here = Path(sys.executable).with_name("valuecrm")
    return str(here if here.exists() else ROOT / ".venv" / "bin" / "valuecrm")


def make_base(work: Path, customers: int) -> Path:
    """The generated base of ``customers`` customers (made once, then reused)."""
    base = work / f"base_{customers}.duckdb"
    if base.exists():
        return base
    work.mkdir(parents=True, exist_ok=True)
    partial = work / f"partial_{customers}.duckdb"
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run([executable(), "--db", str(partial), "generate", "-n", str(customers),
                    "--out", str(work / f"generated_{customers}")], check=True)
    print(f"generated and ingested {customers:,} customers in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    partial.rename(base)
    return base


def _hwm_mb() -> float:
    """The process's peak resident memory since the last reset (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_hwm() -> None:
    # not Linux: the peak then accumulates over the stages
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def worker(database: str, out: str) -> None:
    """Run ``analyze`` on ``database`` with the stages' CPU time and peak memory recorded."""
    import valuecrm
    from valuecrm.analysis import pipeline

    stages: list[dict] = []
    original = pipeline._stopwatch

    def stopwatch(timings: dict, advance: object) -> object:
        mark = original(timings, advance)
        last = [time.perf_counter(), time.process_time()]
        _reset_hwm()

        def timed_mark(step: str) -> None:
            mark(step)
            now = [time.perf_counter(), time.process_time()]
            stages.append({"stage": step, "wall_s": round(now[0] - last[0], 2),
                           "cpu_s": round(now[1] - last[1], 2),
                           "peak_mb": round(_hwm_mb()), "load": load_average()})
            last[:] = [time.perf_counter(), time.process_time()]
            _reset_hwm()

        return timed_mark

    pipeline._stopwatch = stopwatch
    started = time.perf_counter()
    with valuecrm.connect(database) as db:
        before = [time.perf_counter(), time.process_time()]
        stages.append({"stage": "open", "wall_s": round(before[0] - started, 2),
                       "cpu_s": round(before[1], 2), "peak_mb": round(_hwm_mb()),
                       "load": load_average()})
        snapshot = valuecrm.analyze(db)
        # every column but the id, bit for bit, in any row order: equal runs print equal
        columns = [c for (c, *_) in db.raw.execute("DESCRIBE customer_value").fetchall()
                   if c != "snapshot_id"]
        rows = db.raw.execute(
            "SELECT count(*), sum(clv), sum(p_alive), "
            f"bit_xor(hash({', '.join(map(repr, columns)).replace(chr(39), chr(34))})) "
            "FROM customer_value WHERE snapshot_id = ?", [snapshot.snapshot_id]).fetchone()
    Path(out).write_text(json.dumps({
        "valuecrm": valuecrm.__file__, "stages": stages, "model": snapshot.model,
        "prediction_timings_s": snapshot.metadata.get("prediction_timings_s"),
        "rows": rows[0], "sum_clv": rows[1], "sum_p_alive": rows[2], "fingerprint": rows[3],
        "counts": snapshot.counts}))


def run_once(base: Path, work: Path, label: str) -> dict:
    """Copy the base and analyse it in a fresh process; the result with whole-run figures."""
    copy = work / f"run_{label}.duckdb"
    shutil.copyfile(base, copy)
    out = work / f"run_{label}.json"
    load = load_average()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--worker", str(copy), str(out)])
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    copy.unlink(missing_ok=True)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"analyze failed (exit {os.waitstatus_to_exitcode(status)})")
    result = json.loads(out.read_text())
    result.update(label=label, wall_s=round(wall, 2),
                  cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
                  peak_mb=round(usage.ru_maxrss / 1024), load_start=load,
                  load_end=load_average(), uptime=_uptime())
    return result


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def show(result: dict, customers: int) -> None:
    print(f"\n{result['label']}: analyze on {customers:,} customers "
          f"({result['counts'].get('purchase_orders', 0):,} purchase orders), "
          f"model {result['model']}, code {result['valuecrm']}")
    met = result["wall_s"] < TARGET_SECONDS and result["peak_mb"] < TARGET_PEAK_MB
    print_stages(result, 14, "(target met)" if met else "")
    print(f"prediction sub-steps (wall s): {result['prediction_timings_s']}")
    print(f"check: {result['rows']:,} rows, sum CLV {result['sum_clv']:.6f}, "
          f"sum P(alive) {result['sum_p_alive']:.6f}, fingerprint of every value "
          f"{result['fingerprint']}")
    print(result["uptime"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 customers")
    parser.add_argument("--work", type=Path, default=Path("/tmp/analyzeperf"))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--label", default="run")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    customers = 100_000 if args.quick else args.customers
    base = make_base(args.work, customers)
    results = []
    for i in range(args.runs):
        result = run_once(base, args.work, f"{args.label}{i + 1 if args.runs > 1 else ''}")
        show(result, customers)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps({"customers": customers, "runs": results}, indent=1))


if __name__ == "__main__":
    main()
