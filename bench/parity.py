"""Parity with lifetimes on the CDNOW sample summary (2,357 customers, weeks).

Each library runs its ``parity`` case in its own process (their pandas and numpy versions cannot
share one) on the same CSV file, written here from ``valuecrm.datasets.load_cdnow_summary()``:
fits of BG/NBD, Pareto/NBD and Gamma-Gamma (repeat buyers), and predictions at the fixed
parameters of _shared.py. This module compares the two JSON files.

Run alone: ``.venv/bin/python bench/parity.py`` (needs bench/.venv-lifetimes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from harness import BENCH_DIR, Outcome, run_case

PREDICTION_TOLERANCE = 1e-6  # relative, predictions at the same parameters
FIT_TOLERANCE = 1e-3  # relative, fitted parameters (lifetimes' optimiser stops at ~1e-4)
TINY = 1e-300


def write_cdnow_summary(data_dir: Path) -> Path:
    from valuecrm.datasets import load_cdnow_summary

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "cdnow_summary.csv"
    summary = load_cdnow_summary()
    summary.to_csv(path, index=False)
    return path


def _max_relative_difference(ours: list[float], theirs: list[float]) -> float:
    if len(ours) != len(theirs):
        return float("inf")
    worst = 0.0
    for a, b in zip(ours, theirs, strict=True):
        if a == b:
            continue
        worst = max(worst, abs(a - b) / max(abs(b), TINY))
    return worst


def compare(valuecrm: dict[str, Any], lifetimes: dict[str, Any]) -> dict[str, Any]:
    """Per prediction and per fitted model: the largest relative difference and a verdict."""
    predictions = {}
    for name, theirs in lifetimes["predictions"].items():
        ours = valuecrm["predictions"].get(name)
        worst = float("inf") if ours is None else _max_relative_difference(ours, theirs)
        predictions[name] = {"n": len(theirs), "max_relative_difference": worst,
                             "ok": worst <= PREDICTION_TOLERANCE}
    fits = {}
    for model, theirs in lifetimes["fits"].items():
        ours = valuecrm["fits"][model]
        differences = {p: abs(ours[p] - v) / abs(v) for p, v in theirs.items()}
        fits[model] = {"valuecrm": ours, "lifetimes": theirs,
                       "log_likelihood_valuecrm": valuecrm["log_likelihoods"][model],
                       "max_relative_difference": max(differences.values()),
                       "ok": max(differences.values()) <= FIT_TOLERANCE}
    ok = all(v["ok"] for v in predictions.values()) and all(v["ok"] for v in fits.values())
    return {"ok": ok, "prediction_tolerance": PREDICTION_TOLERANCE,
            "fit_tolerance": FIT_TOLERANCE, "predictions": predictions, "fits": fits}


def run_parity(data_dir: Path, limit_seconds: float = 600.0, log=print) -> dict[str, Any]:
    """Run both parity workers and compare; ``{"status": ...}`` when a worker failed."""
    write_cdnow_summary(data_dir)
    outcomes: list[Outcome] = [run_case(library, "parity", data_dir, limit_seconds)
                               for library in ("valuecrm", "lifetimes")]
    for outcome in outcomes:
        if outcome.status != "ok":
            log(f"  parity: {outcome.library} {outcome.status}: {outcome.detail}")
            return {"ok": False, "status": f"{outcome.library} {outcome.status}",
                    "detail": outcome.detail}
    files = [json.loads((data_dir / f"parity_{lib}.json").read_text())
             for lib in ("valuecrm", "lifetimes")]
    result = compare(*files)
    for name, verdict in {**result["predictions"], **result["fits"]}.items():
        log(f"  parity {name}: max relative difference "
            f"{verdict['max_relative_difference']:.2e} {'ok' if verdict['ok'] else 'FAIL'}")
    return result


if __name__ == "__main__":
    outcome = run_parity(BENCH_DIR / "data" / "parity")
    sys.exit(0 if outcome["ok"] else 1)
