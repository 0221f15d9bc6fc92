"""Customer perceived value (顾客知觉价值): benefits weighed against sacrifices.

Perceived value is "the consumer's overall assessment of the utility of a product based on
perceptions of what is received and what is given" (Zeithaml 1988, Journal of Marketing 52(3)).
Benefits are the consumption values of Sheth, Newman & Gross (1991, Journal of Business Research
22(2)): functional, emotional, social, epistemic and conditional, measured as in PERVAL (Sweeney
& Soutar 2001, Journal of Retailing 77(2)), or Kotler's product, service, personnel and image
value; sacrifices are money, time, energy and psychic cost.

Method (the weight analysis, 权重分析):

- each dimension's score is the mean of its items (answers on the items' own scale);
- the **weights** come from an ordinary least-squares regression of an overall perceived value
  item on the dimension scores: a dimension's coefficient is the change in overall value per
  scale point of the dimension, other dimensions held fixed (benefits should be positive,
  sacrifices negative); its **share** is its coefficient over the sum of its side's (a
  dimension whose coefficient has the wrong sign gets share 0). Intervals are percentile
  bootstrap intervals over respondents (Efron & Tibshirani 1993);
- each respondent's **value** is benefits / sacrifices: the share-weighted mean of the benefit
  dimensions over that of the sacrifice dimensions (above 1: more received than given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, NotFittedError, ParameterError
from valuecrm.voice.answers import Scale, read_answers

# The dimensions of the generated surveys (valuecrm.synthetic.feedback): one 1-7 item each.
DEFAULT_BENEFITS = {"functional": ("cpv_functional",), "emotional": ("cpv_emotional",),
                    "social": ("cpv_social",), "service": ("cpv_service",)}
DEFAULT_SACRIFICES = {"money": ("cpv_money",), "time": ("cpv_time",),
                      "energy": ("cpv_energy",), "psychic": ("cpv_psychic",)}
DEFAULT_OVERALL = "perceived_value"
METHOD = ("Dimension score = mean of its items; weights = OLS coefficients of the overall "
          "perceived value item on the dimension scores, shares within benefits and within "
          "sacrifices, percentile bootstrap intervals; value = weighted benefits / weighted "
          "sacrifices (Zeithaml 1988; Sheth, Newman & Gross 1991; Sweeney & Soutar 2001).")


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, float]:
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ beta
    total = float(((y - y.mean()) ** 2).sum())
    return beta[1:], 1.0 - float(residual @ residual) / total if total > 0 else float("nan")


def _bootstrap_coefficients(y: np.ndarray, x: np.ndarray, n_boot: int, seed: int | None
                            ) -> np.ndarray:
    """OLS slopes on ``n_boot`` resamples of the rows, through the normal equations: a
    resample is its count of each row, so its cross-products are one matrix product of the
    counts with the rows' own (a resample whose design is singular gives NaN)."""
    rng = np.random.default_rng(seed)
    n, k = x.shape
    design = np.column_stack([np.ones(n), x])
    products = (design[:, :, None] * design[:, None, :]).reshape(n, -1)  # (n, (k+1)^2)
    moments = design * y[:, None]  # (n, k + 1)
    draws = np.empty((n_boot, k))
    batch = max(1, 4_000_000 // max(n, 1))
    for start in range(0, n_boot, batch):
        size = min(batch, n_boot - start)
        pick = rng.integers(0, n, (size, n)) + (np.arange(size) * n)[:, None]
        counts = np.bincount(pick.ravel(), minlength=size * n).reshape(size, n).astype(float)
        gram = (counts @ products).reshape(size, k + 1, k + 1)
        moment = counts @ moments
        ok = np.linalg.cond(gram) < 1e12
        solved = np.full((size, k + 1), np.nan)
        if ok.any():
            solved[ok] = np.linalg.solve(gram[ok], moment[ok][..., None])[..., 0]
        draws[start:start + size] = solved[:, 1:]
    return draws


def _shares(beta: np.ndarray, sides: np.ndarray) -> np.ndarray:
    """Each coefficient over its side's total, sign-aligned (benefits +, sacrifices -)."""
    aligned = np.where(sides == "benefit", beta, -beta).clip(min=0.0)
    shares = np.zeros_like(aligned)
    for side in ("benefit", "sacrifice"):
        mask = sides == side
        total = aligned[..., mask].sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares[..., mask] = np.where(total > 0, aligned[..., mask] / total, np.nan)
    return shares


class PerceivedValue:
    """Customer perceived value: dimension weights and benefits / sacrifices per respondent.

    Parameters
    ----------
    benefits, sacrifices
        dimension -> its items (columns of the data); defaults: the generated survey's.
    overall
        the overall perceived value item the weights explain.
    scale, missing
        as :class:`.PLSPathModel` (the items' scales; ``"drop"`` or ``"mean"``).
    n_boot, level, seed
        bootstrap resamples, interval level and seed of the intervals.

    Learned: ``weights_`` (DataFrame: dimension, side, coefficient, lower, upper, share,
    share_lower, share_upper), ``r_squared_``, ``scores_`` (one row per respondent kept:
    benefits, sacrifices, value), ``n_respondents_``, ``n_dropped_``.
    """

    def __init__(self, benefits: Mapping[str, Sequence[str]] | None = None,
                 sacrifices: Mapping[str, Sequence[str]] | None = None,
                 overall: str = DEFAULT_OVERALL, *,
                 scale: Scale | Mapping[str, Scale] | None = None, missing: str = "drop",
                 n_boot: int = 1000, level: float = 0.95, seed: int | None = 0) -> None:
        self.benefits = benefits
        self.sacrifices = sacrifices
        self.overall = overall
        self.scale = scale
        self.missing = missing
        self.n_boot = n_boot
        self.level = level
        self.seed = seed

    def _dimensions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        out: dict[str, tuple[str, tuple[str, ...]]] = {}
        for side, given, default in (("benefit", self.benefits, DEFAULT_BENEFITS),
                                     ("sacrifice", self.sacrifices, DEFAULT_SACRIFICES)):
            blocks = default if given is None else given
            if not blocks:
                raise ParameterError(f"PerceivedValue needs at least one {side} dimension.")
            for name, items in blocks.items():
                items = (items,) if isinstance(items, str) else tuple(items)
                if not items or name in out:
                    raise ParameterError(f"The {side} dimension {name!r} has no items or is "
                                         "named twice.")
                out[str(name)] = (side, items)
        return out

    def fit(self, data: Any) -> Self:
        """Estimate the weights and each respondent's value from ``data`` (one row each)."""
        if not 0.5 <= self.level < 1:
            raise ParameterError.of("level", "PerceivedValue", "a number in [0.5, 1)",
                                    self.level)
        if int(self.n_boot) < 0:
            raise ParameterError.of("n_boot", "PerceivedValue", "an integer >= 0", self.n_boot)
        dims = self._dimensions()
        items = list(dict.fromkeys([i for _, its in dims.values() for i in its]))
        answers = read_answers(data, [*items, self.overall], scale=self.scale,
                               missing=self.missing, owner="The perceived value model")
        column = {item: j for j, item in enumerate(answers.items)}
        x = np.column_stack([answers.values[:, [column[i] for i in its]].mean(axis=1)
                             for _, its in dims.values()])
        y = answers.values[:, column[self.overall]]
        n, k = x.shape
        if n < max(10 * k, 30):
            raise DataError(f"The perceived value model has {n} complete respondents, fewer "
                            f"than the {max(10 * k, 30)} its {k} dimensions need (ten per "
                            "dimension, at least 30).",
                            hint="Collect more answers, or use fewer dimensions.")
        flat = [name for name, sd in zip(dims, x.std(axis=0), strict=True) if not sd > 0]
        if flat:
            raise DataError(f"The dimension {flat[0]!r} has the same score from every "
                            "respondent: its weight cannot be estimated.",
                            hint="Check its items' column, or leave the dimension out.")
        beta, self.r_squared_ = _ols(y, x)
        sides = np.array([side for side, _ in dims.values()])
        shares = _shares(beta, sides)
        alpha = (1 - self.level) / 2
        lower = upper = share_lower = share_upper = np.full(k, np.nan)
        if self.n_boot:
            draws = _bootstrap_coefficients(y, x, int(self.n_boot), self.seed)
            lower, upper = np.nanquantile(draws, [alpha, 1 - alpha], axis=0)
            boot_shares = _shares(draws, sides)
            share_lower, share_upper = np.nanquantile(boot_shares, [alpha, 1 - alpha], axis=0)
            self.coefficient_draws_ = pd.DataFrame(draws, columns=list(dims))
        self.weights_ = pd.DataFrame({
            "dimension": list(dims), "side": sides, "items": [", ".join(i) for _, i in
                                                             dims.values()],
            "coefficient": beta, "lower": lower, "upper": upper,
            "share": shares, "share_lower": share_lower, "share_upper": share_upper})
        weight = np.nan_to_num(shares)
        benefit = x[:, sides == "benefit"] @ weight[sides == "benefit"]
        sacrifice = x[:, sides == "sacrifice"] @ weight[sides == "sacrifice"]
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(sacrifice > 0, benefit / sacrifice, np.nan)
        self.scores_ = pd.DataFrame({"benefits": benefit, "sacrifices": sacrifice,
                                     "value": value}, index=answers.index)
        self.n_respondents_, self.n_dropped_ = n, answers.n_dropped
        return self

    def _check(self) -> None:
        if not hasattr(self, "weights_"):
            raise NotFittedError(self)

    def summary(self) -> dict[str, Any]:
        """The fit as plain data: weights with intervals, R², mean value and the method."""
        self._check()
        from valuecrm.voice.survey_file import records

        value = self.scores_["value"].dropna()
        return {"respondents": self.n_respondents_, "dropped": self.n_dropped_,
                "overall_item": self.overall, "r_squared": float(self.r_squared_),
                "level": self.level, "resamples": int(self.n_boot),
                "mean_value": float(value.mean()) if len(value) else None,
                "weights": records(self.weights_), "method": METHOD}


def value_by(scores: pd.DataFrame, groups: pd.Series, *, level: float = 0.95) -> pd.DataFrame:
    """Mean benefits, sacrifices and value (benefits / sacrifices) per group, with a normal
    interval of the mean value (``groups`` aligned to ``scores``' index)."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2))
    frame = scores.assign(group=groups.reindex(scores.index)).dropna(subset=["group", "value"])
    out = frame.groupby("group", observed=True).agg(
        respondents=("value", "size"), benefits=("benefits", "mean"),
        sacrifices=("sacrifices", "mean"), value=("value", "mean"), sd=("value", "std"))
    half = z * out.pop("sd") / np.sqrt(out["respondents"])
    out["lower"], out["upper"] = out["value"] - half, out["value"] + half
    return out.reset_index().sort_values("value", ascending=False, ignore_index=True)


def weights_by_wave(data: pd.DataFrame, wave: str, model: PerceivedValue,
                    *, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The weights fitted on each wave (the values of column ``wave``, in sorted order; waves
    too small to fit are left out) and the change of each coefficient from the first to the
    last wave, with a normal interval from the two waves' bootstrap standard errors
    (independent samples)."""
    from scipy.stats import norm

    fits, skipped = [], []
    for name, part in data.groupby(wave, sort=True):
        try:
            fitted = PerceivedValue(**{**_params(model), "level": level}).fit(part)
        except DataError:  # too few respondents in this wave
            skipped.append(str(name))
            continue
        table = fitted.weights_.assign(wave=name, respondents=fitted.n_respondents_)
        if hasattr(fitted, "coefficient_draws_"):
            table["se"] = fitted.coefficient_draws_.std(ddof=1).to_numpy()
        fits.append(table)
    if len(fits) < 2:
        raise DataError(f"Fewer than two waves (values of {wave!r}) have enough respondents "
                        "to estimate the weights" + (f" (too few in {', '.join(skipped)})"
                                                     if skipped else "") + ".")
    waves = pd.concat(fits, ignore_index=True)
    first, last = fits[0], fits[-1]
    z = float(norm.ppf(0.5 + level / 2))
    change = pd.DataFrame({"dimension": first["dimension"], "side": first["side"],
                           "from_wave": first["wave"], "to_wave": last["wave"],
                           "change": last["coefficient"].to_numpy()
                           - first["coefficient"].to_numpy()})
    if "se" in first:
        se = np.sqrt(first["se"].to_numpy() ** 2 + last["se"].to_numpy() ** 2)
        change["lower"], change["upper"] = change["change"] - z * se, change["change"] + z * se
    return waves, change


def _params(model: PerceivedValue) -> dict[str, Any]:
    return {"benefits": model.benefits, "sacrifices": model.sacrifices,
            "overall": model.overall, "scale": model.scale, "missing": model.missing,
            "n_boot": model.n_boot, "seed": model.seed}
