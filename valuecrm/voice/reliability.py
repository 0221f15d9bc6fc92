"""Reliability and validity of the measurement model, as SmartPLS and seminr report them.

All computed on the items' correlation matrix (standardised items), as seminr does:

- Cronbach's alpha, standardised: ``k/(k-1) (1 - k/sum(R))`` (Cronbach 1951);
- rho_A (Dijkstra & Henseler 2015, MIS Quarterly 39(2)): ``(w'w)^2 w'(S-diag S)w /
  w'(ww'-diag(ww'))w``; 1 for single-item and formative constructs;
- composite reliability rho_C (Werts, Linn & Jöreskog 1974): ``(sum l)^2 / ((sum l)^2 +
  sum(1 - l^2))``;
- average variance extracted (Fornell & Larcker 1981): ``mean(l^2)``;
- HTMT (Henseler, Ringle & Sarstedt 2015, JAMS 43): mean absolute correlation between the
  items of two constructs over the geometric mean of their mean absolute within-block
  correlations; a single-item block counts 1 (seminr's convention).

A single-item construct has alpha, rho_A, rho_C and AVE of 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from valuecrm.voice.pls_structure import Layout


def _off_diagonal_mean(block: np.ndarray) -> float:
    k = block.shape[0]
    return float((np.abs(block).sum() - np.abs(np.diag(block)).sum()) / (k * (k - 1)))


def reliability_table(corr: np.ndarray, weights: np.ndarray, loadings: np.ndarray,
                      spec: Layout) -> pd.DataFrame:
    """alpha, rho_a, rho_c and ave by construct."""
    rows = []
    for k, construct in enumerate(spec.constructs):
        items = spec.structure.items_of(k)
        m = items.size
        if m == 1:
            rows.append((construct, 1.0, 1.0, 1.0, 1.0))
            continue
        R = corr[np.ix_(items, items)]
        alpha = m / (m - 1) * (1 - m / R.sum())
        w = weights[items]
        if spec.modes[construct] == "B":
            rho_a = 1.0
        else:
            ww = np.outer(w, w)
            rho_a = (w @ w) ** 2 * (w @ (R - np.diag(np.diag(R))) @ w) / (
                w @ (ww - np.diag(np.diag(ww))) @ w)
        lam = loadings[items]
        rho_c = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        rows.append((construct, float(alpha), float(rho_a), float(rho_c), float((lam**2).mean())))
    return pd.DataFrame([r[1:] for r in rows], columns=["alpha", "rho_a", "rho_c", "ave"],
                        index=pd.Index([r[0] for r in rows], name="construct"))


def htmt(corr: np.ndarray, spec: Layout) -> pd.DataFrame:
    """The heterotrait-monotrait ratio of every pair of constructs (symmetric, NaN diagonal)."""
    names = list(spec.constructs)
    blocks = [spec.structure.items_of(k) for k in range(len(names))]
    mono = [1.0 if b.size == 1 else _off_diagonal_mean(corr[np.ix_(b, b)]) for b in blocks]
    out = np.full((len(names), len(names)), np.nan)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            hetero = float(np.abs(corr[np.ix_(blocks[i], blocks[j])]).mean())
            with np.errstate(divide="ignore", invalid="ignore"):
                out[i, j] = out[j, i] = hetero / np.sqrt(mono[i] * mono[j])
    return pd.DataFrame(out, index=names, columns=names)
