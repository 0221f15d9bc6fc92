"""An independent reference for bench/pls.py: the PLS-PM algorithm written plainly on the data
matrix, as the R package plspm runs it (Sanchez 2013, *PLS Path Modeling with R*, ch. 2 and
plspm's get_weights / get_paths), without anything from valuecrm.

Items standardised (sd ddof 1); outer weights start at 1; inner weights by the centroid,
factorial or path weighting scheme; mode A ``w = X_k' z_k / (n - 1)``, mode B the least-squares
regression of ``z_k`` on ``X_k``; scores rescaled to sd 1; stop when the largest change of a
weight is below ``tol``; paths by least squares on the scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def plspm(data: pd.DataFrame, blocks: dict[str, list[str]], paths: list[tuple[str, str]],
          scheme: str = "path", modes: dict[str, str] | None = None, tol: float = 1e-10,
          max_iter: int = 300) -> dict:
    names = list(blocks)
    K = len(names)
    modes = {c: (modes or {}).get(c, "A") for c in names}
    X = {c: data[blocks[c]].to_numpy(float) for c in names}
    X = {c: (x - x.mean(0)) / x.std(0, ddof=1) for c, x in X.items()}
    n = len(data)
    pred = {j: [i for i in range(K) if (names[i], names[j]) in paths] for j in range(K)}
    succ = {j: [i for i in range(K) if (names[j], names[i]) in paths] for j in range(K)}

    def scaled(c, w):
        return w / (X[c] @ w).std(ddof=1)

    w = {c: scaled(c, np.ones(X[c].shape[1])) for c in names}
    iteration = 0
    while iteration < max_iter:
        iteration += 1
        Y = np.column_stack([X[c] @ w[c] for c in names])
        cor = np.corrcoef(Y, rowvar=False)
        E = np.zeros((K, K))
        for j in range(K):
            for i in pred[j] + succ[j]:
                if scheme == "centroid":
                    E[i, j] = np.sign(cor[i, j])
                elif scheme == "factorial" or i in succ[j]:
                    E[i, j] = cor[i, j]
            if scheme == "path" and pred[j]:
                E[pred[j], j] = np.linalg.lstsq(Y[:, pred[j]], Y[:, j], rcond=None)[0]
        Z = Y @ E
        new = {}
        for k, c in enumerate(names):
            if modes[c] == "A":
                new[c] = scaled(c, X[c].T @ Z[:, k] / (n - 1))
            else:
                new[c] = scaled(c, np.linalg.lstsq(X[c], Z[:, k], rcond=None)[0])
        change = max(np.abs(new[c] - w[c]).max() for c in names)
        w = new
        if change < tol:
            break
    Y = np.column_stack([X[c] @ w[c] for c in names])
    coef, r2 = {}, {}
    for j in range(K):
        if pred[j]:
            beta = np.linalg.lstsq(Y[:, pred[j]], Y[:, j], rcond=None)[0]
            for i, b in zip(pred[j], beta, strict=True):
                coef[(names[i], names[j])] = float(b)
            resid = Y[:, j] - Y[:, pred[j]] @ beta
            r2[names[j]] = float(1 - resid @ resid / (Y[:, j] @ Y[:, j]))
    loadings = {item: float(np.corrcoef(X[c][:, m], Y[:, k])[0, 1])
                for k, c in enumerate(names) for m, item in enumerate(blocks[c])}
    weights = {item: float(w[c][m]) for c in names for m, item in enumerate(blocks[c])}
    return {"paths": coef, "r_squared": r2, "loadings": loadings, "weights": weights,
            "iterations": iteration}
