"""Benchmark: valuecrm's TwoModelUplift against scikit-uplift's TwoModels on Hillstrom.

Usage (after ``bench/setup uplift``): ``python bench/uplift.py [--quick] [--repeats N]``.

REFERENCE.md's protocol: Womens E-Mail against No E-Mail, outcome visit, a 70/30 split
stratified by arm x outcome with seed 0 (made once here and handed to both workers as row
indices). scikit-uplift fits ``TwoModels(GradientBoostingClassifier(), GradientBoostingClassifier(),
method="vanilla")`` in ``bench/.venv-uplift``; valuecrm fits ``TwoModelUplift()`` (its default:
histogram gradient boosting with GradientBoostingClassifier's defaults) in this interpreter.
Each worker is a fresh process, single-threaded (``OMP_NUM_THREADS=1`` etc. for both: the
machine is shared), timed from the fit's start to the predictions (wall and CPU seconds; the
median of ``--repeats`` runs). The Qini AUC of both predictions is computed by both libraries'
functions. ``--quick`` fits on a 20% subsample of the training part. Writes
``bench/uplift_results.json`` (or ``..._quick.json``) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = ROOT / "valuecrm" / "datasets" / "data" / "hillstrom.csv.gz"
PEER_PYTHON = BENCH / ".venv-uplift" / "bin" / "python"
FEATURES = ["recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie",
            "channel"]
SINGLE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                         "MKL_NUM_THREADS")}

# One worker, run as ``python -c WORKER LIBRARY SPLIT.json OUT.npy``: reads the split, fits,
# predicts the test rows, writes the uplift and prints the timing as JSON.
WORKER = r"""
import json, sys, time, resource
import numpy as np, pandas as pd
library, split_path, out_path = sys.argv[1:4]
split = json.loads(open(split_path).read())
h = pd.read_csv(split["data"])
h = h[h["segment"].isin(["Womens E-Mail", "No E-Mail"])].reset_index(drop=True)
X = pd.get_dummies(h[split["features"]], dtype=float)
t = (h["segment"] == "Womens E-Mail").astype(int).to_numpy()
y = h["visit"].to_numpy()
train, test = np.array(split["train"]), np.array(split["test"])
if library == "valuecrm":  # imports before the clock, for both
    from valuecrm import TwoModelUplift
    from valuecrm.models.uplift import default_estimator
    default_estimator(True)
else:
    from sklearn.ensemble import GradientBoostingClassifier
    from sklift.models import TwoModels
wall, cpu = time.perf_counter(), time.process_time()
if library == "valuecrm":
    uplift = TwoModelUplift().fit(X.iloc[train], t[train], y[train]).predict(X.iloc[test])
else:
    model = TwoModels(GradientBoostingClassifier(), GradientBoostingClassifier(),
                      method="vanilla")
    model.fit(X.iloc[train], y[train], t[train])
    uplift = model.predict(X.iloc[test])
seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
np.save(out_path, np.asarray(uplift, dtype=float))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak}))
"""

# Scores predictions with one library's Qini AUC: ``python -c SCORE SPLIT.json A.npy B.npy``.
SCORE = r"""
import json, sys
import numpy as np, pandas as pd
split = json.loads(open(sys.argv[1]).read())
h = pd.read_csv(split["data"])
h = h[h["segment"].isin(["Womens E-Mail", "No E-Mail"])].reset_index(drop=True)
test = np.array(split["test"])
t = (h["segment"] == "Womens E-Mail").astype(int).to_numpy()[test]
y = h["visit"].to_numpy()[test]
try:
    from valuecrm import qini_auc_score
except ImportError:
    from sklift.metrics import qini_auc_score
print(json.dumps([float(qini_auc_score(y, np.load(p), t)) for p in sys.argv[2:]]))
"""


def make_split(quick: bool) -> dict:
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import train_test_split

    h = pd.read_csv(DATA)
    h = h[h["segment"].isin(["Womens E-Mail", "No E-Mail"])].reset_index(drop=True)
    strata = (h["segment"] == "Womens E-Mail").astype(int).astype(str) + "_" + \
        h["visit"].astype(str)
    train, test = train_test_split(np.arange(len(h)), test_size=0.3, random_state=0,
                                   stratify=strata)
    if quick:
        train = np.sort(np.random.default_rng(0).choice(train, len(train) // 5, replace=False))
    return {"data": str(DATA), "features": FEATURES, "train": train.tolist(),
            "test": test.tolist()}


def run_worker(python: str, library: str, split_path: Path, out: Path) -> dict:
    env = {**os.environ, **SINGLE_THREAD, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([python, "-c", WORKER, library, str(split_path), str(out)],
                          capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{library} worker failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def score(python: str, split_path: Path, predictions: list[Path]) -> list[float]:
    env = {**os.environ, **SINGLE_THREAD, "PYTHONPATH": str(ROOT)}
    if python == str(PEER_PYTHON):
        env.pop("PYTHONPATH")  # the peer scores with scikit-uplift's own function
    done = subprocess.run([python, "-c", SCORE, str(split_path), *map(str, predictions)],
                          capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"scoring failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fit on 20%% of the training part")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not PEER_PYTHON.exists():
        raise SystemExit("No bench/.venv-uplift: run 'bench/setup uplift' first.")
    with tempfile.TemporaryDirectory(prefix="valuecrm-uplift-bench-") as folder:
        tmp = Path(folder)
        split_path = tmp / "split.json"
        split = make_split(args.quick)
        split_path.write_text(json.dumps(split))
        runs: dict[str, list[dict]] = {"valuecrm": [], "scikit-uplift": []}
        outs = {"valuecrm": tmp / "valuecrm.npy", "scikit-uplift": tmp / "sklift.npy"}
        load = os.getloadavg()[0]
        for _ in range(args.repeats):  # alternate, so both see the same machine load
            runs["valuecrm"].append(run_worker(sys.executable, "valuecrm", split_path,
                                               outs["valuecrm"]))
            runs["scikit-uplift"].append(run_worker(str(PEER_PYTHON), "sklift", split_path,
                                                    outs["scikit-uplift"]))
        order = [outs["valuecrm"], outs["scikit-uplift"]]
        by_valuecrm = score(sys.executable, split_path, order)
        by_sklift = score(str(PEER_PYTHON), split_path, order)
    result = {"quick": args.quick, "repeats": args.repeats, "load_average_at_start": load,
              "train_rows": len(split["train"]), "test_rows": len(split["test"]),
              "finished": time.strftime("%Y-%m-%d %H:%M:%S"), "libraries": {}}
    for i, name in enumerate(runs):
        result["libraries"][name] = {
            "seconds": statistics.median(r["seconds"] for r in runs[name]),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs[name]),
            "peak_mb": max(r["peak_mb"] for r in runs[name]),
            "qini_auc_valuecrm": by_valuecrm[i], "qini_auc_scikit_uplift": by_sklift[i]}
    ours, peer = result["libraries"]["valuecrm"], result["libraries"]["scikit-uplift"]
    result["speedup_wall"] = peer["seconds"] / ours["seconds"]
    result["speedup_cpu"] = peer["cpu_seconds"] / ours["cpu_seconds"]
    result["qini_difference"] = ours["qini_auc_valuecrm"] - peer["qini_auc_valuecrm"]
    name = "uplift_results_quick.json" if args.quick else "uplift_results.json"
    (BENCH / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"Hillstrom uplift (Womens vs control, visit), {args.repeats} runs, load "
          f"{load:.1f} at start{' (quick)' if args.quick else ''}:")
    for lib, r in result["libraries"].items():
        print(f"  {lib:<14} {r['seconds']:7.2f} s wall  {r['cpu_seconds']:7.2f} s CPU  "
              f"Qini AUC {r['qini_auc_valuecrm']:.4f} (scikit-uplift's function: "
              f"{r['qini_auc_scikit_uplift']:.4f})")
    print(f"  speed-up {result['speedup_wall']:.1f}x wall, {result['speedup_cpu']:.1f}x CPU; "
          f"Qini difference {result['qini_difference']:+.4f}")


if __name__ == "__main__":
    main()
