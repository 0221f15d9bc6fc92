"""What a campaign did: each arm against its randomised control group (``campaign_effect``).

The difference in means of an outcome between an arm and the control, with Welch's t interval
and test (Welch, 1947, "The generalization of Student's problem when several different
population variances are involved", Biometrika 34): standard error ``sqrt(s1²/n1 + s0²/n0)``
(sample variances, ddof 1), Welch-Satterthwaite degrees of freedom, a two-sided p-value. The
effect is causal only because the arms were drawn at random: on a targeted campaign (no control
group) the same difference measures who was chosen, not what the contact did, and no effect is
given.

Money follows from the difference: the incremental outcome of an arm is ``difference x n`` (extra
responders for a 1/0 outcome, extra revenue for a money one), its margin the revenue times
``margin_rate``, and the ROI ``(incremental margin - contact cost) / contact cost`` (on the
revenue when no margin rate is given).

The group sizes, means and variances are computed by the engine holding the data (an Ibis table
on DuckDB, PySpark...), or by pandas for a DataFrame; only one row per arm comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy import stats

from valuecrm.errors import DataError, ParameterError, SchemaError

EFFECT_COLUMNS = ["arm", "outcome", "kind", "n", "mean", "sd", "control_n", "control_mean",
                  "difference", "ci_low", "ci_high", "p_value", "relative_lift", "incremental",
                  "contact_cost", "incremental_margin", "roi"]
METHOD = ("difference in means against the control arm; 95% Welch t interval and two-sided "
          "Welch t-test (sample variances, Welch-Satterthwaite degrees of freedom); valid as an "
          "effect because the arms were assigned at random")
_OWNER = "campaign_effect"
_CONFIDENCE = 0.95


def campaign_effect(data: pd.DataFrame | ir.Table, *, group: str, outcome: str | Sequence[str],
                    control: object, cost_per_contact: float | None = None,
                    margin_rate: float | None = None, by: str | Sequence[str] | None = None
                    ) -> pd.DataFrame:
    """The effect of each arm of a randomised campaign on ``outcome``, against ``control``.

    ``data`` has one row per customer of the campaign: the arm in column ``group`` (any number
    of arms, A/B/n), the outcome(s) after the campaign window (1/0, e.g. visited, or money, e.g.
    spend; rows with no outcome are left out). ``by`` gives the effect within each segment.

    One row per arm (and segment, and outcome), the control's own row included: ``n``,
    ``mean``, ``sd``, the control's ``control_n`` and ``control_mean``, ``difference``, its 95%
    Welch interval ``ci_low``-``ci_high``, ``p_value``, ``relative_lift`` (difference / control
    mean), ``incremental`` (difference x n), ``contact_cost`` (``cost_per_contact`` x n),
    ``incremental_margin`` (money outcomes: incremental x ``margin_rate``) and ``roi``
    ((incremental margin - contact cost) / contact cost; on revenue when no margin rate is
    given, as ``kind`` says). ``attrs["method"]`` states the method.
    """
    outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    segments = [] if by is None else [by] if isinstance(by, str) else list(by)
    _check_arguments(data, group, outcomes, segments, cost_per_contact, margin_rate)
    frames = []
    for name in outcomes:
        summary = arm_summary(data, group=group, outcome=name, by=segments)
        frames.append(_effects(summary, group, name, control, segments, cost_per_contact,
                               margin_rate))
    result = pd.concat(frames, ignore_index=True)
    result.attrs["method"] = METHOD
    return result


def arm_summary(data: pd.DataFrame | ir.Table, *, group: str, outcome: str,
                by: list[str]) -> pd.DataFrame:
    """n, mean, sample variance of ``outcome`` and whether it is 1/0, per arm (and segment),
    counted where the data are."""
    keys = [*by, group]
    if isinstance(data, ir.Table):
        rows = data.filter(data[outcome].notnull() & data[group].notnull())
        value = rows[outcome].cast("float64")
        summary = rows.group_by(keys).aggregate(
            n=value.count(), mean=value.mean(), var=value.var(how="sample"),
            nonbinary=(~value.isin([0.0, 1.0])).cast("int64").sum())
        frame = summary.to_pandas()
    else:
        rows = data[[*keys, outcome]].copy()
        rows[outcome] = pd.to_numeric(rows[outcome]).astype("float64")
        rows = rows.dropna(subset=[outcome, group])
        grouped = rows.groupby(keys, sort=False, observed=True, dropna=False)[outcome]
        frame = grouped.agg(n="count", mean="mean", var="var").reset_index()
        nonbinary = (~rows[outcome].isin([0.0, 1.0])).groupby(
            [rows[k] for k in keys], sort=False, observed=True, dropna=False).sum()
        frame["nonbinary"] = nonbinary.to_numpy()
    frame = frame.rename(columns={group: "arm"})
    return frame.astype({"n": "int64", "mean": "float64", "var": "float64",
                         "nonbinary": "int64"})


def _effects(summary: pd.DataFrame, group: str, outcome: str, control: object,
             segments: list[str], cost_per_contact: float | None,
             margin_rate: float | None) -> pd.DataFrame:
    arms = sorted(summary["arm"].astype(str).unique())
    if not (summary["arm"] == control).any():
        raise DataError(
            f"No customer is in the control arm {control!r} of column {group!r} (arms: "
            f"{', '.join(arms)}).",
            hint="Without a control group a difference between arms measures who was chosen "
                 "(selection), not what the campaign did: name the arm that was held out at "
                 "random as control=..., or plan the next campaign with a control group.")
    small = summary[summary["n"] < 2]
    if len(small):
        where = small.iloc[0]
        cell = ", ".join(f"{k}={where[k]!r}" for k in segments)
        raise DataError(
            f"The arm {where['arm']!r} of column {group!r}{' (' + cell + ')' if cell else ''} "
            f"has {where['n']} customer(s) with a value of {outcome!r}; an effect needs at "
            "least 2 in every arm.",
            hint="Merge small arms or segments, or leave them out before asking for the effect.")
    binary = bool(summary["nonbinary"].sum() == 0)
    controls = summary[summary["arm"] == control].drop(columns=["arm", "nonbinary"])
    controls = controls.rename(columns={"n": "control_n", "mean": "control_mean",
                                        "var": "control_var"})
    if segments:
        frame = summary.merge(controls, on=segments, how="left")
        missing = frame[frame["control_n"].isna()]
        if len(missing):
            cell = ", ".join(f"{k}={missing.iloc[0][k]!r}" for k in segments)
            raise DataError(
                f"The segment {cell} has no customer in the control arm {control!r}, so no "
                "effect can be measured there.",
                hint="Assign control customers within every segment (stratify by it), or "
                     "measure without by=.")
    else:
        frame = summary.merge(controls, how="cross")
    frame["control_n"] = frame["control_n"].astype("int64")
    return _measures(frame, outcome, control, binary, cost_per_contact, margin_rate, segments)


def _measures(frame: pd.DataFrame, outcome: str, control: object, binary: bool,
              cost_per_contact: float | None, margin_rate: float | None,
              segments: list[str]) -> pd.DataFrame:
    is_control = (frame["arm"] == control).to_numpy()
    n, n0 = frame["n"].to_numpy(float), frame["control_n"].to_numpy(float)
    share, share0 = frame["var"].to_numpy() / n, frame["control_var"].to_numpy() / n0
    difference = frame["mean"].to_numpy() - frame["control_mean"].to_numpy()
    se = np.sqrt(share + share0)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (share + share0) ** 2 / (share**2 / (n - 1) + share0**2 / (n0 - 1))
        half = stats.t.ppf(0.5 + _CONFIDENCE / 2, df) * se
        p_value = 2 * stats.t.sf(np.abs(difference / se), df)
        relative = difference / frame["control_mean"].to_numpy()
    no_spread = se == 0
    half[no_spread] = 0.0
    p_value[no_spread] = np.where(difference[no_spread] == 0, 1.0, 0.0)
    incremental = difference * n
    cost = np.full(len(frame), np.nan) if cost_per_contact is None else cost_per_contact * n
    cost = cost.astype(float)
    cost[is_control] = np.nan  # the control is not contacted
    nothing = np.full(len(frame), np.nan)
    margin = nothing if binary or margin_rate is None else incremental * margin_rate
    gain = nothing if binary else margin if margin_rate is not None else incremental
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = (gain - cost) / cost
    out = pd.DataFrame({
        **{k: frame[k] for k in segments},
        "arm": frame["arm"], "outcome": outcome,
        "kind": "binary" if binary else ("money (margin)" if margin_rate is not None
                                         else "money (revenue)"),
        "n": frame["n"], "mean": frame["mean"], "sd": np.sqrt(frame["var"]),
        "control_n": frame["control_n"], "control_mean": frame["control_mean"],
        "difference": difference, "ci_low": difference - half, "ci_high": difference + half,
        "p_value": p_value, "relative_lift": relative, "incremental": incremental,
        "contact_cost": cost, "incremental_margin": margin, "roi": roi,
    })
    comparison = ["difference", "ci_low", "ci_high", "p_value", "relative_lift", "incremental",
                  "incremental_margin", "roi"]
    out.loc[is_control, comparison] = np.nan
    # by segment, the control first, then the arms by name
    order = out.assign(_treated=~is_control, _name=out["arm"].astype(str))
    order = order.sort_values([*segments, "_treated", "_name"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _check_arguments(data: object, group: str, outcomes: list[str], segments: list[str],
                     cost_per_contact: float | None, margin_rate: float | None) -> None:
    if not isinstance(data, pd.DataFrame | ir.Table):
        raise ParameterError.of("data", _OWNER, "a pandas DataFrame or an Ibis table",
                                type(data).__name__)
    columns = list(data.columns)
    missing = [c for c in [group, *outcomes, *segments] if c not in columns]
    if missing:
        raise SchemaError(f"The campaign data have no column {', '.join(map(repr, missing))} "
                          f"(columns: {', '.join(map(str, columns))}).",
                          hint="Name the arm column with group=..., the outcome with "
                               "outcome=... and the segments with by=...")
    if not outcomes:
        raise ParameterError.of("outcome", _OWNER, "a column name", outcomes)
    for name in outcomes:
        dtype = data.schema()[name] if isinstance(data, ir.Table) else data[name].dtype
        numeric = (dtype.is_numeric() or dtype.is_boolean() if isinstance(data, ir.Table)
                   else pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
        if not numeric:
            raise SchemaError(f"The outcome column {name!r} holds {dtype}, not numbers.",
                              hint="Give a 1/0 outcome (visited, bought) or an amount (spend).")
    for name, value in (("cost_per_contact", cost_per_contact), ("margin_rate", margin_rate)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not value >= 0 or not np.isfinite(value)):
            raise ParameterError.of(name, _OWNER, "None or a finite number >= 0", value)
