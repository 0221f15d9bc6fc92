"""The driver table's Shapley (LMG) importances against the peer package dominance-analysis
1.1.9 (MIT, in bench/.venv-drivers; never a dependency), whose general dominance is the same
quantity (Budescu 1993; Azen & Budescu 2003).

Data: mobi (tests/data/mobi); outcome CUSA1 (overall satisfaction), drivers the 7 perceived-
quality items and the 2 perceived-value items.

    .venv/bin/python bench/drivers.py      # prints both and their largest difference
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MOBI = ROOT / "tests" / "data" / "mobi" / "mobi.csv"
PEER = BENCH / ".venv-drivers" / "bin" / "python"
ITEMS = [f"PERQ{i}" for i in range(1, 8)] + ["PERV1", "PERV2"]
OUTCOME = "CUSA1"

PEER_CODE = f"""
import contextlib, io, json, sys, time
import pandas as pd
import bokeh.io
bokeh.io.output_notebook = lambda *a, **k: None  # the package loads a notebook at import
from dominance_analysis import Dominance
data = pd.read_csv({str(MOBI)!r})[{ITEMS!r} + [{OUTCOME!r}]].astype(float)
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    d = Dominance(data=data, target={OUTCOME!r}, objective=1, top_k={len(ITEMS)})
    general = d.incremental_rsquare()
print(json.dumps({{"seconds": time.perf_counter() - start, "general": general}}))
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from valuecrm.voice import driver_importance

    mobi = pd.read_csv(MOBI)
    start = time.perf_counter()
    ours = driver_importance(mobi, OUTCOME, ITEMS, scale=(1, 10)).set_index("item")
    seconds = time.perf_counter() - start
    result = {"valuecrm_seconds": seconds,
              "valuecrm": ours["importance"].to_dict(), "r_squared": ours.attrs["r_squared"]}
    if PEER.exists():
        out = subprocess.run([str(PEER), "-c", PEER_CODE], check=True, capture_output=True,
                             text=True)
        peer = json.loads(out.stdout.strip().splitlines()[-1])
        result["dominance_analysis_seconds"] = peer["seconds"]
        result["dominance_analysis"] = peer["general"]
        result["max_abs_difference"] = max(abs(ours.loc[i, "importance"] - v)
                                           for i, v in peer["general"].items())
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
