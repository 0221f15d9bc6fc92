"""Benchmark and parity cases run with valuecrm (in the repository's .venv)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from _shared import (
    ANNUAL_DISCOUNT,
    BG_PARAMS,
    CLV_MONTHS,
    DAYS_PER_MONTH,
    GG_PARAMS,
    OBSERVATION_END,
    PARITY_HORIZON,
    PARITY_TIMES,
    PNBD_PARAMS,
    PURCHASE_HORIZON_WEEKS,
    SUMMARY_FREQ,
)
from _worker import main, repeat, timed

import valuecrm
from valuecrm.features import rfm_summary
from valuecrm.models.beta_geo import BetaGeo
from valuecrm.models.gamma_gamma import GammaGamma
from valuecrm.models.pareto_nbd import ParetoNBD
from valuecrm.value import customer_lifetime_value

SUMMARY_OUTPUT = ("customer_id", "frequency", "recency", "T", "monetary_value")


def _fit(model_class: type, file: str) -> Any:
    def case(data_dir: Path) -> dict[str, Any]:
        frame, load = timed(lambda: pd.read_parquet(data_dir / file))
        model, runs = repeat(lambda: model_class().fit(frame))
        return {"runs": runs, "load_seconds": load, "rows": len(frame),
                "params": model.params_, "log_likelihood": model.log_likelihood_}
    return case


def _summary_case(file: str, read: str) -> Any:
    """DuckDB reads the file and computes the summary; the result lands in pandas (as
    lifetimes' does): connecting, reading and converting are all inside the timed operation."""
    def case(data_dir: Path) -> dict[str, Any]:
        def summarise() -> pd.DataFrame:
            con = ibis.duckdb.connect()
            orders = getattr(con, read)(data_dir / file)
            summary = rfm_summary(orders, observation_end=OBSERVATION_END, freq=SUMMARY_FREQ)
            return summary.select(*SUMMARY_OUTPUT).to_pandas()

        summary, runs = repeat(summarise)
        checksum = {name: float(summary[name].sum()) for name in SUMMARY_OUTPUT[1:]}
        return {"runs": runs, "rows": len(summary), "checksum": checksum}
    return case


def _models() -> tuple[BetaGeo, GammaGamma]:
    return BetaGeo.from_params(**BG_PARAMS), GammaGamma.from_params(**GG_PARAMS)


def scoring(data_dir: Path) -> dict[str, Any]:
    """P(alive), expected purchases and 12-month CLV of every customer (fixed parameters)."""
    frame, load = timed(lambda: pd.read_parquet(data_dir / "scoring.parquet"))
    bg, gg = _models()
    parts: dict[str, float] = {}

    def score() -> dict[str, float]:
        alive, parts["probability_alive"] = timed(lambda: bg.probability_alive(frame))
        purchases, parts["expected_purchases"] = timed(
            lambda: bg.expected_purchases(PURCHASE_HORIZON_WEEKS, frame))
        clv, parts["clv"] = timed(lambda: customer_lifetime_value(
            bg, gg, frame, horizon=CLV_MONTHS, discount_rate=ANNUAL_DISCOUNT, freq="W",
            days_per_month=DAYS_PER_MONTH))
        return {"probability_alive": float(alive.sum()),
                "expected_purchases": float(purchases.sum()), "clv": float(clv.sum())}

    sums, runs = repeat(score)
    return {"runs": runs, "load_seconds": load, "rows": len(frame), "parts": parts,
            "checksum": sums}


def parity(data_dir: Path) -> dict[str, Any]:
    """Fits and predictions on the CDNOW summary, written to data_dir/parity_valuecrm.json."""
    frame = pd.read_csv(data_dir / "cdnow_summary.csv")
    repeat_buyers = frame[frame["frequency"] > 0]
    fitted = {"BetaGeo": BetaGeo().fit(frame), "ParetoNBD": ParetoNBD().fit(frame),
              "GammaGamma": GammaGamma().fit(repeat_buyers)}
    fits = {name: model.params_ for name, model in fitted.items()}
    log_likelihoods = {name: model.log_likelihood_ for name, model in fitted.items()}
    predictions: dict[str, list[float]] = {}
    for name, model in (("BetaGeo", BetaGeo.from_params(**BG_PARAMS)),
                        ("ParetoNBD", ParetoNBD.from_params(**PNBD_PARAMS))):
        predictions[f"{name}.probability_alive"] = list(model.probability_alive(frame))
        predictions[f"{name}.expected_purchases"] = list(
            model.expected_purchases(PARITY_HORIZON, frame))
        predictions[f"{name}.expected_purchases_new_customer"] = [
            float(model.expected_purchases_new_customer(t)) for t in PARITY_TIMES]
    bg, gg = _models()
    predictions["GammaGamma.expected_spend"] = list(gg.expected_spend(frame))
    predictions["BetaGeo+GammaGamma.clv"] = list(customer_lifetime_value(
        bg, gg, frame, horizon=CLV_MONTHS, discount_rate=ANNUAL_DISCOUNT, freq="W",
        days_per_month=DAYS_PER_MONTH))
    result = {"fits": fits, "log_likelihoods": log_likelihoods, "predictions": predictions}
    (data_dir / "parity_valuecrm.json").write_text(json.dumps(result, default=float))
    return {"rows": len(frame)}


CASES = {
    "bg_nbd": _fit(BetaGeo, "bg_nbd.parquet"),
    "pareto_small": _fit(ParetoNBD, "pareto_small.parquet"),
    "pareto_large": _fit(ParetoNBD, "pareto_large.parquet"),
    "gamma_gamma": _fit(GammaGamma, "gamma_gamma.parquet"),
    "rfm_summary": _summary_case("orders.parquet", "read_parquet"),
    "rfm_summary_csv": _summary_case("orders.csv", "read_csv"),
    "scoring": scoring,
    "parity": parity,
}

if __name__ == "__main__":
    main(CASES, "valuecrm", valuecrm.__version__ if hasattr(valuecrm, "__version__") else "dev")
