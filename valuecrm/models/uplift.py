"""Uplift learners: whom a campaign changes, learnt from a test with a control group.

Both wrap any scikit-learn estimator (as scikit-uplift's ``sklift.models``) and follow the
scikit-learn contract: ``__init__`` stores its arguments, ``fit(X, treatment, y)`` returns the
learner, learned values end in ``_``, ``predict(X)`` gives the predicted uplift per row.

- :class:`TwoModelUplift` (the "two-model" or T-learner; Hansotia & Rukstales 2002): one model
  of the outcome on the treated, one on the control; the uplift is the difference of their
  predictions (probabilities for a classifier, values for a regressor).
- :class:`ClassTransformationUplift` (Jaskowski & Jaroszewicz 2012): one classifier of
  ``z = y * t + (1 - y) * (1 - t)``; with half of the customers treated, the uplift is
  ``2 P(z = 1 | x) - 1``. Binary outcomes only.

Without an estimator they use histogram gradient boosting with the defaults of scikit-learn's
``GradientBoostingClassifier`` (100 trees of depth 3, learning rate 0.1, no early stopping),
a regressor for a money outcome. A DataFrame's text and category columns are one-hot encoded
(the columns seen in ``fit`` are kept in ``feature_names_`` and used again by ``predict``).

Hansotia, B. & Rukstales, B. (2002). Incremental value modeling. Journal of Interactive
Marketing, 16(3), 35-46. Jaskowski, M. & Jaroszewicz, S. (2012). Uplift modeling for clinical
trial data. ICML Workshop on Clinical Data Analysis.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, NotFittedError, ParameterError

__all__ = ["ClassTransformationUplift", "TwoModelUplift"]


def default_estimator(binary: bool) -> Any:
    """Histogram gradient boosting with GradientBoostingClassifier's defaults (module doc)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    kind = HistGradientBoostingClassifier if binary else HistGradientBoostingRegressor
    return kind(max_iter=100, max_depth=3, learning_rate=0.1, early_stopping=False,
                random_state=0)


def _design(X: Any, columns: list[str] | None) -> tuple[np.ndarray, list[str] | None]:
    """The numeric matrix of ``X``; a DataFrame's text/category columns one-hot encoded and
    aligned on ``columns`` (those seen in ``fit``) when given."""
    if not isinstance(X, pd.DataFrame):
        matrix = np.asarray(X, dtype=np.float64)
        if matrix.ndim != 2:
            raise ParameterError.of("X", "the uplift learner", "a 2-d array or a DataFrame",
                                    f"shape {matrix.shape}")
        return matrix, None
    encoded = pd.get_dummies(X, dtype=np.float64)
    if columns is not None:
        missing = [c for c in columns if c not in encoded.columns and c in X.columns]
        if missing:
            raise ParameterError(f"X lacks the columns {missing} the learner was fitted on.",
                                 hint="Predict with the same columns as in fit.")
        encoded = encoded.reindex(columns=columns, fill_value=0.0)
    try:
        return encoded.to_numpy(dtype=np.float64), [str(c) for c in encoded.columns]
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"X has columns that are neither numbers nor text: {exc}.") from None


def _assignment(X: np.ndarray, treatment: Any, y: Any, owner: str) -> tuple[np.ndarray, ...]:
    t = np.asarray(treatment)
    if set(np.unique(t).tolist()) - {0, 1}:
        raise ParameterError.of("treatment", owner, "1 (treated) or 0 (control) per row",
                                sorted(set(np.unique(t).tolist()) - {0, 1}, key=str)[:5])
    t = t.astype(bool)
    outcome = np.asarray(y, dtype=np.float64)
    if not (len(X) == len(t) == len(outcome)):
        raise ParameterError(f"X, treatment and y of {owner} must have the same number of "
                             f"rows. Got {len(X)}, {len(t)} and {len(outcome)}.")
    if not np.isfinite(outcome).all():
        raise ParameterError(f"y of {owner} has missing or infinite values.",
                             hint="Fill or drop those rows before fitting.")
    for group, rows in (("treated", t), ("control", ~t)):
        if rows.sum() < 2:
            raise DataError(f"{owner} needs at least 2 {group} customers; got {rows.sum()}.",
                            hint="Fit on a test with both a treatment and a control group.")
    return t, outcome


def _is_binary(outcome: np.ndarray) -> bool:
    return set(np.unique(outcome).tolist()) <= {0.0, 1.0}


def _score(model: Any, X: np.ndarray) -> np.ndarray:
    """P(y = 1) for a classifier, the prediction otherwise."""
    if hasattr(model, "predict_proba") and len(getattr(model, "classes_", ())) == 2:
        return model.predict_proba(X)[:, 1]
    return np.asarray(model.predict(X), dtype=np.float64)


class _UpliftLearner:
    def __init__(self, estimator: Any = None) -> None:
        self.estimator = estimator

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(self)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"estimator": self.estimator}

    def set_params(self, **params: Any) -> _UpliftLearner:
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}(estimator={self.estimator!r})"


class TwoModelUplift(_UpliftLearner):
    """Two models of the outcome, treated and control; uplift = their difference.

    ``estimator``: any scikit-learn classifier or regressor (cloned twice); None for the
    default (module doc). Learned: ``treatment_model_``, ``control_model_``,
    ``feature_names_`` (for a DataFrame), ``n_features_in_``, ``outcome_is_binary_``.
    """

    def fit(self, X: Any, treatment: Any, y: Any) -> TwoModelUplift:
        from sklearn.base import clone

        matrix, names = _design(X, None)
        t, outcome = _assignment(matrix, treatment, y, "TwoModelUplift.fit")
        binary = _is_binary(outcome)
        base = self.estimator if self.estimator is not None else default_estimator(binary)
        self.treatment_model_ = clone(base).fit(matrix[t], outcome[t])
        self.control_model_ = clone(base).fit(matrix[~t], outcome[~t])
        self.feature_names_ = names
        self.n_features_in_ = matrix.shape[1]
        self.outcome_is_binary_ = binary
        return self

    def predict_outcomes(self, X: Any) -> pd.DataFrame:
        """The predicted outcome if treated and if not (columns ``treated``, ``control``)."""
        self._check_fitted()
        matrix, _ = _design(X, self.feature_names_)
        return pd.DataFrame({"treated": _score(self.treatment_model_, matrix),
                             "control": _score(self.control_model_, matrix)})

    def predict(self, X: Any) -> np.ndarray:
        """The predicted uplift of each row: outcome if treated minus outcome if not."""
        both = self.predict_outcomes(X)
        return (both["treated"] - both["control"]).to_numpy()


class ClassTransformationUplift(_UpliftLearner):
    """One classifier of the transformed class ``z = y t + (1 - y)(1 - t)``; uplift =
    ``2 P(z = 1) - 1`` (valid when about half the customers are treated; binary ``y``).

    Learned: ``model_``, ``treated_share_`` (warns nothing: check it is near 0.5),
    ``feature_names_``, ``n_features_in_``.
    """

    def fit(self, X: Any, treatment: Any, y: Any) -> ClassTransformationUplift:
        from sklearn.base import clone

        matrix, names = _design(X, None)
        t, outcome = _assignment(matrix, treatment, y, "ClassTransformationUplift.fit")
        if not _is_binary(outcome):
            raise ParameterError.of("y", "ClassTransformationUplift.fit",
                                    "a binary (0/1) outcome (use TwoModelUplift for money)",
                                    sorted(set(np.unique(outcome).tolist()) - {0.0, 1.0})[:5])
        z = (outcome.astype(bool) == t).astype(np.int64)
        base = self.estimator if self.estimator is not None else default_estimator(True)
        self.model_ = clone(base).fit(matrix, z)
        self.treated_share_ = float(t.mean())
        self.feature_names_ = names
        self.n_features_in_ = matrix.shape[1]
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The predicted uplift of each row, ``2 P(z = 1 | x) - 1``."""
        self._check_fitted()
        matrix, _ = _design(X, self.feature_names_)
        return 2.0 * _score(self.model_, matrix) - 1.0
