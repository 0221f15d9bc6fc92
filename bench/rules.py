"""Association rules: valuecrm against mlxtend (fpgrowth + association_rules), same rules.

    python bench/rules.py              # full run: writes bench/RULES.md and bench/rules.json
    python bench/rules.py --quick      # a tenth of the Complete Journey baskets, for development
    python bench/rules.py --only groceries

Each case runs in a fresh process per library (valuecrm from the repository's environment,
mlxtend from ``bench/.venv-mlxtend``, made by ``bench/setup mlxtend``). The input is loaded
before the clock starts, in each library's usual form: valuecrm takes the long (basket, item)
frame, mlxtend a one-hot DataFrame (``TransactionEncoder``), whose making is timed where the
case says so. Fast operations run three times and the best time is kept. Memory: the process's
peak resident memory above what it held once the input was loaded (``clear_refs`` resets the
peak), and the whole process's peak.

Cases (data: ``tests/data/groceries``; the Complete Journey tables, ``--cj DIR``):

- ``groceries``: all rules at support 0.001, confidence 0.5 (5,668 single-consequent rules);
  timed: valuecrm ``association_rules``; mlxtend ``fpgrowth`` + ``association_rules``.
- ``cj_category``: one-to-one category rules at support 0.01 (2,098 rules); timed: valuecrm
  ``association_rules(max_len=2)``; mlxtend one-hot + ``fpgrowth(max_len=2)``.
- ``cj_type``: every rule at product-type level at support 0.005; memory compared; timed:
  valuecrm ``association_rules``; mlxtend one-hot + ``fpgrowth`` + ``association_rules``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / "data" / "rules"
PYTHONS = {"valuecrm": REPO / ".venv" / "bin" / "python",
           "mlxtend": BENCH / ".venv-mlxtend" / "bin" / "python"}
CASES = {  # case -> (input file, min_support, min_confidence, max_len)
    "groceries": ("groceries.parquet", 0.001, 0.5, None),
    "cj_category": ("cj_category.parquet", 0.01, 0.0, 2),
    "cj_type": ("cj_type.parquet", 0.005, 0.0, None),
}
TARGETS = {"groceries": "valuecrm at least 5x faster",
           "cj_category": "valuecrm at least 20x faster",
           "cj_type": "valuecrm's peak memory under half of mlxtend's"}


# ------------------------------------------------------------------------------ the worker
def _status() -> dict[str, float]:
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear:  # 5: reset the peak resident size
        clear.write("5")


def _onehot(long: Any) -> Any:
    import pandas as pd
    from mlxtend.preprocessing import TransactionEncoder

    lists = long.groupby("basket_id")["item"].apply(list).tolist()
    encoder = TransactionEncoder()
    return pd.DataFrame(encoder.fit(lists).transform(lists), columns=encoder.columns_)


def _mlxtend(case: str, long: Any) -> tuple[Any, Any]:
    """(prepared input, operation) of mlxtend for ``case``; the operation returns the number
    of rules with one consequent (as arules and valuecrm make them)."""
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    _, support, confidence, max_len = CASES[case]

    def rules(onehot: Any) -> int:
        itemsets = fpgrowth(onehot, min_support=support, max_len=max_len, use_colnames=True)
        found = association_rules(itemsets, num_itemsets=len(onehot), metric="confidence",
                                  min_threshold=confidence)
        return int((found["consequents"].map(len) == 1).sum())

    if case == "groceries":  # one-hot made before the clock
        onehot = _onehot(long)
        return onehot, lambda: rules(onehot)
    if case == "cj_category":  # timed: one-hot + fpgrowth; the rules counted after the clock
        return long, lambda: fpgrowth(_onehot(long), min_support=support, max_len=max_len)
    return long, lambda: rules(_onehot(long))


def _valuecrm(case: str, long: Any) -> tuple[Any, Any]:
    from valuecrm import association_rules

    _, support, confidence, max_len = CASES[case]
    return long, lambda: len(association_rules(long, min_support=support,
                                               min_confidence=confidence, max_len=max_len))


def worker(library: str, case: str, out: Path, repeats: int) -> None:
    import pandas as pd

    long = pd.read_parquet(DATA / CASES[case][0])
    # the prepared input (mlxtend's one-hot for Groceries) is held before the baseline is read
    _input, operation = (_mlxtend if library == "mlxtend" else _valuecrm)(case, long)
    gc.collect()
    before = _status()["VmRSS"]
    _reset_peak()
    runs, cpu_runs, result = [], [], None
    for attempt in range(repeats):
        cpu, started = time.process_time(), time.perf_counter()
        result = operation()
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu)
        if attempt == 0:
            peak = _status()["VmHWM"]
        if runs[-1] > 10:  # slow: once is enough
            break
    if library == "mlxtend" and case == "cj_category":
        from mlxtend.frequent_patterns import association_rules

        result = len(association_rules(result, num_itemsets=long["basket_id"].nunique(),
                                       metric="confidence", min_threshold=0.0))
    version = (__import__("mlxtend").__version__ if library == "mlxtend"
               else __import__("valuecrm").__version__)
    out.write_text(json.dumps({
        "library": library, "version": version, "case": case, "rules": int(result),
        "seconds": min(runs), "runs": runs, "cpu_runs": cpu_runs,
        "input_rss_mb": before, "peak_above_input_mb": peak - before, "process_peak_mb": peak,
        "rows": len(long), "baskets": int(long["basket_id"].nunique()),
        "items": int(long["item"].nunique())}))


# ------------------------------------------------------------------------------ the driver
def prepare(cj_dir: Path, quick: bool) -> None:
    """The inputs as long (basket_id, item) Parquet files under bench/data/rules/."""
    import pandas as pd

    DATA.mkdir(parents=True, exist_ok=True)
    groceries = pd.read_csv(REPO / "tests" / "data" / "groceries" / "groceries_long.csv.gz")
    groceries.rename(columns={"transaction_id": "basket_id"})[["basket_id", "item"]] \
        .to_parquet(DATA / "groceries.parquet")
    lines = pd.read_parquet(cj_dir / "transactions.parquet", columns=["basket_id", "product_id"])
    if quick:
        baskets = lines["basket_id"].drop_duplicates()
        lines = lines[lines["basket_id"].isin(baskets.iloc[::10])]
    products = pd.read_parquet(cj_dir / "products.parquet",
                               columns=["product_id", "product_category", "product_type"])
    joined = lines.merge(products, on="product_id")
    for name, level in (("cj_category", "product_category"), ("cj_type", "product_type")):
        long = (joined[["basket_id", level]].dropna().drop_duplicates()
                .rename(columns={level: "item"}).reset_index(drop=True))
        long.to_parquet(DATA / f"{name}.parquet")


def run(library: str, case: str, repeats: int, env: dict[str, str]) -> dict[str, Any]:
    out = DATA / f"result-{library}-{case}.json"
    out.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    done = subprocess.run([str(PYTHONS[library]), __file__, "--worker", library, case, str(out),
                           str(repeats)], env=env, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        return {"library": library, "case": case, "error": done.stderr.strip()[-600:]}
    return {**json.loads(out.read_text()), "load_average": load}


def report(results: list[dict[str, Any]], quick: bool) -> str:
    by = {(r["library"], r["case"]): r for r in results}
    lines = ["# Association rules: valuecrm against mlxtend", "",
             f"{'Quick run (a tenth of the Complete Journey baskets).' if quick else 'Full run.'}"
             f" Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; the 1-minute load average when each case started "
             "is given (the machine was shared). Made by `python bench/rules.py`.", "",
             "| case | baskets / items | library | rules | seconds (best) | CPU s | peak above "
             "input MB | process peak MB | load |",
             "|---|---|---|---|---|---|---|---|---|"]
    for case in CASES:
        for library in ("valuecrm", "mlxtend"):
            r = by.get((library, case))
            if r is None:
                continue
            if "error" in r:
                lines.append(f"| {case} | | {library} | error: {r['error'][-200:]} |||||")
                continue
            lines.append(
                f"| {case} | {r['baskets']:,} / {r['items']:,} | {library} {r['version']} | "
                f"{r['rules']:,} | {r['seconds']:.3f} | {min(r['cpu_runs']):.3f} | "
                f"{r['peak_above_input_mb']:.0f} | {r['process_peak_mb']:.0f} | "
                f"{r['load_average']:.1f} |")
    lines += ["", "| case | target | speed-up (wall) | speed-up (CPU) | memory ratio | "
              "same rules |", "|---|---|---|---|---|---|"]
    for case in CASES:
        ours, theirs = by.get(("valuecrm", case)), by.get(("mlxtend", case))
        if not ours or not theirs or "error" in ours or "error" in theirs:
            continue
        lines.append(
            f"| {case} | {TARGETS[case]} | {theirs['seconds'] / ours['seconds']:.1f}x | "
            f"{min(theirs['cpu_runs']) / min(ours['cpu_runs']):.1f}x | "
            f"{ours['peak_above_input_mb'] / theirs['peak_above_input_mb']:.2f} | "
            f"{'yes' if ours['rules'] == theirs['rules'] else 'NO'} ({ours['rules']:,}) |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES))
    parser.add_argument("--cj", type=Path,
                        default=REPO.parent / "shared" / "data" / "completejourney",
                        help="folder of the Complete Journey's transactions and products")
    parser.add_argument("--worker", nargs=4, metavar=("LIBRARY", "CASE", "OUT", "REPEATS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        library, case, out, repeats = args.worker
        worker(library, case, Path(out), int(repeats))
        return
    if not PYTHONS["valuecrm"].exists():
        PYTHONS["valuecrm"] = Path(sys.executable)
    prepare(args.cj, args.quick)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"}
    results = []
    for case in args.only or list(CASES):
        for library in ("valuecrm", "mlxtend"):
            if not PYTHONS[library].exists():
                print(f"{library}: {PYTHONS[library]} not found (bench/setup mlxtend)")
                continue
            result = run(library, case, 3, env)
            results.append(result)
            print(json.dumps(result)[:300], flush=True)
    text = report(results, args.quick)
    if not args.quick and not args.only:
        (BENCH / "RULES.md").write_text(text)
        (BENCH / "rules.json").write_text(json.dumps(results, indent=1))
    print(text)


if __name__ == "__main__":
    main()
