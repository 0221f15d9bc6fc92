"""Loading a line-level sales file (one row per product per invoice) with ``valuecrm ingest``.

    .venv/bin/python bench/ingest_lines.py [--lines 5000000] [--quick] [--work DIR] [--json F]

Makes the data once with the generator (``valuecrm generate --format csv --lines
sales.csv``: the Online Retail shape, with cancellations, guest lines, duplicates and
adjustments; then ``sales.csv.gz`` with Python's gzip, level 6), and reuses them on the next run.
Then, each in a fresh database and a fresh process, times:

- the same sales loaded as orders today: ``valuecrm ingest orders orders.csv
  --create-customers`` (one row per order, the generator's ``orders.csv``);
- the line file, CSV and gzip: ``valuecrm ingest orders sales.csv --map ... --create-customers``
  (grouped into orders, order lines and products as it loads).

Time is the wall time of the whole command (starting Python and the imports included; the
load's own time from its JSON report is shown beside it), lines/s is the file's lines over
that time, peak is the process's peak resident memory (``ru_maxrss`` from ``os.wait4``), CPU is
the process's user + system time (from ``os.wait4`` too), and CPU / wall how many cores the load
kept busy on average: DuckDB runs each large step on both cores of the 2-core test machine, so
on an idle machine the wall time comes near half the CPU time; other work on the machine
stretches the wall time much more than the CPU time. The 1-minute load average is shown beside
each run.
Targets (issue 18): 200,000 lines/s or more, peak under 1.5 GB, on 5M lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_CUSTOMER = 21.0  # what the generator's defaults give (42,018 lines for 2,000)
LINE_MAPPING = ("InvoiceNo=order_id", "StockCode=product_id", "Description=product_name",
                "Quantity=quantity", "InvoiceDate=ordered_at", "UnitPrice=unit_price",
                "CustomerID=customer_id")
TARGET_LINES_PER_SECOND = 200_000
TARGET_PEAK_MB = 1536


def executable() -> str:
    """The ``valuecrm`` of the environment running this script (the repo's .venv by default)."""
    here = Path(sys.executable).with_name("valuecrm")
    return str(here if here.exists() else ROOT / ".venv" / "bin" / "valuecrm")


def lines_available() -> bool:
    """Whether this valuecrm groups line files into orders (issue 18's line loading)."""
    probe = ("import importlib.util, sys; "
             "sys.exit(0 if importlib.util.find_spec('valuecrm.store.ingest.line_items') "
             "else 1)")
    return subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def count_lines(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b"")) - 1


def make_data(work: Path, n_lines: int, seed: int) -> dict[str, Path]:
    """The generated tables and line files for about ``n_lines`` lines (reused if present)."""
    customers = max(50, math.ceil(n_lines / LINES_PER_CUSTOMER))
    folder = work / f"data-{customers}-{seed}"
    files = {"orders": folder / "tables" / "orders.csv", "csv": folder / "sales.csv",
             "gzip": folder / "sales.csv.gz"}
    if not files["csv"].exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([executable(), "generate", "-n", str(customers), "--seed", str(seed),
                        "--format", "csv", "--out", str(folder / "tables"),
                        "--lines", str(files["csv"])], check=True, stdout=subprocess.DEVNULL)
        print(f"generated {customers:,} customers in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    if not files["gzip"].exists():
        partial = files["gzip"].with_suffix(".part")
        with files["csv"].open("rb") as source, gzip.open(partial, "wb", 6) as out:
            shutil.copyfileobj(source, out, 1 << 22)
        partial.rename(files["gzip"])
    return files


def load(work: Path, case: str, source: Path, *options: str) -> dict[str, object]:
    """``valuecrm ingest orders SOURCE`` into a new database: wall time, peak memory, report."""
    db = work / f"{case}.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    subprocess.run([executable(), "--db", str(db), "init"], check=True,
                   stdout=subprocess.DEVNULL)
    command = [executable(), "--db", str(db), "ingest", "orders", str(source),
               "--create-customers", "--json", *options]
    load_average = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if code != 0:
        raise SystemExit(f"{case} failed ({code}): {errors.decode()[-2000:]}")
    report = json.loads(output)
    db.unlink(missing_ok=True)
    return {"case": case, "wall_seconds": wall, "load_seconds": report.get("elapsed"),
            "rows_read": report.get("rows_read"), "peak_mb": usage.ru_maxrss / 1024,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "load_average": load_average, "report": {k: report.get(k) for k in (
                "rows_read", "rows_inserted", "rows_rejected", "lines", "warnings")}}


def table(results: list[dict[str, object]], n_lines: int) -> str:
    rows = ["| load | rows read | wall time | load time | CPU time | CPU / wall | "
            "lines/s (wall) | lines/s (CPU) | peak memory | load average |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        wall = float(r["wall_seconds"])  # type: ignore[arg-type]
        cpu = float(r["cpu_seconds"])  # type: ignore[arg-type]
        rows.append(f"| {r['case']} | {r['rows_read']:,} | {wall:.1f} s | "
                    f"{r['load_seconds']:.1f} s | {cpu:.1f} s | {cpu / wall:.2f} | "
                    f"{n_lines / wall:,.0f} | "
                    f"{n_lines / cpu:,.0f} | {r['peak_mb']:,.0f} MB | "
                    f"{r['load_average']:.1f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5_000_000, help="about this many lines")
    parser.add_argument("--quick", action="store_true", help="50,000 lines (a smoke test)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "data" / "ingest_lines")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    n_target = 50_000 if args.quick else args.lines
    args.work.mkdir(parents=True, exist_ok=True)
    files = make_data(args.work, n_target, args.seed)
    n_lines, n_orders = count_lines(files["csv"]), count_lines(files["orders"])
    mapping = [part for pair in LINE_MAPPING for part in ("--map", pair)]
    results = [load(args.work, f"orders today ({n_orders:,} orders, CSV)", files["orders"])]
    grouped = lines_available()
    if grouped:
        results += [load(args.work, f"line file ({n_lines:,} lines, CSV)", files["csv"],
                         *mapping),
                    load(args.work, f"line file ({n_lines:,} lines, gzip)", files["gzip"],
                         *mapping)]
    print(f"valuecrm at {_commit()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{n_lines:,} lines = {n_orders:,} orders")
    print(table(results, n_lines))
    if not grouped:
        print("line file: not run (this valuecrm does not group line files into orders yet)")
    for r in results[1:]:
        rate = n_lines / float(r["wall_seconds"])  # type: ignore[arg-type]
        peak = float(r["peak_mb"])  # type: ignore[arg-type]
        met = rate >= TARGET_LINES_PER_SECOND and peak < TARGET_PEAK_MB
        print(f"target (>= {TARGET_LINES_PER_SECOND:,} lines/s, peak < 1.5 GB), "
              f"{r['case']}: {'met' if met else 'not met'}")
    if args.json:
        args.json.write_text(json.dumps({"lines": n_lines, "orders": n_orders,
                                         "commit": _commit(), "results": results}, indent=2,
                                        default=str))


def _commit() -> str:
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, check=False)
    return found.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
