"""The satisfaction index, the importance-performance map and the key drivers, from the stored
answers, for every interface (``valuecrm voice pls`` without a FILE, ``GET /api/voice/index``,
``/ipma``, ``/drivers``, the dashboard's page and the report's section).

The model: :data:`valuecrm.voice.specifications.SINGLE_ITEM_ECSI`, the ECSI structure without
Complaints on the standard question codes (image, expectations, perceived_quality,
perceived_value, satisfaction, loyalty; 1-10), one question per construct, path weighting
scheme (:class:`valuecrm.voice.PLSPathModel`). With one question per construct the PLS scores
are the standardised answers: the path coefficients are standardised regressions, no
measurement error is modelled, and each 0-100 index is the question's mean answer rescaled.
The fits (:mod:`valuecrm.analysis.voice_fit`: the bootstrap of 1,000 resamples of respondents,
seed 0, and the Shapley decomposition) run once per state of the answers and the snapshots, and
are kept (:mod:`.answer_cache`).
"""

from __future__ import annotations

from typing import Any

from valuecrm.analysis.voice_fit import (
    DRIVER_ITEMS,
    RESAMPLES,
    SEED,
    fit_nps_drivers,
    fit_stored_index,
)
from valuecrm.errors import DataError, ParameterError
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept
from valuecrm.views.voice_scores import (
    NPS_QUESTION,
    RATED_QUESTIONS,
    SOURCE,
    answers_of,
)
from valuecrm.voice.specifications import SINGLE_ITEM_ECSI, STORED_QUESTIONS
from valuecrm.voice.stored_answers import answers_state

IPMA_TARGETS = ("Satisfaction", "Loyalty")
MODEL_NOTE = (
    "ECSI structure (Tenenhaus et al. 2005) without Complaints: Image -> Expectation, "
    "Satisfaction, Loyalty; Expectation -> Quality, Value, Satisfaction; Quality -> Value, "
    "Satisfaction; Value -> Satisfaction; Satisfaction -> Loyalty. Each construct is measured "
    "by one question, so its weight and loading are 1 and its score is the standardised "
    "answer: the paths are standardised regressions, no measurement error is modelled "
    "(reliability is not defined), and the 0-100 index is the mean answer rescaled, "
    "(mean - 1) / 9 x 100.")


def _fit(database: Any, survey: str | None) -> dict[str, Any]:
    """The PLS fit, its bootstrap and both IPMAs, as plain data."""
    model, boot = fit_stored_index(answers_of(database, survey, RATED_QUESTIONS))
    paths = model.path_coefficients_.merge(
        boot.paths[["source", "target", "se", "t", "lower", "upper"]], on=["source", "target"])
    indices = boot.indices.rename(columns={"estimate": "index"})
    indices["question"] = [SINGLE_ITEM_ECSI.blocks[c][0] for c in indices["construct"]]
    r_squared = boot.r_squared.rename(columns={"estimate": "r_squared"})
    effects = boot.total_effects.rename(columns={"estimate": "total_effect"})
    ipma = {}
    for target in IPMA_TARGETS:
        table = model.ipma(target)
        cuts = {k: table.attrs[k] for k in ("importance_cut", "performance_cut")}
        table = table.merge(effects.loc[effects["target"] == target,
                                        ["source", "lower", "upper"]],
                            left_on="construct", right_on="source").drop(columns="source")
        ipma[target] = {"table": records(table), **cuts}
    return plain({
        "model": SINGLE_ITEM_ECSI.name, "scheme": model.scheme, "survey": survey,
        "respondents": model.n_respondents_, "dropped_for_missing_answers": model.n_dropped_,
        "paths": records(paths),
        "r_squared": records(r_squared[["construct", "r_squared", "se", "lower", "upper"]]),
        "indices": records(indices[["construct", "question", "index", "se", "lower",
                                    "upper"]]),
        "bootstrap": {"resamples": boot.n_resamples, "failed": boot.n_failed, "seed": SEED,
                      "level": boot.level},
        "ipma": ipma,
        "model_note": MODEL_NOTE, "source": SOURCE,
        "method": "PLS path modelling (Wold 1982; Lohmöller 1989), path weighting scheme, "
                  "standardised answers; 0-100 indices by the ACSI convention (Fornell et al. "
                  f"1996); bootstrap of {RESAMPLES:,} resamples of respondents (seed {SEED}), "
                  "percentile 95% intervals. " + boot.method,
    })


def _kept_fit(database: Any, survey: str | None) -> dict[str, Any]:
    return kept(database, "views.voice_index._fit", lambda: _fit(database, survey), survey,
                answers_state(database))


def voice_index(database: Any, *, survey: str | None = None) -> dict[str, Any]:
    """The satisfaction index of the stored answers: the model, paths and R² with bootstrap
    intervals, and the 0-100 index of each construct with its interval."""
    fitted = _kept_fit(database, survey)
    return {k: v for k, v in fitted.items() if k != "ipma"}


def voice_ipma(database: Any, *, target: str = "Satisfaction", survey: str | None = None
               ) -> dict[str, Any]:
    """The importance-performance map of ``target`` (Satisfaction or Loyalty): per driver its
    importance (unstandardised total effect on the target's 0-100 score), its standardised
    total effect with the bootstrap interval, its 0-100 performance and its quadrant
    (:func:`valuecrm.voice.importance_performance`; cuts at the drivers' means)."""
    wanted = {t.lower(): t for t in IPMA_TARGETS}.get(str(target).lower())
    if wanted is None:
        raise ParameterError.of("target", "voice_ipma", " or ".join(IPMA_TARGETS), target)
    fitted = _kept_fit(database, survey)
    return {"target": wanted, "model": fitted["model"], "respondents": fitted["respondents"],
            **fitted["ipma"][wanted], "source": SOURCE,
            "method": "IPMA (Ringle & Sarstedt 2016): importance = unstandardised total effect "
                      "on the target's 0-100 score (points gained per point of performance); "
                      "performance = the driver's 0-100 index; quadrants (Martilla & James "
                      "1977) split at the drivers' mean importance and mean performance. "
                      "Interval: bootstrap percentile interval of the standardised total effect."
                      " Model: " + MODEL_NOTE}


def _drivers(database: Any, survey: str | None) -> dict[str, Any]:
    found = answers_of(database, survey, [*DRIVER_ITEMS, NPS_QUESTION])
    if found[NPS_QUESTION].notna().sum() == 0:
        raise DataError(f"No stored questionnaire answers the NPS question ({NPS_QUESTION!r}): "
                        "the driver table explains it.")
    table = fit_nps_drivers(found, NPS_QUESTION)
    table.insert(1, "construct", [STORED_QUESTIONS[i] for i in table["item"]])
    return plain({"outcome": NPS_QUESTION, "survey": survey, "respondents": table.attrs["n"],
                  "r_squared": table.attrs["r_squared"], "items": records(table),
                  "importance_cut": table.attrs["importance_cut"],
                  "performance_cut": table.attrs["performance_cut"],
                  "bootstrap": {"resamples": RESAMPLES, "seed": SEED, "level": 0.95},
                  "source": SOURCE,
                  "method": table.attrs["method"] + " Share = importance / R² in %; "
                            f"intervals: percentile, {RESAMPLES:,} bootstrap resamples "
                            f"(seed {SEED}); quadrants split at the items' mean importance and "
                            "mean performance. Respondents with a missing answer are left out."})


def voice_drivers(database: Any, *, survey: str | None = None) -> dict[str, Any]:
    """The key-driver table of NPS: the Shapley (LMG) share of R² of each standard question
    (image, expectations, perceived quality, perceived value, satisfaction) in the regression
    of the 0-10 recommendation, with bootstrap intervals, performance and quadrant
    (:func:`valuecrm.voice.driver_importance`)."""
    return kept(database, "views.voice_index._drivers", lambda: _drivers(database, survey),
                survey, answers_state(database))
