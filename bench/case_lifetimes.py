"""Benchmark and parity cases run with lifetimes 0.11.3 (in bench/.venv-lifetimes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lifetimes
import pandas as pd
from _shared import (
    BG_PARAMS,
    CLV_MONTHS,
    GG_PARAMS,
    MONTHLY_DISCOUNT,
    OBSERVATION_END,
    PARITY_HORIZON,
    PARITY_TIMES,
    PNBD_PARAMS,
    PURCHASE_HORIZON_WEEKS,
    SUMMARY_FREQ,
)
from _worker import main, repeat, timed
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data


def _fit_purchase(model_class: type, file: str) -> Any:
    def case(data_dir: Path) -> dict[str, Any]:
        frame, load = timed(lambda: pd.read_parquet(data_dir / file))

        def fit() -> Any:
            return model_class().fit(frame["frequency"], frame["recency"], frame["T"])

        model, runs = repeat(fit)
        return {"runs": runs, "load_seconds": load, "rows": len(frame),
                "params": model.params_.to_dict()}
    return case


def gamma_gamma(data_dir: Path) -> dict[str, Any]:
    frame, load = timed(lambda: pd.read_parquet(data_dir / "gamma_gamma.parquet"))
    model, runs = repeat(
        lambda: GammaGammaFitter().fit(frame["frequency"], frame["monetary_value"]))
    return {"runs": runs, "load_seconds": load, "rows": len(frame),
            "params": model.params_.to_dict()}


def _summary_case(read: Any) -> Any:
    """Read the file into pandas and summarise it (both inside the timed operation)."""
    def case(data_dir: Path) -> dict[str, Any]:
        def summarise() -> pd.DataFrame:
            return summary_data_from_transaction_data(
                read(data_dir), "customer_id", "ordered_at", monetary_value_col="amount",
                observation_period_end=OBSERVATION_END, freq=SUMMARY_FREQ)

        summary, runs = repeat(summarise)
        return {"runs": runs, "rows": len(summary), "checksum": _checksum(summary)}
    return case


def _checksum(summary: pd.DataFrame) -> dict[str, float]:
    return {name: float(summary[name].sum())
            for name in ("frequency", "recency", "T", "monetary_value")}


def _purchase_model(model_class: type, params: dict[str, float]) -> Any:
    model = model_class()
    model.params_ = pd.Series(params)
    model.predict = model.conditional_expected_number_of_purchases_up_to_time  # as fit() does
    return model


def _spend_model() -> GammaGammaFitter:
    model = GammaGammaFitter()
    model.params_ = pd.Series({"p": GG_PARAMS["p"], "q": GG_PARAMS["q"], "v": GG_PARAMS["gamma"]})
    return model


def scoring(data_dir: Path) -> dict[str, Any]:
    """P(alive), expected purchases and 12-month CLV of every customer (fixed parameters)."""
    frame, load = timed(lambda: pd.read_parquet(data_dir / "scoring.parquet"))
    bg, gg = _purchase_model(BetaGeoFitter, BG_PARAMS), _spend_model()
    x, t_x, T, m = (frame[c] for c in ("frequency", "recency", "T", "monetary_value"))
    parts: dict[str, float] = {}

    def score() -> dict[str, float]:
        alive, parts["probability_alive"] = timed(
            lambda: bg.conditional_probability_alive(x, t_x, T))
        purchases, parts["expected_purchases"] = timed(
            lambda: bg.conditional_expected_number_of_purchases_up_to_time(
                PURCHASE_HORIZON_WEEKS, x, t_x, T))
        clv, parts["clv"] = timed(lambda: gg.customer_lifetime_value(
            bg, x, t_x, T, m, time=CLV_MONTHS, discount_rate=MONTHLY_DISCOUNT, freq="W"))
        return {"probability_alive": float(alive.sum()),
                "expected_purchases": float(purchases.sum()), "clv": float(clv.sum())}

    sums, runs = repeat(score)
    return {"runs": runs, "load_seconds": load, "rows": len(frame), "parts": parts,
            "checksum": sums}


def parity(data_dir: Path) -> dict[str, Any]:
    """Fits and predictions on the CDNOW summary, written to data_dir/parity_lifetimes.json."""
    frame = pd.read_csv(data_dir / "cdnow_summary.csv")
    x, t_x, T = frame["frequency"], frame["recency"], frame["T"]
    repeat_buyers = frame[frame["frequency"] > 0]
    fits = {
        "BetaGeo": BetaGeoFitter().fit(x, t_x, T).params_.to_dict(),
        "ParetoNBD": ParetoNBDFitter().fit(x, t_x, T).params_.to_dict(),
        "GammaGamma": GammaGammaFitter().fit(
            repeat_buyers["frequency"], repeat_buyers["monetary_value"]).params_.to_dict(),
    }
    fits["GammaGamma"]["gamma"] = fits["GammaGamma"].pop("v")
    predictions: dict[str, list[float]] = {}
    for name, model in (("BetaGeo", _purchase_model(BetaGeoFitter, BG_PARAMS)),
                        ("ParetoNBD", _purchase_model(ParetoNBDFitter, PNBD_PARAMS))):
        predictions[f"{name}.probability_alive"] = list(
            model.conditional_probability_alive(x, t_x, T))
        predictions[f"{name}.expected_purchases"] = list(
            model.conditional_expected_number_of_purchases_up_to_time(PARITY_HORIZON, x, t_x, T))
        predictions[f"{name}.expected_purchases_new_customer"] = [
            float(model.expected_number_of_purchases_up_to_time(t)) for t in PARITY_TIMES]
    spend = _spend_model()
    predictions["GammaGamma.expected_spend"] = list(
        spend.conditional_expected_average_profit(frame["frequency"], frame["monetary_value"]))
    predictions["BetaGeo+GammaGamma.clv"] = list(spend.customer_lifetime_value(
        _purchase_model(BetaGeoFitter, BG_PARAMS), x, t_x, T, frame["monetary_value"],
        time=CLV_MONTHS, discount_rate=MONTHLY_DISCOUNT, freq="W"))
    result = {"fits": fits, "predictions": predictions}
    (data_dir / "parity_lifetimes.json").write_text(json.dumps(result, default=float))
    return {"rows": len(frame)}


CASES = {
    "bg_nbd": _fit_purchase(BetaGeoFitter, "bg_nbd.parquet"),
    "pareto_small": _fit_purchase(ParetoNBDFitter, "pareto_small.parquet"),
    "pareto_large": _fit_purchase(ParetoNBDFitter, "pareto_large.parquet"),
    "gamma_gamma": gamma_gamma,
    "rfm_summary": _summary_case(lambda d: pd.read_parquet(d / "orders.parquet")),
    "rfm_summary_csv": _summary_case(
        lambda d: pd.read_csv(d / "orders.csv", parse_dates=["ordered_at"])),
    "scoring": scoring,
    "parity": parity,
}

if __name__ == "__main__":
    main(CASES, "lifetimes", lifetimes.__version__)
