"""Customer summaries drawn from the models' own assumptions, for coverage studies and tests.

Each function draws one summary row per customer of ``ages`` (each customer's T, the time from
her first purchase to the end of the observation, in the model's time unit) from the model's
generative story, exactly (no time grid):

- BG/NBD (Fader, Hardie & Lee 2005): purchase rate lambda ~ Gamma(r, alpha), dropout
  probability p ~ Beta(a, b) after each repeat purchase. Of the N ~ Poisson(lambda T) purchases
  a customer alive throughout would make, she makes x = min(N, K), K ~ Geometric(p) the purchase
  after which she leaves; the last is the x-th of N uniform times: t_x = T Beta(x, N - x + 1).
- Pareto/NBD (Schmittlein, Morrison & Colombo 1987): lambda ~ Gamma(r, alpha), lifetime
  tau ~ Exponential(mu), mu ~ Gamma(s, beta); x ~ Poisson(lambda min(tau, T)) and
  t_x = min(tau, T) Beta(x, 1).
- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): nu ~ Gamma(q, gamma) per customer,
  and the mean of x transactions of Gamma(p, nu) value is Gamma(p x, x nu).

Gamma(shape, rate) throughout, as in the papers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["simulate_beta_geo", "simulate_pareto_nbd", "simulate_spend"]


def _gamma(rng: np.random.Generator, shape: float | np.ndarray, rate: float | np.ndarray,
           size: int) -> np.ndarray:
    return rng.gamma(shape, 1.0 / np.asarray(rate, dtype=float), size)


def _summary(x: np.ndarray, t_x: np.ndarray, ages: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"frequency": x.astype(float), "recency": t_x, "T": ages})


def simulate_beta_geo(r: float, alpha: float, a: float, b: float, ages: np.ndarray,
                      rng: np.random.Generator) -> pd.DataFrame:
    """frequency, recency and T of one BG/NBD customer per entry of ``ages``."""
    ages = np.asarray(ages, dtype=float)
    n = ages.size
    rate = _gamma(rng, r, alpha, n)
    dropout = rng.beta(a, b, n)
    alive_throughout = rng.poisson(rate * ages)
    leaves_after = rng.geometric(dropout)  # 1, 2, ...: the purchase after which she leaves
    x = np.minimum(alive_throughout, leaves_after)
    bought = x > 0
    t_x = np.zeros(n)
    t_x[bought] = ages[bought] * rng.beta(x[bought], alive_throughout[bought] - x[bought] + 1)
    return _summary(x, t_x, ages)


def simulate_pareto_nbd(r: float, alpha: float, s: float, beta: float, ages: np.ndarray,
                        rng: np.random.Generator) -> pd.DataFrame:
    """frequency, recency and T of one Pareto/NBD customer per entry of ``ages``."""
    ages = np.asarray(ages, dtype=float)
    n = ages.size
    rate = _gamma(rng, r, alpha, n)
    lifetime = rng.exponential(1.0 / _gamma(rng, s, beta, n))
    active = np.minimum(lifetime, ages)
    x = rng.poisson(rate * active)
    bought = x > 0
    t_x = np.zeros(n)
    t_x[bought] = active[bought] * rng.beta(x[bought], 1.0)
    return _summary(x, t_x, ages)


def simulate_spend(p: float, q: float, gamma: float, frequency: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """The mean value of each customer's ``frequency`` transactions under Gamma-Gamma (0 where
    ``frequency`` is 0)."""
    x = np.asarray(frequency, dtype=float)
    nu = _gamma(rng, q, gamma, x.size)
    bought = x > 0
    spend = np.zeros(x.size)
    spend[bought] = _gamma(rng, p * x[bought], x[bought] * nu[bought], int(bought.sum()))
    return spend
