"""Benchmark cases run with pymc-marketing's CLV module, MAP fits (in bench/.venv-pymc).

The timed operation is the whole ``fit``: building the PyMC model, compiling it with PyTensor
(its C cache in ~/.pytensor is warmed by the ``warmup`` case first, as a user's second run
would be) and ``pm.find_MAP``. Priors are pymc-marketing's defaults.
"""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pymc_marketing
from _worker import main, repeat, timed
from pymc_marketing.clv import BetaGeoModel, GammaGammaModel, ParetoNBDModel

warnings.filterwarnings("ignore")


def _fit_map(model: Any) -> Any:
    """``fit(method="map")`` on pymc-marketing >= 0.11, ``fit(fit_method="map")`` before."""
    if "method" in inspect.signature(model.fit).parameters:
        model.fit(method="map")
    else:
        model.fit(fit_method="map")
    return model


def _params(model: Any, names: tuple[str, ...]) -> dict[str, float]:
    posterior = model.idata.posterior
    return {name: float(np.asarray(posterior[name]).ravel()[0])
            for name in names if name in posterior}


def _fit_case(model_class: type, file: str, names: tuple[str, ...]) -> Any:
    def case(data_dir: Path) -> dict[str, Any]:
        frame, load = timed(lambda: pd.read_parquet(data_dir / file))
        model, runs = repeat(lambda: _fit_map(model_class(data=frame)))
        return {"runs": runs, "load_seconds": load, "rows": len(frame),
                "params": _params(model, names)}
    return case


PURCHASE_NAMES = ("r", "alpha", "a", "b", "s", "beta")

CASES = {
    "bg_nbd": _fit_case(BetaGeoModel, "bg_nbd.parquet", PURCHASE_NAMES),
    "pareto_small": _fit_case(ParetoNBDModel, "pareto_small.parquet", PURCHASE_NAMES),
    "pareto_large": _fit_case(ParetoNBDModel, "pareto_large.parquet", PURCHASE_NAMES),
    "gamma_gamma": _fit_case(GammaGammaModel, "gamma_gamma.parquet", ("p", "q", "v")),
}


def warmup(data_dir: Path) -> dict[str, Any]:
    """Fit every model once on 2,000 rows, so PyTensor's compile cache is warm."""
    for name, model_class in (("bg_nbd", BetaGeoModel), ("pareto_small", ParetoNBDModel),
                              ("gamma_gamma", GammaGammaModel)):
        frame = pd.read_parquet(data_dir / f"{name}.parquet").iloc[:2000]
        _fit_map(model_class(data=frame))
    return {}


CASES["warmup"] = warmup

if __name__ == "__main__":
    main(CASES, "pymc-marketing", pymc_marketing.__version__)
