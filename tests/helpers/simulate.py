"""BG/NBD customer histories drawn for tests (Fader, Hardie & Lee 2005): Poisson purchases at
lambda ~ Gamma(r, alpha); after each repeat purchase, dropout with p ~ Beta(a, b)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def simulate_bg_nbd(n: int, *, r: float, alpha: float, a: float, b: float, seed: int,
                    draw_age: Callable[[np.random.Generator, int], np.ndarray]) -> pd.DataFrame:
    """``n`` customers' ``frequency, recency, T``; ``draw_age(rng, n)`` gives each T (weeks)."""
    rng = np.random.default_rng(seed)
    rate, p, age = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n), draw_age(rng, n)
    x, last, t = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        t = t + rng.exponential(1 / rate)
        bought = active & (t < age)
        x[bought] += 1
        last[bought] = t[bought]
        active = bought & (rng.random(n) > p)
    return pd.DataFrame({"frequency": x, "recency": last, "T": age})
