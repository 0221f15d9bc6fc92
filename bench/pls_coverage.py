"""Coverage of the PLS bootstrap's 95% percentile intervals, on surveys simulated from a known
composite model (design in tests/helpers/pls_simulation.py: X -> M 0.5, X -> Y 0.3, M -> Y 0.4,
three items per construct, all blocks mode B).

    .venv/bin/python bench/pls_coverage.py            # 500 surveys of 500, 1,000 resamples each
    .venv/bin/python bench/pls_coverage.py --quick    # 40 surveys, 200 resamples
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import pls_simulation as sim  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    reps, n, resamples = (40, 300, 200) if args.quick else (500, 500, 1000)
    start = time.perf_counter()
    runs = sim.replicate(replications=reps, n=n, resamples=resamples, seed=12345)
    covered = runs["covered"]
    k = covered.size
    result = {
        "surveys": reps, "respondents": n, "resamples": resamples, "intervals": k,
        "coverage": float(covered.mean()),
        "coverage_by_path": {f"{a} -> {b}": float(c)
                             for (a, b), c in zip(sim.TRUE_PATHS, covered.mean(axis=0),
                                                  strict=True)},
        "binomial_sd": float(np.sqrt(0.95 * 0.05 / k)),
        "mean_estimate": runs["estimate"].mean(axis=0).tolist(),
        "se_over_sd": (runs["se"].mean(axis=0) / runs["estimate"].std(axis=0, ddof=1)).tolist(),
        "seconds": time.perf_counter() - start,
    }
    print(json.dumps(result, indent=1))
    if not args.quick:
        (ROOT / "bench" / "pls_coverage.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
