"""Survey data simulated from a known PLS path model, for the bootstrap's coverage (tests and
bench/pls_coverage.py).

Design: a composite model (Dijkstra 2017; Henseler et al. 2016): three constructs X, M, Y, each
an exact weighted sum of three items (within-block item correlation 0.5, weights proportional
to 0.5, 0.3, 0.4, scaled to unit variance), linked by X -> M (0.5), X -> Y (0.3), M -> Y (0.4).
The items' population correlation matrix is ``S_kl = S_kk w_k r_kl w_l' S_ll`` between blocks
k and l, with ``r`` the constructs' correlations the paths imply. Estimated with every block in
mode B, PLS recovers these weights and paths exactly at the population level, so the paths are
the true values the intervals must cover. Answers are multivariate normal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TRUE_PATHS = {("X", "M"): 0.5, ("X", "Y"): 0.3, ("M", "Y"): 0.4}
CONSTRUCTS = ("X", "M", "Y")
BLOCKS = {c: [f"{c.lower()}{i}" for i in range(1, 4)] for c in CONSTRUCTS}
MODES = dict.fromkeys(CONSTRUCTS, "B")


def population_correlation() -> np.ndarray:
    a, b, c = TRUE_PATHS[("X", "M")], TRUE_PATHS[("X", "Y")], TRUE_PATHS[("M", "Y")]
    r = np.array([[1, a, b + c * a], [a, 1, b * a + c], [b + c * a, b * a + c, 1]])
    within = 0.5 * np.eye(3) + 0.5
    w = np.array([0.5, 0.3, 0.4])
    w = w / np.sqrt(w @ within @ w)
    sigma = np.zeros((9, 9))
    for k in range(3):
        for m in range(3):
            block = within if k == m else r[k, m] * np.outer(within @ w, w @ within)
            sigma[3 * k:3 * k + 3, 3 * m:3 * m + 3] = block
    assert np.linalg.eigvalsh(sigma).min() > 0
    return sigma


def sample(n: int, rng: np.random.Generator) -> pd.DataFrame:
    values = rng.multivariate_normal(np.zeros(9), population_correlation(), size=n)
    return pd.DataFrame(values, columns=[i for c in CONSTRUCTS for i in BLOCKS[c]])


def replicate(replications: int, n: int, resamples: int, seed: int, level: float = 0.95
              ) -> dict[str, np.ndarray]:
    """Fit and bootstrap ``replications`` simulated surveys; per replication and path (in
    ``TRUE_PATHS`` order): the estimate, its bootstrap standard error, and whether the
    percentile interval covers the true value."""
    from valuecrm.voice import PLSPathModel

    rng = np.random.default_rng(seed)
    truth = np.array(list(TRUE_PATHS.values()))
    out: dict[str, list[np.ndarray]] = {"estimate": [], "se": [], "covered": []}
    for rep in range(replications):
        model = PLSPathModel(BLOCKS, list(TRUE_PATHS), modes=MODES).fit(sample(n, rng))
        paths = model.bootstrap(n=resamples, seed=seed + rep, level=level).paths
        out["estimate"].append(paths["estimate"].to_numpy())
        out["se"].append(paths["se"].to_numpy())
        out["covered"].append((paths["lower"].to_numpy() <= truth)
                              & (truth <= paths["upper"].to_numpy()))
    return {k: np.array(v) for k, v in out.items()}
