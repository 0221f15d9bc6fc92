"""How often valuecrm's intervals cover the truth: a simulation at the published CDNOW estimates.

Each replicate draws a CDNOW-sized customer base (by default the 2,357 ages T of the CDNOW
sample, in weeks) from BG/NBD and from Pareto/NBD at their published CDNOW estimates
(Fader, Hardie & Lee 2005; :mod:`valuecrm.models.simulation`), each repeat buyer's mean spend
from Gamma-Gamma at its published estimates (Fader, Hardie & Lee 2005, "RFM and CLV"), fits the
models, and asks whether each ``level`` interval contains the true value:

- every parameter (the profile-likelihood interval of ``summary()``, and for comparison the
  Wald intervals valuecrm used before: on the log scale, estimate exp(-/+ z SE / estimate),
  and on the natural scale, estimate -/+ z SE);
- expected purchases in the next 39 weeks, P(alive) and the 12-month CLV (10% a year) of a few
  fixed customer histories (``PROFILES``) and of every simulated customer, whose true value is
  the model's prediction at the true parameters (the intervals are for the estimation error of
  the parameters, not for a customer's random future). A P(alive) of exactly 1 (BG/NBD without
  a repeat purchase) is known, not estimated, and is left out of "every customer".

A row counts the intervals, the hits and the misses on each side. With R replicates the
coverage of a fixed quantity has a binomial standard error sqrt(0.95 x 0.05 / R) (0.7% for
R = 1,000); the rows "every customer" average over correlated customers and are steadier than
that suggests. ``bench/coverage.py`` runs the full study; ``tests/value/test_coverage.py`` a
small one.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ConvergenceError, DataError
from valuecrm.models import BetaGeo, GammaGamma, ParetoNBD
from valuecrm.models.simulation import simulate_beta_geo, simulate_pareto_nbd, simulate_spend
from valuecrm.models.uncertainty import parameter_interval, z_value
from valuecrm.value.clv import customer_lifetime_value

BG_NBD_CDNOW = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}
PARETO_NBD_CDNOW = {"r": 0.55315, "alpha": 10.57633, "s": 0.60625, "beta": 11.67150}
GAMMA_GAMMA_CDNOW = {"p": 6.25, "q": 3.74, "gamma": 15.44}
HORIZON_WEEKS = 39.0
CLV_MONTHS = 12
DISCOUNT_RATE = 0.10

PROFILES = pd.DataFrame({
    "frequency": [0.0, 1.0, 2.0, 5.0, 12.0],
    "recency": [0.0, 30.0, 10.0, 35.0, 38.0],
    "T": [39.0, 38.0, 36.0, 38.0, 39.0],
    "monetary_value": [0.0, 15.0, 40.0, 30.0, 60.0],
})
PROFILE_NAMES = [f"x={x:g}, t_x={t:g}, T={big:g}" for x, t, big in
                 PROFILES[["frequency", "recency", "T"]].itertuples(index=False)]

PROFILE, LOG_WALD, NATURAL_WALD = "profile likelihood", "log (Wald)", "natural (Wald)"
COMPARISONS = (LOG_WALD, NATURAL_WALD)  # the intervals valuecrm showed before, for comparison

__all__ = ["BG_NBD_CDNOW", "COMPARISONS", "GAMMA_GAMMA_CDNOW", "LOG_WALD", "NATURAL_WALD",
           "PARETO_NBD_CDNOW", "PROFILE", "PROFILES", "merge_coverage", "simulated_coverage"]


class _Tally:
    """Hits, misses below and above, bounds outside the domain (a positive quantity's lower
    bound <= 0, a probability's outside [0, 1]) and intervals not computed (a NaN bound,
    counted as a miss), per (model, quantity, who, scale)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str, str], np.ndarray] = defaultdict(
            lambda: np.zeros(6))

    def add(self, key: tuple[str, str, str, str], truth: Any, lower: Any, upper: Any) -> None:
        truth, lower, upper = (np.atleast_1d(np.asarray(v, dtype=float))
                               for v in (truth, lower, upper))
        below, above = truth < lower, truth > upper
        missing = np.isnan(lower) | np.isnan(upper)
        outside = (lower < 0) | (upper > 1) if key[3] == "logit" else lower <= 0
        self.counts[key] += [truth.size, truth.size - below.sum() - above.sum() - missing.sum(),
                             below.sum(), above.sum(), outside.sum(), missing.sum()]

    def frame(self) -> pd.DataFrame:
        rows = [{"model": m, "quantity": q, "who": w, "scale": s, "intervals": int(n),
                 "coverage": hit / n, "below": low / n, "above": high / n,
                 "outside_domain": out / n, "not_computed": gone / n}
                for (m, q, w, s), (n, hit, low, high, out, gone) in self.counts.items()]
        return pd.DataFrame(rows)


def _cdnow_ages() -> np.ndarray:
    from valuecrm.datasets import data_path

    summary = pd.read_csv(data_path("cdnow_customers_summary_with_transactions.csv"))
    return summary["T"].to_numpy(dtype=float)


def _quiet(fit: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit()


def _parameters(tally: _Tally, name: str, model: Any, truth: dict[str, float],
                level: float) -> None:
    summary = model.summary(level=level).set_index("param")
    z = z_value(level)
    for param, true in truth.items():
        row = summary.loc[param]
        tally.add((name, param, "parameter", PROFILE), true, row["lower"], row["upper"])
        tally.add((name, param, "parameter", LOG_WALD), true,
                  *parameter_interval(row["estimate"], row["se"], level))
        tally.add((name, param, "parameter", NATURAL_WALD), true,
                  row["estimate"] - z * row["se"], row["estimate"] + z * row["se"])


def _predictions(tally: _Tally, name: str, model: Any, true_model: Any, spend: Any,
                 true_spend: Any, data: pd.DataFrame, level: float) -> None:
    """Expected purchases, P(alive) and CLV of the profiles and of every customer."""
    for who, rows in (("profile", PROFILES), ("every customer", data)):
        names = PROFILE_NAMES if who == "profile" else None
        quantities = {
            f"E[X({HORIZON_WEEKS:g} weeks)]": (
                "log", model.expected_purchases(HORIZON_WEEKS, rows, interval=level),
                true_model.expected_purchases(HORIZON_WEEKS, rows)),
            "P(alive)": ("logit", model.probability_alive(rows, interval=level),
                         true_model.probability_alive(rows)),
            f"CLV ({CLV_MONTHS} months)": (
                "log", _quiet(lambda r=rows: customer_lifetime_value(
                    model, spend, r, horizon=CLV_MONTHS, discount_rate=DISCOUNT_RATE,
                    interval=level)),
                _quiet(lambda r=rows: customer_lifetime_value(
                    true_model, true_spend, r, horizon=CLV_MONTHS,
                    discount_rate=DISCOUNT_RATE))),
        }
        for quantity, (scale, frame, truth) in quantities.items():
            lower, upper = frame.iloc[:, 1].to_numpy(), frame.iloc[:, 2].to_numpy()
            truth = np.asarray(truth, dtype=float)
            if names is None:  # P(alive) = 1 exactly (BG/NBD, no repeat purchase) is known
                uncertain = (truth > 0) & (truth < 1) if scale == "logit" else slice(None)
                tally.add((name, quantity, who, scale), truth[uncertain], lower[uncertain],
                          upper[uncertain])
            else:
                for i, profile in enumerate(names):
                    if scale == "logit" and truth[i] == 1.0:
                        continue  # known, not estimated
                    tally.add((name, quantity, profile, scale), truth[i], lower[i], upper[i])


def simulated_coverage(replicates: int = 1000, *, level: float = 0.95,
                       seed: int | Sequence[int] = 2005, ages: np.ndarray | None = None,
                       progress: Callable[[int], None] | None = None,
                       checkpoint: Callable[[pd.DataFrame], None] | None = None) -> pd.DataFrame:
    """Coverage of every interval over ``replicates`` simulated CDNOW-sized bases (module
    docstring): one row per model, quantity, who (parameter, a profile, every customer) and
    scale, with the number of intervals, the share covering the truth, the shares missing
    below and above, and the share with a bound outside the quantity's domain.
    ``attrs["failed_fits"]`` counts replicates a model could not be fitted on (left out).
    ``ages`` are the customers' T in weeks (default: the CDNOW sample's); ``seed`` seeds
    numpy's generator (an int, or a sequence such as ``(2005, chunk)`` for independent
    chunks of one study, merged by :func:`merge_coverage`); ``checkpoint`` gets the table so
    far every 10 replicates (a long run can be read before it ends)."""
    rng = np.random.default_rng(seed)
    ages = _cdnow_ages() if ages is None else np.asarray(ages, dtype=float)
    tally = _Tally()
    failed: dict[str, int] = defaultdict(int)
    true_spend = GammaGamma.from_params(**GAMMA_GAMMA_CDNOW)
    stories = (("BG/NBD", BetaGeo, simulate_beta_geo, BG_NBD_CDNOW),
               ("Pareto/NBD", ParetoNBD, simulate_pareto_nbd, PARETO_NBD_CDNOW))
    for replicate in range(replicates):
        for name, model_class, simulate, truth in stories:
            data = simulate(**truth, ages=ages, rng=rng)
            data["monetary_value"] = simulate_spend(**GAMMA_GAMMA_CDNOW,
                                                    frequency=data["frequency"].to_numpy(),
                                                    rng=rng)
            repeat = data[data["frequency"] > 0]
            try:
                model = _quiet(lambda d=data, c=model_class: c().fit(
                    d[["frequency", "recency", "T"]]))
                spend = _quiet(lambda r=repeat: GammaGamma().fit(
                    r[["frequency", "monetary_value"]]))
            except (ConvergenceError, DataError):
                failed[name] += 1
                continue
            _parameters(tally, name, model, truth, level)
            _parameters(tally, "Gamma-Gamma", spend, GAMMA_GAMMA_CDNOW,
                        level)
            _predictions(tally, name, model, model_class.from_params(**truth), spend,
                         true_spend, data, level)
        if progress is not None:
            progress(replicate + 1)
        if checkpoint is not None and (replicate + 1) % 10 == 0:
            checkpoint(_table(tally, failed, replicate + 1, level, ages.size))
    return _table(tally, failed, replicates, level, ages.size)


def _table(tally: _Tally, failed: dict[str, int], replicates: int, level: float,
           customers: int) -> pd.DataFrame:
    frame = tally.frame()
    frame.attrs["failed_fits"] = dict(failed)
    frame.attrs["replicates"] = replicates
    frame.attrs["level"] = level
    frame.attrs["customers"] = int(customers)
    return frame


def merge_coverage(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One table of :func:`simulated_coverage` from independent chunks of the same study (the
    counts add up; the shares are recomputed), with their replicates and failed fits summed."""
    keys = ["model", "quantity", "who", "scale"]
    counts = []
    for frame in frames:
        n = frame["intervals"]
        counts.append(frame[keys].assign(
            intervals=n, hit=frame["coverage"] * n, low=frame["below"] * n,
            high=frame["above"] * n, out=frame["outside_domain"] * n,
            gone=frame["not_computed"] * n))
    total = pd.concat(counts).groupby(keys, sort=False, as_index=False).sum()
    n = total["intervals"]
    merged = total[keys].assign(
        intervals=n.astype(int), coverage=total["hit"] / n, below=total["low"] / n,
        above=total["high"] / n, outside_domain=total["out"] / n,
        not_computed=total["gone"] / n)
    failed: dict[str, int] = defaultdict(int)
    for frame in frames:
        for name, count in frame.attrs["failed_fits"].items():
            failed[name] += count
    merged.attrs = {**frames[0].attrs, "failed_fits": dict(failed),
                    "replicates": sum(f.attrs["replicates"] for f in frames)}
    return merged
