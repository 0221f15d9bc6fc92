"""The model-choice rule (valuecrm.models.model_choice) on given figures: an RMSE gap within
noise is a tie, broken by the total error, then the tracking error, then BIC."""

from __future__ import annotations

import math

import numpy as np

from valuecrm.models.model_choice import choose, describe

STATISTICS = ("rmse", "abs_total_error", "tracking_error")


def _figures(point: dict[str, dict[str, float]], noise: dict[str, dict[str, float]]):
    """Resamples of each statistic: the point value, a noise term shared by the models (it
    cancels in the paired gaps) and each model's own noise of the given size."""
    rng = np.random.default_rng(1)
    shared = {s: rng.standard_normal(1000) for s in STATISTICS}
    resampled = {m: {s: point[m][s] + 0.05 * shared[s]
                     + noise[m].get(s, 0.0) * rng.standard_normal(1000) for s in STATISTICS}
                 for m in point}
    return point, resampled


def _point(rmse, total, tracking, bic):
    return {"rmse": rmse, "abs_total_error": total, "tracking_error": tracking, "bic": bic}


def test_an_rmse_gap_beyond_noise_decides():
    point, resampled = _figures(
        {"A": _point(1.00, 0.16, 0.15, 200.0), "B": _point(1.05, 0.01, 0.01, 100.0)},
        {"A": {"rmse": 0.001}, "B": {"rmse": 0.001}})
    choice = choose(point, resampled)
    assert (choice.chosen, choice.decided_by, choice.order) == ("A", "rmse", ["A", "B"])
    assert choice.steps[0]["models"]["B"]["lower"] > 0


def test_an_rmse_gap_within_noise_is_a_tie_broken_by_the_total():
    """The old rule (lowest RMSE) picked A; its total error is worse beyond noise."""
    point, resampled = _figures(
        {"A": _point(1.000, 0.16, 0.15, 100.0), "B": _point(1.002, 0.11, 0.12, 200.0)},
        {"A": {"rmse": 0.01, "abs_total_error": 0.002},
         "B": {"rmse": 0.01, "abs_total_error": 0.002}})
    choice = choose(point, resampled)
    assert (choice.chosen, choice.decided_by) == ("B", "abs_total_error")
    rmse = choice.steps[0]["models"]["B"]
    assert rmse["tied"] and rmse["lower"] <= 0 <= rmse["upper"]
    text = describe(choice)
    assert text.startswith("B chosen on the holdout, decided by the error of the total")
    assert "best A 1.0000; B 1.0020, gap +0.0020" in text and "within noise" in text
    assert "best B 11.0%; A 16.0%, gap +5.0 points" in text and "beyond noise" in text


def test_totals_within_noise_go_to_tracking_then_bic():
    by_tracking = _figures(
        {"A": _point(1.000, 0.100, 0.20, 100.0), "B": _point(1.001, 0.101, 0.10, 200.0)},
        {"A": {"rmse": 0.01, "abs_total_error": 0.02, "tracking_error": 0.001},
         "B": {"rmse": 0.01, "abs_total_error": 0.02, "tracking_error": 0.001}})
    assert choose(*by_tracking).decided_by == "tracking_error"
    assert choose(*by_tracking).chosen == "B"
    all_tied = _figures(
        {"A": _point(1.000, 0.100, 0.100, 100.0), "B": _point(1.001, 0.101, 0.101, 90.0)},
        {m: {s: 0.02 for s in STATISTICS} for m in "AB"})
    choice = choose(*all_tied)
    assert (choice.chosen, choice.decided_by) == ("B", "bic")
    assert [s["criterion"] for s in choice.steps] == [*STATISTICS, "bic"]


def test_a_missing_tracking_error_skips_its_step():
    point, resampled = _figures(
        {"A": _point(1.000, 0.100, math.nan, 100.0), "B": _point(1.001, 0.101, math.nan, 90.0)},
        {m: {s: 0.02 for s in STATISTICS} for m in "AB"})
    choice = choose(point, resampled)
    assert [s["criterion"] for s in choice.steps] == ["rmse", "abs_total_error", "bic"]


def test_without_resamples_the_lowest_rmse_decides():
    point = {"A": _point(1.000, 0.2, 0.2, 100.0), "B": _point(1.001, 0.1, 0.1, 90.0)}
    empty = {m: {s: np.array([]) for s in STATISTICS} for m in point}
    assert choose(point, empty, n_bootstrap=0).chosen == "A"


def test_a_model_without_a_figure_is_out_of_that_step():
    point, resampled = _figures(
        {"A": _point(math.nan, 0.1, 0.1, 100.0), "B": _point(1.001, 0.2, 0.2, 90.0),
         "C": _point(1.000, 0.1, 0.1, 95.0)},
        {m: {s: 0.02 for s in STATISTICS} for m in "ABC"})
    choice = choose(point, resampled)
    assert choice.steps[0]["models"]["A"]["tied"] is False
    assert choice.order[-1] == "A" and choice.chosen in ("B", "C")
    assert "A has none (its predictions are not finite), out" in describe(choice)
