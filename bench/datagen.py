"""Simulated benchmark data, generated once with numpy into bench/data/<size>/.

Summaries are simulated from the models themselves at the CDNOW estimates of Fader, Hardie & Lee
(2005), in weeks at daily resolution (times are whole days / 7, as an RFM summary computed in
days and expressed in weeks), customers acquired uniformly over 78 weeks:

- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchase rate
  lambda ~ Gamma(r, alpha), drop-out probability after each repeat purchase p ~ Beta(a, b).
- Pareto/NBD (Schmittlein, Morrison & Colombo 1987): lambda ~ Gamma(r, alpha), lifetime
  ~ Exponential(mu), mu ~ Gamma(s, beta).
- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): mean spend of x repeat purchases
  ~ Gamma(p x, nu x), nu ~ Gamma(q, gamma), for the repeat buyers of a BG/NBD simulation.

Transactions: one row per order (customer_id int64, ordered_at timestamp, amount float64),
written as Parquet and CSV, for the RFM summary case.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

BG_PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD_PARAMS = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
GG_PARAMS = {"p": 6.25, "q": 3.74, "gamma": 15.44}
MAX_AGE_DAYS = 546  # 78 weeks
OBSERVATION_END = pd.Timestamp("2024-12-31")
SEED = 20240101


def _ages_in_days(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(7, MAX_AGE_DAYS + 1, size=n).astype(float)


def _last_of_uniform_times(
    rng: np.random.Generator, x: np.ndarray, n: np.ndarray, span: np.ndarray
) -> np.ndarray:
    """Time of the x-th of n uniform events on [0, span] (0 when x = 0)."""
    out = np.zeros_like(span)
    some = x > 0
    out[some] = span[some] * rng.beta(x[some], n[some] - x[some] + 1)
    return out


def _as_weeks(recency_days: np.ndarray, age_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    recency = np.minimum(np.round(recency_days), age_days)
    return recency / 7.0, age_days / 7.0


def simulate_bg_nbd(n: int, seed: int = SEED) -> pd.DataFrame:
    """frequency, recency, T (weeks) for n customers under the BG/NBD model."""
    rng = np.random.default_rng(seed)
    p = BG_PARAMS
    age = _ages_in_days(rng, n)
    rate = rng.gamma(p["r"], 1.0 / p["alpha"], size=n) / 7.0  # per day
    dropout = rng.beta(p["a"], p["b"], size=n)
    events = rng.poisson(rate * age)
    last_possible = rng.geometric(dropout)  # the purchase after which the customer drops out
    frequency = np.minimum(events, last_possible)
    recency_days = _last_of_uniform_times(rng, frequency, events, age)
    recency, T = _as_weeks(recency_days, age)
    return pd.DataFrame({"customer_id": np.arange(n, dtype=np.int64),
                         "frequency": frequency.astype(float), "recency": recency, "T": T})


def simulate_pareto_nbd(n: int, seed: int = SEED + 1) -> pd.DataFrame:
    """frequency, recency, T (weeks) for n customers under the Pareto/NBD model."""
    rng = np.random.default_rng(seed)
    p = PNBD_PARAMS
    age = _ages_in_days(rng, n)
    rate = rng.gamma(p["r"], 1.0 / p["alpha"], size=n) / 7.0
    death = rng.gamma(p["s"], 1.0 / p["beta"], size=n) / 7.0
    lifetime = rng.exponential(1.0 / death)
    span = np.minimum(lifetime, age)
    frequency = rng.poisson(rate * span)
    recency_days = _last_of_uniform_times(rng, frequency, frequency, span)
    recency, T = _as_weeks(recency_days, age)
    return pd.DataFrame({"customer_id": np.arange(n, dtype=np.int64),
                         "frequency": frequency.astype(float), "recency": recency, "T": T})


def add_monetary_value(summary: pd.DataFrame, seed: int = SEED + 2) -> pd.DataFrame:
    """Add monetary_value (mean repeat spend, 0 without repeat purchase) under Gamma-Gamma."""
    rng = np.random.default_rng(seed)
    p = GG_PARAMS
    x = summary["frequency"].to_numpy()
    nu = rng.gamma(p["q"], 1.0 / p["gamma"], size=x.size)
    value = np.zeros_like(x)
    some = x > 0
    value[some] = rng.gamma(p["p"] * x[some], 1.0 / (nu[some] * x[some]))
    return summary.assign(monetary_value=np.round(value, 2))


def simulate_transactions(n_orders: int, n_customers: int, seed: int = SEED + 3) -> pa.Table:
    """n_orders orders of n_customers customers over two years before OBSERVATION_END."""
    rng = np.random.default_rng(seed)
    horizon_days = 730
    first = rng.integers(0, horizon_days, size=n_customers)
    propensity = rng.gamma(0.5, 1.0, size=n_customers)
    repeat_owner = rng.choice(n_customers, size=n_orders - n_customers,
                              p=propensity / propensity.sum())
    customer = np.concatenate([np.arange(n_customers), repeat_owner])
    start = first[customer]
    offset = rng.random(customer.size) * (horizon_days - start)
    offset[:n_customers] = 0.0
    seconds = ((start + offset) * 86400).astype(np.int64) + rng.integers(0, 86400, customer.size)
    origin = OBSERVATION_END - pd.Timedelta(days=horizon_days)
    ordered_at = origin.to_datetime64().astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    amount = np.round(rng.lognormal(3.2, 0.8, size=customer.size), 2)
    order = rng.permutation(customer.size)  # orders arrive shuffled, as in a real export
    return pa.table({
        "customer_id": pa.array(customer[order].astype(np.int64)),
        "ordered_at": pa.array(ordered_at[order].astype("datetime64[us]")),
        "amount": pa.array(amount[order]),
    })


def _write(frame: pd.DataFrame, path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def generate(data_dir: Path, sizes: dict[str, int], log=print) -> None:
    """Write every data set of ``sizes`` into ``data_dir`` unless it is already there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    jobs = {
        "bg_nbd.parquet": lambda: simulate_bg_nbd(sizes["bg_nbd"]),
        "pareto_small.parquet": lambda: simulate_pareto_nbd(sizes["pareto_small"]),
        "pareto_large.parquet": lambda: simulate_pareto_nbd(sizes["pareto_large"], SEED + 11),
        "gamma_gamma.parquet": lambda: _repeat_buyers(sizes["gamma_gamma"]),
        "scoring.parquet": lambda: add_monetary_value(simulate_bg_nbd(sizes["scoring"], SEED + 7)),
    }
    for name, make in jobs.items():
        path = data_dir / name
        if not path.exists():
            started = time.perf_counter()
            _write(make(), path)
            log(f"  wrote {path} in {time.perf_counter() - started:.1f} s")
    parquet, csv = data_dir / "orders.parquet", data_dir / "orders.csv"
    if not (parquet.exists() and csv.exists()):
        started = time.perf_counter()
        orders = simulate_transactions(sizes["orders"], max(sizes["orders"] // 10, 1))
        pq.write_table(orders, parquet)
        pacsv.write_csv(orders, csv)
        log(f"  wrote {parquet} and {csv} in {time.perf_counter() - started:.1f} s")


def _repeat_buyers(n: int) -> pd.DataFrame:
    """n repeat buyers (frequency > 0) with their mean spend."""
    pieces, total, seed = [], 0, SEED + 20
    while total < n:
        summary = simulate_bg_nbd(max(2 * (n - total), 1000), seed)
        buyers = summary[summary["frequency"] > 0]
        pieces.append(buyers)
        total += len(buyers)
        seed += 1
    buyers = pd.concat(pieces, ignore_index=True).iloc[:n]
    buyers = add_monetary_value(buyers.assign(customer_id=np.arange(n, dtype=np.int64)))
    return buyers[["customer_id", "frequency", "monetary_value"]]
