"""Benchmark valuecrm against lifetimes and pymc-marketing in one run; write RESULTS.md.

Usage: ``python bench/run.py [--quick] [--limit SECONDS] [--only CASE ...]`` after
``bench/setup``. Data sets are generated once into bench/data/<full|quick>/; each case runs in a
fresh process per library (harness.py), one at a time; parity.py runs last.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_PYTHON = BENCH_DIR.parent / ".venv" / "bin" / "python"

if Path(sys.prefix).resolve() != REPO_PYTHON.parent.parent.resolve() and REPO_PYTHON.exists():
    os.execv(str(REPO_PYTHON), [str(REPO_PYTHON), __file__, *sys.argv[1:]])  # numpy, pyarrow

sys.path.insert(0, str(BENCH_DIR))

import datagen  # noqa: E402
import report  # noqa: E402
from harness import Outcome, available, run_case  # noqa: E402
from parity import run_parity  # noqa: E402

SIZES = {
    "full": {"bg_nbd": 1_000_000, "pareto_small": 100_000, "pareto_large": 1_000_000,
             "gamma_gamma": 1_000_000, "orders": 10_000_000, "scoring": 10_000_000},
    "quick": {"bg_nbd": 20_000, "pareto_small": 2_000, "pareto_large": 20_000,
              "gamma_gamma": 20_000, "orders": 200_000, "scoring": 200_000},
}
ALL = ("valuecrm", "lifetimes", "pymc-marketing")
PEER_LIMITS = {"scoring": 180.0}  # lifetimes scores 10M customers in ~10 min: cap it (seconds)
WITHOUT_PYMC = ("valuecrm", "lifetimes")
# case: (title with a {n} for its size, size key, libraries)
CASES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "bg_nbd": ("BG/NBD fit, {n} customers", "bg_nbd", ALL),
    "pareto_small": ("Pareto/NBD fit, {n} customers", "pareto_small", ALL),
    "pareto_large": ("Pareto/NBD fit, {n} customers", "pareto_large", ALL),
    "gamma_gamma": ("Gamma-Gamma fit, {n} repeat buyers", "gamma_gamma", ALL),
    "rfm_summary": ("RFM summary, {n} orders (Parquet)", "orders", WITHOUT_PYMC),
    "rfm_summary_csv": ("RFM summary, {n} orders (CSV)", "orders", WITHOUT_PYMC),
    "scoring": ("Scoring {n} customers (P(alive), E[purchases], CLV)", "scoring", WITHOUT_PYMC),
}


def _log(message: str) -> None:
    print(message, flush=True)


def _skipped(case: str, library: str, done: list[Outcome], limit: float) -> Outcome | None:
    """A skipped outcome for a case whose 10x smaller sibling already timed out or extrapolates
    past the limit (10 x the customers takes about 10 x the time for these fits on raw rows);
    None to run it."""
    if case != "pareto_large":
        return None
    for outcome in done:
        if outcome.library == library and outcome.case == "pareto_small":
            if outcome.status == "timeout":
                return Outcome(library, case, "skipped", limit_seconds=limit,
                               detail="not run: the 10x smaller case already timed out")
            if outcome.status == "ok" and 10 * outcome.seconds > limit:
                estimate = 10 * outcome.seconds
                return Outcome(
                    library, case, "skipped", limit_seconds=limit,
                    detail=f"not run: the 10x smaller case took {outcome.seconds:.0f} s, so "
                    f"this one would take about {estimate:.0f} s > {limit:.0f} s",
                    record={"estimated_seconds": estimate})
    return None


def _valuecrm_commit() -> str:
    """The repository's commit, with ``+dirty`` when valuecrm/ has uncommitted changes."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=BENCH_DIR.parent, capture_output=True,
                              text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "valuecrm") else "")


def _machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--limit", type=float, default=600.0,
                        help="seconds allowed to one case with one library (default 600)")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run these cases only")
    parser.add_argument("--no-parity", action="store_true", help="skip the parity check")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    sizes = SIZES[mode]
    data_dir = BENCH_DIR / "data" / mode
    started = time.perf_counter()
    commit = _valuecrm_commit()
    _log(f"Generating data in {data_dir} (once)")
    datagen.generate(data_dir, sizes, log=_log)
    if available("pymc-marketing"):
        _log("Warming PyTensor's compile cache (not timed)")
        run_case("pymc-marketing", "warmup", data_dir, args.limit)
    outcomes: list[Outcome] = []
    for case in args.only or CASES:
        title, size_key, libraries = CASES[case]
        for library in libraries:
            outcome = _skipped(case, library, outcomes, args.limit)
            if outcome is None:
                limit = args.limit
                if library != "valuecrm" and case in PEER_LIMITS:
                    limit = min(limit, PEER_LIMITS[case])
                outcome = run_case(library, case, data_dir, limit)
            outcomes.append(outcome)
            _log(f"{title.format(n=f'{sizes[size_key]:,}')} | {library}: {outcome.status} "
                 f"{outcome.seconds:.2f} s (process {outcome.wall_seconds:.1f} s, "
                 f"peak {outcome.peak_rss_mb:.0f} MB) {outcome.detail}")
    parity = {} if args.no_parity else run_parity(BENCH_DIR / "data" / "parity", log=_log)
    results = {
        "mode": mode, "machine": _machine(), "valuecrm_commit": commit, "sizes": sizes,
        "limit_seconds": args.limit,
        "titles": {case: CASES[case][0].format(n=f"{sizes[CASES[case][1]]:,}") for case in CASES},
        "outcomes": [o.as_dict() for o in outcomes], "parity": parity,
        "total_seconds": time.perf_counter() - started,
    }
    partial = bool(args.only) or args.no_parity
    out_dir = BENCH_DIR if mode == "full" and not partial else data_dir  # partial: not in git
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    path = out_dir / "RESULTS.md"
    text = report.render(results)
    kept = report.coverage_section(path.read_text()) if path.exists() else None
    path.write_text(text if kept is None else report.with_coverage_section(text, kept))
    _log(f"Wrote {out_dir / 'RESULTS.md'} and results.json "
         f"({results['total_seconds'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
