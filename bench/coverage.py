"""Coverage of valuecrm's intervals in simulation at the published CDNOW estimates.

Usage: ``python bench/coverage.py [--replicates N] [--seed S] [--workers W]`` (the full run:
1,000 replicates of 2,357 customers) or ``--quick`` (40 replicates, printed only). With W > 1
workers the replicates are split into W chunks run in parallel processes, chunk i seeded with
(S, i), and their counts added (``merge_coverage``). The study is
:func:`valuecrm.value.coverage.simulated_coverage`: BG/NBD,
Pareto/NBD and Gamma-Gamma at the CDNOW estimates of REFERENCE.md, the parameters' 95%
intervals (profile likelihood, and the Wald intervals on the log and natural scales for
comparison) and the delta-method
intervals of expected purchases, P(alive) and CLV. The full run writes its section of
bench/RESULTS.md (between the markers of ``report.COVERAGE_START``; run.py keeps it) and
bench/coverage.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import report  # noqa: E402

from valuecrm.value.coverage import (  # noqa: E402
    COMPARISONS,
    LOG_WALD,
    NATURAL_WALD,
    PROFILE,
    merge_coverage,
    simulated_coverage,
)

BAND = (0.93, 0.97)  # the acceptable coverage of a nominal 95% interval


def _chunk(replicates: int, seed: tuple[int, int]) -> pd.DataFrame:
    """One worker's share of the study, with its progress printed."""
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % max(1, replicates // 10) == 0:
            print(f"worker {seed[1]}: {done}/{replicates} replicates, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)

    def checkpoint(frame: pd.DataFrame) -> None:  # readable if the run must be cut short
        path = BENCH_DIR / "data" / "coverage" / f"chunk-{seed[0]}-{seed[1]}.pkl"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_pickle(path)

    return simulated_coverage(replicates, seed=seed, progress=progress, checkpoint=checkpoint)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cell(row: pd.Series) -> str:
    mark = "" if BAND[0] <= row["coverage"] <= BAND[1] else " ✗"
    return (f"{row['coverage']:.1%}{mark} ({row['below']:.1%} below, "
            f"{row['above']:.1%} above)")


def table(frame: pd.DataFrame) -> list[str]:
    """Markdown rows: parameters (profile likelihood beside the Wald intervals shown before),
    then predictions."""
    lines = ["| model | parameter | profile likelihood (valuecrm) | log-scale Wald (before) | "
             "natural-scale Wald (first) | natural Wald lower bound <= 0 |",
             "|---|---|---|---|---|---|"]
    params = frame[frame["who"] == "parameter"]
    for (model, quantity), rows in params.groupby(["model", "quantity"], sort=False):
        by_scale = rows.set_index("scale")
        wald = by_scale.loc[NATURAL_WALD]
        lines.append(f"| {model} | {quantity} | {_cell(by_scale.loc[PROFILE])} | "
                     f"{_cell(by_scale.loc[LOG_WALD])} | {_cell(wald)} | "
                     f"{wald['outside_domain']:.1%} |")
    lines += ["", "| model | prediction | customers | scale | coverage |", "|---|---|---|---|---|"]
    for row in frame[frame["who"] != "parameter"].itertuples(index=False):
        lines.append(f"| {row.model} | {row.quantity} | {row.who} | {row.scale} | "
                     f"{_cell(pd.Series(row._asdict()))} |")
    return lines


def section(frame: pd.DataFrame, seconds: float, load: tuple[float, float],
            commit: str) -> str:
    attrs = frame.attrs
    failed = ", ".join(f"{k}: {v}" for k, v in attrs["failed_fits"].items()) or "none"
    inside = frame[~frame["scale"].isin(COMPARISONS)]
    outside = inside[(inside["coverage"] < BAND[0]) | (inside["coverage"] > BAND[1])]
    lines = [
        report.COVERAGE_START,
        "## Coverage of the intervals (simulation at the CDNOW estimates)",
        "",
        f"`{attrs['command']}` (seeds {attrs['seeds']}) on "
        f"{time.strftime('%Y-%m-%d')} (valuecrm at commit {commit}, "
        f"{seconds / 60:.1f} min, Python {platform.python_version()}). The machine was shared "
        f"with other work (1-minute load average {load[0]:.1f} at the start, {load[1]:.1f} at "
        "the end, 2 cores); only the times depend on it.",
        "",
        f"{attrs['replicates']:,} replicates of {attrs['customers']:,} customers with the ages "
        "T of the CDNOW sample, drawn from BG/NBD (r 0.2426, alpha 4.414, a 0.7929, b 2.426) "
        "and from Pareto/NBD (r 0.5532, alpha 10.58, s 0.6063, beta 11.67), each repeat "
        "buyer's mean spend from Gamma-Gamma (p 6.25, q 3.74, gamma 15.44; fitted once per "
        "purchase model, so twice per replicate). Nominal level "
        f"{attrs['level']:.0%}; a coverage outside {BAND[0]:.0%}-{BAND[1]:.0%} is marked ✗. "
        "Binomial standard error of a fixed quantity's coverage: "
        f"{(0.95 * 0.05 / attrs['replicates']) ** 0.5:.1%}. Fits that failed (left out): "
        f"{failed}. Parameters: valuecrm's interval is the profile-likelihood interval "
        "(Venzon & Moolgavkar 1988, `valuecrm/models/profile_likelihood.py`); predictions: "
        "the delta method on the log or logit scale (`valuecrm/models/uncertainty.py`). "
        "Study: `valuecrm/value/coverage.py`.",
        "",
        "Predictions are for the estimation error of the parameters: the truth is the model's "
        "prediction at the true parameters (E[X(39 weeks)] and P(alive) given the history, the "
        "12-month CLV at 10% a year). \"every customer\" pools the customers of all replicates "
        "(correlated within a replicate); a P(alive) of exactly 1 (BG/NBD, no repeat purchase) "
        "is known and left out. Share of valuecrm's intervals with a bound outside the "
        f"quantity's domain: {inside['outside_domain'].max():.1%} at most; share not computed "
        f"(a NaN bound, counted as a miss): {inside['not_computed'].max():.1%} at most. A "
        "profile bound the data leave open (beyond 1e4 times the estimate) is 0 or inf.",
        "",
        *table(frame),
        "",
        (f"Outside {BAND[0]:.0%}-{BAND[1]:.0%} (valuecrm's intervals): "
         + ("none." if outside.empty else "; ".join(
             f"{r.model} {r.quantity} ({r.who}) {r.coverage:.1%}"
             for r in outside.itertuples(index=False)) + ".")),
        report.COVERAGE_END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--quick", action="store_true", help="40 replicates, printed only")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes, each running its share of the replicates")
    args = parser.parse_args()
    replicates = 40 if args.quick else args.replicates
    load_start = os.getloadavg()[0]
    commit = _commit()  # the code the run imports, whatever is committed meanwhile
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % max(1, replicates // 20) == 0:
            print(f"{done}/{replicates} replicates, {time.perf_counter() - started:.0f} s",
                  flush=True)

    if args.workers > 1:
        shares = [replicates // args.workers + (i < replicates % args.workers)
                  for i in range(args.workers)]
        with ProcessPoolExecutor(args.workers) as pool:
            chunks = pool.map(_chunk, shares, [(args.seed, i) for i in range(args.workers)])
            frame = merge_coverage(list(chunks))
        frame.attrs["seeds"] = f"({args.seed}, 0..{args.workers - 1}), one per worker"
    else:
        frame = simulated_coverage(replicates, seed=args.seed, progress=progress)
        frame.attrs["seeds"] = str(args.seed)
    frame.attrs["command"] = (f"python bench/coverage.py --replicates {replicates}"
                              + (f" --workers {args.workers}" if args.workers > 1 else ""))
    seconds = time.perf_counter() - started
    text = section(frame, seconds, (load_start, os.getloadavg()[0]), commit)
    print(text)
    if args.quick:
        return
    results = BENCH_DIR / "RESULTS.md"
    results.write_text(report.with_coverage_section(results.read_text(), text))
    (BENCH_DIR / "coverage.json").write_text(json.dumps(
        {"attrs": frame.attrs, "seconds": seconds, "rows": frame.to_dict("records")},
        indent=2, default=str))
    print(f"Wrote {results} and coverage.json ({seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
