"""``analyze`` on 10M customers and 100M orders read in place from Parquet, on DuckDB and on
Spark local[2]: time, CPU and peak memory per stage (issue 16, point 5).

    .venv/bin/python bench/analyze_100m.py [--scale 1] [--engines duckdb,spark]
                                           [--spark-scale 0.1] [--work DIR] [--seed 16]
                                           [--json OUT]

1. **Data** (made once under ``--work``, default ``/tmp/valuecrm-100m/``, then reused):
   ``10M x scale`` customers and their orders as Parquet files, one file per million customers.
   Each customer follows the BG/NBD story of the generator's defaults
   (:mod:`valuecrm.synthetic.config`: purchase rate ``lambda ~ Gamma(r=1, alpha=2.6)`` per week,
   dropout after each repeat purchase with ``p ~ Beta(a=1.4, b=14)``, spend per order
   ``Gamma(p=6.25, nu)`` with ``nu ~ Gamma(q=3.74, gamma=15.44)``), first purchase uniform over
   the three years up to 2024-12-31: ``N ~ Poisson(lambda T)`` potential repeat purchases in the
   customer's time ``T``, ``K ~ Geometric(p)`` until dropout; ``min(N, K)`` repeats at uniform
   times (when ``N > K`` the K-th falls at the K-th of N uniform order statistics, a Beta draw,
   the earlier ones before it). 1.5% of orders are returned, 1% cancelled; cost 55-75% of the
   amount. numpy draws the numbers (seeded per million customers: the same seed and scale give
   the same files) and puts each file in time order; DuckDB writes the strings and Parquet.
2. **DuckDB, in place**: a new valuecrm database whose ``orders`` and ``customers`` are views
   over the Parquet files (the other tables are empty; ``analyze`` reads orders and customers
   only, plus order lines, interactions, complaints, loyalty and referrals when there are any);
   then ``valuecrm.analyze`` with the snapshot stored in that database.
3. **Spark local[2]**: the same files as Spark tables (``CREATE TABLE ... USING parquet``, the
   empty tables from empty Parquet files), ``valuecrm.analyze(valuecrm.connect_ibis(con))`` with
   the snapshot written into Spark, on ``--spark-scale`` (default 0.1: 1M customers, the
   largest it finishes in reasonable time; DuckDB's run at that size is the comparison).

Each engine runs in a fresh process. Per stage of :func:`valuecrm.analysis.pipeline.analyze` it
prints wall time, CPU time (user + system, all threads; with Spark, of Python and the JVM) and
the stage's peak resident memory (``VmHWM`` reset at each stage; with Spark, Python's plus the
JVM's), then the whole process's figures (``wait4``; Spark: Python's + the JVM's peaks), the
load average, and a check that both engines stored the same value table (rows, sums of CLV and
P(alive), customers per status). Target (issue 16): under 10 minutes and 8 GB at full scale.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from stage_table import load_average, print_stages

ROOT = Path(__file__).resolve().parent.parent
CUSTOMERS = 10_000_000
CHUNK = 1_000_000  # customers per Parquet file and per seeded draw
END = "2024-12-31"
YEARS = 3
SPARK_SCALE = 0.1  # 1M customers, ~11M orders: about 30 times DuckDB's time at that size
TARGET_SECONDS = 600.0
TARGET_PEAK_MB = 8192
# BG/NBD and Gamma-Gamma of the generator's defaults (valuecrm.synthetic.config)
R, ALPHA, A, B = 1.0, 2.6, 1.4, 14.0
P, Q, GAMMA = 6.25, 3.74, 15.44
STATUSES = ("completed", "returned", "cancelled")
STATUS_SHARES = (0.975, 0.015, 0.01)
CHANNELS = ("web", "store", "app")
REGIONS = ("north", "south", "east", "west", "central")


# -- data ------------------------------------------------------------------------------------

def data_folder(work: Path, customers: int, seed: int) -> Path:
    return work / f"data_{customers}_seed{seed}"


def make_data(work: Path, customers: int, seed: int) -> tuple[Path, dict]:
    """The Parquet files of ``customers`` customers (made once, then reused) and their facts."""
    folder = data_folder(work, customers, seed)
    done = folder / "done.json"
    if done.exists():
        return folder, json.loads(done.read_text())
    import duckdb

    shutil.rmtree(folder, ignore_errors=True)
    (folder / "orders").mkdir(parents=True)
    (folder / "customers").mkdir()
    con = duckdb.connect()
    con.execute("SET memory_limit = '3GB'")
    con.execute("SET preserve_insertion_order = false")
    started, cpu = time.perf_counter(), time.process_time()
    orders = 0
    for chunk, first in enumerate(range(0, customers, CHUNK)):
        size = min(CHUNK, customers - first)
        people, bought = _draw_chunk(seed, chunk, first, size, orders)
        orders += bought.num_rows
        con.register("people", people)
        con.register("bought", bought)
        con.execute(f"""COPY (SELECT printf('C%08d', idx) AS customer_id,
                   NULL::VARCHAR AS name, NULL::VARCHAR AS email, NULL::VARCHAR AS phone,
                   CASE gender WHEN 0 THEN 'F' ELSE 'M' END AS gender, birth_year,
                   ['{"','".join(REGIONS)}'][region + 1] AS region, NULL::VARCHAR AS city,
                   ['{"','".join(CHANNELS)}'][channel + 1] AS signup_channel,
                   signup_at, NULL::VARCHAR AS income_band
            FROM people ORDER BY idx) TO '{folder}/customers/part-{chunk:03d}.parquet'
            (FORMAT parquet, COMPRESSION zstd)""")
        con.execute(f"""COPY (SELECT printf('O%010d', order_no) AS order_id,
                   printf('C%08d', idx) AS customer_id, ordered_at,
                   round(amount, 2) AS amount, round(amount * cost_share, 2) AS cost,
                   NULL::DOUBLE AS margin, quantity,
                   ['{"','".join(CHANNELS)}'][channel + 1] AS channel,
                   ['{"','".join(STATUSES)}'][status + 1] AS status
            FROM bought)
            TO '{folder}/orders/part-{chunk:03d}.parquet'
            (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)""")
        con.unregister("people")
        con.unregister("bought")
        del people, bought
        print(f"  data: {first + size:,} customers, {orders:,} orders "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    con.close()
    facts = {"customers": customers, "orders": orders, "seed": seed,
             "seconds": round(time.perf_counter() - started, 1),
             "cpu_s_python": round(time.process_time() - cpu, 1),
             "bytes": sum(f.stat().st_size for f in folder.rglob("*.parquet"))}
    done.write_text(json.dumps(facts))
    return folder, facts


def _draw_chunk(seed: int, chunk: int, first: int, size: int, order_offset: int) -> tuple:
    """One million customers' numbers (numpy, seeded by ``(seed, chunk)``) as Arrow tables."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rng = np.random.default_rng([seed, chunk])
    end = pd.Timestamp(END) + pd.Timedelta(days=1)  # orders up to the end of END
    start = end - pd.DateOffset(years=YEARS)
    length_days = (end - start).days
    start_us = start.value // 1000
    day_us = 86_400_000_000
    t0 = rng.random(size) * length_days  # first purchase, days after start
    span = length_days - t0  # T, days
    rate = rng.gamma(R, 1.0 / ALPHA, size) / 7.0  # per day
    dropout = rng.beta(A, B, size)
    until = rng.geometric(dropout)  # repeat purchases until dropout
    potential = rng.poisson(rate * span)
    pinned = potential > until
    repeats = np.where(pinned, until, potential)
    # the K-th of N uniform order statistics: where the active time ends when N > K
    active = np.where(pinned, span * rng.beta(np.maximum(until, 1),
                                                 np.maximum(potential - until, 0) + 1), span)
    nu = rng.gamma(Q, 1.0 / GAMMA, size)
    counts = 1 + repeats
    total = int(counts.sum())
    owner = np.repeat(np.arange(size), counts)
    k = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    u = rng.random(total)
    last = k == counts[owner] - 1
    offset = np.where(k == 0, 0.0,
                      np.where(last & pinned[owner], active[owner], u * active[owner]))
    when = start_us + ((t0[owner] + offset) * day_us).astype(np.int64)
    amount = np.maximum(rng.gamma(P, 1.0 / nu[owner]), 0.5)
    status = _categories(rng, STATUS_SHARES, total)
    cost_share = 0.55 + 0.2 * rng.random(total)
    quantity = (1 + rng.poisson(0.6, total)).astype(np.int64)
    channel = _categories(rng, (0.6, 0.3, 0.1), total)
    order = np.argsort(when, kind="stable")  # the file in time order, as orders arrive
    bought = pa.table({
        "order_no": pa.array(order_offset + np.arange(total, dtype=np.int64)),
        "idx": pa.array((first + owner[order]).astype(np.int64)),
        "ordered_at": pa.array(when[order].astype("datetime64[us]")),
        "amount": pa.array(amount[order]),
        "cost_share": pa.array(cost_share[order]),
        "quantity": pa.array(quantity[order]),
        "channel": pa.array(channel[order]),
        "status": pa.array(status[order]),
    })
    signup = start_us + (np.maximum(t0 - rng.random(size) * 14.0, 0.0) * day_us).astype(np.int64)
    people = pa.table({
        "idx": pa.array(first + np.arange(size, dtype=np.int64)),
        "gender": pa.array(rng.integers(0, 2, size).astype(np.int8)),
        "birth_year": pa.array(rng.integers(1945, 2006, size).astype(np.int64)),
        "region": pa.array(rng.integers(0, len(REGIONS), size).astype(np.int8)),
        "channel": pa.array(_categories(rng, (0.6, 0.3, 0.1), size)),
        "signup_at": pa.array(signup.astype("datetime64[us]")),
    })
    return people, bought


def _categories(rng: object, shares: tuple[float, ...], size: int) -> object:
    """``size`` draws of 0, 1, ... with these ``shares`` (int8)."""
    import numpy as np

    return np.searchsorted(np.cumsum(shares[:-1]), rng.random(size), side="right").astype(
        np.int8)


# -- measuring ---------------------------------------------------------------------------------

def _status(pid: int | str, field: str) -> float:
    """A ``/proc/PID/status`` field in MB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> list[int]:
    """The process ids of this process's children (the JVM under PySpark)."""
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _cpu_s(pid: int | str) -> float:
    """User + system CPU seconds of a process and its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall, CPU and peak resident memory of this process and its children, per stage."""

    def __init__(self) -> None:
        self.stages: list[dict] = []
        self.peaks: dict[int | str, float] = {}
        self._start()

    def _pids(self) -> list[int | str]:
        return ["self", *_children()]

    def _start(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = {pid: _cpu_s(pid) for pid in self._pids()}
        for pid in self._pids():
            with contextlib.suppress(OSError):  # not Linux: peaks accumulate
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def mark(self, stage: str) -> None:
        pids = self._pids()
        hwm = {pid: _status(pid, "VmHWM") for pid in pids}
        for pid, mb in hwm.items():
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
        cpu = sum(_cpu_s(pid) - self.cpu.get(pid, 0.0) for pid in pids)
        self.stages.append({"stage": stage, "wall_s": round(time.perf_counter() - self.wall, 2),
                            "cpu_s": round(cpu, 2), "peak_mb": round(sum(hwm.values())),
                            "load": load_average()})
        # as it happens, so that a run stopped before its end still shows its stages
        print(f"  [{time.strftime('%H:%M:%S')}] stage done: {self.stages[-1]}", flush=True)
        self._start()

    def hooked(self) -> None:
        """Mark each stage of ``analyze`` (its ``_stopwatch``)."""
        from valuecrm.analysis import pipeline

        original = pipeline._stopwatch

        def stopwatch(timings: dict, advance: object) -> object:
            mark = original(timings, advance)

            def timed(step: str) -> None:
                mark(step)
                self.mark(step)

            return timed

        pipeline._stopwatch = stopwatch


# -- the engines ---------------------------------------------------------------------------------

def duckdb_worker(folder: str, work: str, out: str) -> None:
    """Views over the Parquet files in a new database, then ``analyze`` into it."""
    import valuecrm
    from valuecrm.store.memory import ANALYZE_MEMORY_LIMIT

    # DuckDB's cap during analyze (default 1500MB: too little for 109M orders)
    limit = os.environ.get("ANALYZE_MEMORY") or ANALYZE_MEMORY_LIMIT
    meter = Meter()
    meter.hooked()
    path = Path(work) / "inplace.duckdb"
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(path.with_suffix(".duckdb.tmp"), ignore_errors=True)
    with valuecrm.connect(path) as db:
        for table in ("orders", "customers"):
            db.raw.execute(f'DROP TABLE "{table}"')
            db.raw.execute(f"CREATE VIEW \"{table}\" AS SELECT * FROM "
                           f"read_parquet('{folder}/{table}/*.parquet')")
        meter.mark("open in place")
        snapshot = valuecrm.analyze(db, memory_limit=limit)
        table = db.table("customer_value")
        table = table.filter(table.snapshot_id == snapshot.snapshot_id)
        check = _check(table)
        columns = [c for (c, *_) in db.raw.execute("DESCRIBE customer_value").fetchall()
                   if c != "snapshot_id"]
        check["fingerprint"] = db.raw.execute(
            f"SELECT bit_xor(hash({', '.join(chr(34) + c + chr(34) for c in columns)})) "
            "FROM customer_value WHERE snapshot_id = ?", [snapshot.snapshot_id]).fetchone()[0]
    meter.mark("check")
    path.unlink(missing_ok=True)
    _write(out, meter, snapshot, check, valuecrm.__file__)


def spark_worker(folder: str, work: str, out: str) -> None:
    """The Parquet files as Spark tables, then ``analyze`` with the snapshot in Spark."""
    import ibis
    from pyspark.sql import SparkSession

    import valuecrm

    meter = Meter()
    meter.hooked()
    warehouse = Path(work) / "spark-warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    session = (SparkSession.builder.master("local[2]").appName("valuecrm-100m")
               .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "6g"))
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions(folder)))
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.warehouse.dir", str(warehouse))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(Path(work) / "spark-local"))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    meter.mark("start Spark")
    session.sql("CREATE DATABASE IF NOT EXISTS bench100m")
    session.catalog.setCurrentDatabase("bench100m")
    empty = Path(work) / "empty_tables"
    for table in valuecrm.store.TABLES:
        source = (Path(folder) / table if table in ("orders", "customers")
                  else empty / f"{table}.parquet")
        session.sql(f"CREATE TABLE `{table}` USING parquet LOCATION '{source}'")
    db = valuecrm.connect_ibis(ibis.pyspark.connect(session))
    meter.mark("open in place")
    snapshot = valuecrm.analyze(db)
    table = db.table("customer_value")
    check = _check(table.filter(table.snapshot_id == snapshot.snapshot_id))
    meter.mark("check")
    session.stop()
    _write(out, meter, snapshot, check, valuecrm.__file__)


def shuffle_partitions(folder: str) -> int:
    """Spark's partitions after a shuffle (``$SPARK_SHUFFLE_PARTITIONS``, else one per 500,000
    customers, at least 4): Spark's default, 200, is for clusters; on local[2] each of the
    analysis' shuffles then runs 200 small tasks (at 100k customers the history took twice
    the CPU), while a few per core keep both cores busy and each task's share in memory."""
    if os.environ.get("SPARK_SHUFFLE_PARTITIONS"):
        return int(os.environ["SPARK_SHUFFLE_PARTITIONS"])
    customers = json.loads((Path(folder) / "done.json").read_text())["customers"]
    return max(4, customers // 500_000)


def _empty_tables(work: Path) -> Path:
    """Each canonical table but orders and customers as an empty Parquet file, for Spark."""
    import valuecrm

    folder = work / "empty_tables"
    folder.mkdir(parents=True, exist_ok=True)
    with valuecrm.connect(":memory:") as db:
        for table in valuecrm.store.TABLES:
            db.raw.execute(f"COPY \"{table}\" TO '{folder / table}.parquet' (FORMAT parquet)")
    return folder


def _check(table: object) -> dict:
    """What both engines must agree on: rows, sums, customers per status."""
    totals = table.aggregate(rows=table.count(), clv=table.clv.sum(),
                             p_alive=table.p_alive.sum()).to_pandas().iloc[0]
    status = table.group_by("status").agg(n=table.count()).to_pandas()
    return {"rows": int(totals["rows"]), "sum_clv": float(totals["clv"]),
            "sum_p_alive": float(totals["p_alive"]),
            "status": {str(s): int(n) for s, n in sorted(zip(status["status"], status["n"],
                                                             strict=True))}}


def _write(out: str, meter: Meter, snapshot: object, check: dict, code: str) -> None:
    Path(out).write_text(json.dumps({
        "stages": meter.stages, "process_peaks_mb": {str(k): round(v)
                                                      for k, v in meter.peaks.items()},
        "model": snapshot.model, "counts": snapshot.counts, "check": check, "valuecrm": code,
        "prediction_timings_s": snapshot.metadata.get("prediction_timings_s")}))


def run_engine(engine: str, folder: Path, work: Path) -> dict:
    """One engine's analysis in a fresh process, with its whole-run figures."""
    out = work / f"result_{engine}.json"
    out.unlink(missing_ok=True)
    if engine == "spark":
        _empty_tables(work)
    load = load_average()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--worker", engine, str(folder),
                                str(work), str(out)])
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return {"engine": engine, "failed": f"exit {code}", "wall_s": round(wall, 1)}
    result = json.loads(out.read_text())
    # wait4 sees the worker (the JVM is not reaped by it): the stages' CPU includes the JVM's,
    # and the peak is the sum of the processes' peaks the worker saw
    peaks = sum(result["process_peaks_mb"].values())
    result.update(engine=engine, wall_s=round(wall, 2),
                  cpu_s=round(max(usage.ru_utime + usage.ru_stime,
                                  sum(s["cpu_s"] for s in result["stages"])), 2),
                  peak_mb=max(round(usage.ru_maxrss / 1024), peaks),
                  load_start=load, load_end=load_average())
    return result


# -- output --------------------------------------------------------------------------------------

def show(result: dict) -> None:
    """One run's table."""
    fact = result["data"]
    print(f"\n{result['engine']}: analyze on {fact['customers']:,} customers, "
          f"{fact['orders']:,} orders read in place ({fact['bytes'] / 1e9:.2f} GB of Parquet)")
    if "failed" in result:
        print(f"  failed ({result['failed']}) after {result['wall_s']} s")
        return
    met = result["wall_s"] < TARGET_SECONDS and result["peak_mb"] < TARGET_PEAK_MB
    print_stages(result, 16, "(under 10 min and 8 GB)" if met else "")
    print(f"  model {result['model']}; prediction sub-steps (wall s): "
          f"{result['prediction_timings_s']}; peak per process (MB): "
          f"{result['process_peaks_mb']}")
    check = result["check"]
    print(f"  check: {check['rows']:,} rows, sum CLV {check['sum_clv']:.6f}, sum P(alive) "
          f"{check['sum_p_alive']:.6f}, status {check['status']}")
    if "fingerprint" in check:
        print(f"  fingerprint of every stored value {check['fingerprint']}")


def compare(results: list[dict]) -> None:
    """DuckDB beside Spark on the same data: stage by stage, and whether they agree."""
    done = {(r["engine"], r["data"]["customers"]): r for r in results if "failed" not in r}
    for (engine, customers), spark in done.items():
        duck = done.get(("duckdb", customers))
        if engine != "spark" or duck is None:
            continue
        print(f"\nDuckDB and Spark local[2] on {customers:,} customers "
              f"({spark['data']['orders']:,} orders)")
        print(f"{'stage':<16}{'DuckDB wall':>12}{'CPU':>8}{'MB':>7}"
              f"{'Spark wall':>12}{'CPU':>8}{'MB':>7}")
        stages = {s["stage"]: s for s in duck["stages"]}
        for other in spark["stages"]:
            stage = stages.get(other["stage"])
            mine = ("" if stage is None else f"{stage['wall_s']:>12.1f}{stage['cpu_s']:>8.1f}"
                    f"{stage['peak_mb']:>7,}")
            print(f"{other['stage']:<16}{mine:>27}{other['wall_s']:>12.1f}"
                  f"{other['cpu_s']:>8.1f}{other['peak_mb']:>7,}")
        print(f"{'whole process':<16}{duck['wall_s']:>12.1f}{duck['cpu_s']:>8.1f}"
              f"{duck['peak_mb']:>7,}{spark['wall_s']:>12.1f}{spark['cpu_s']:>8.1f}"
              f"{spark['peak_mb']:>7,}")
        a, b = duck["check"], spark["check"]
        same = (a["rows"] == b["rows"] and a["status"] == b["status"]
                and abs(a["sum_clv"] - b["sum_clv"]) <= 1e-6 * max(abs(a["sum_clv"]), 1)
                and abs(a["sum_p_alive"] - b["sum_p_alive"]) <= 1e-6 * max(a["sum_p_alive"], 1))
        print(f"they stored {'the same' if same else 'DIFFERENT'} value tables (rows, customers "
              "per status, sums of CLV and P(alive) to 1e-6)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of 10M customers (0.01: 100k customers, about 1M orders)")
    parser.add_argument("--spark-scale", type=float, default=SPARK_SCALE,
                        help="Spark's share of 10M customers (default 0.1: at full size Spark "
                             "local[2] would take hours); DuckDB runs at that size too")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--work", type=Path, default=Path("/tmp/valuecrm-100m"))
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        make_data(Path(args.generate[0]), int(args.generate[1]), int(args.generate[2]))
        return
    if args.worker:
        engine, folder, work, out = args.worker
        (duckdb_worker if engine == "duckdb" else spark_worker)(folder, work, out)
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    spark_scale = min(args.spark_scale, args.scale)
    runs = [("duckdb", args.scale)] if "duckdb" in engines else []
    if "spark" in engines:
        if "duckdb" in engines and spark_scale != args.scale:
            runs.append(("duckdb", spark_scale))  # the comparison on Spark's data
        runs.append(("spark", spark_scale))
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')}; load {load_average()}", flush=True)
    results = []
    for engine, scale in runs:
        customers = max(round(CUSTOMERS * scale), 1000)
        started = time.perf_counter()
        folder = data_folder(args.work, customers, args.seed)
        if not (folder / "done.json").exists():  # in a process of its own: its memory is not
            subprocess.run([sys.executable, __file__, "--generate", str(args.work),  # counted
                            str(customers), str(args.seed)], check=True)     # in analyze's
        folder, facts = make_data(args.work, customers, args.seed)
        print(f"data: {customers:,} customers, {facts['orders']:,} orders in {folder} "
              f"(made in {facts['seconds']} s; this time "
              f"{time.perf_counter() - started:.1f} s)", flush=True)
        result = run_engine(engine, folder, args.work)
        result["data"] = facts
        results.append(result)
        show(result)
    compare(results)
    if args.json:
        args.json.write_text(json.dumps({"runs": results}, indent=1))


if __name__ == "__main__":
    main()
