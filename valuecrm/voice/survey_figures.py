"""The figures of a stored or filed survey as plain data: a model file's PLS path model, and
customer perceived value by segment and by wave (what :mod:`valuecrm.views.voice_survey` reads
from the database is fitted here, so the read layer fits nothing)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.errors import DataError
from valuecrm.voice.perceived_value import PerceivedValue, value_by, weights_by_wave
from valuecrm.voice.survey_file import pls_results, records
from valuecrm.voice.survey_model import SurveyModel


def model_file_pls(data: pd.DataFrame, spec: SurveyModel, *, scheme: str = "path",
                   bootstrap: int = 0, seed: int | None = None) -> dict[str, Any]:
    """The model file's PLS path model on wide answers (reversed items turned round)."""
    fitted = spec.pls_model(scheme).fit(spec.turned(data))
    return pls_results(fitted, spec.survey, spec.file, scheme, bootstrap, seed)


def perceived_value_figures(answers: pd.DataFrame, spec: SurveyModel | None, *,
                            segments: pd.Series | None = None, waves: bool = True,
                            n_boot: int = 1000, level: float = 0.95, seed: int | None = 0
                            ) -> dict[str, Any]:
    """:class:`.PerceivedValue` on wide answers (one row per questionnaire, with ``customer_id``
    and ``survey``): the weights, the value by segment (``segments``: customer id -> segment)
    and, with ``waves``, the weights by survey and their change."""
    estimator = PerceivedValue(
        benefits=spec.benefits if spec else None, sacrifices=spec.sacrifices if spec else None,
        overall=spec.overall_value if spec and spec.overall_value else "perceived_value",
        scale=(spec.scales or None) if spec else None, n_boot=n_boot, level=level, seed=seed)
    if spec is not None:
        answers = spec.turned(answers)
    fitted = estimator.fit(answers)
    out: dict[str, Any] = {**fitted.summary(), "segments": [], "waves": [], "changes": []}
    kept = answers.loc[fitted.scores_.index]
    if segments is not None and len(segments):
        groups = kept["customer_id"].map(segments)
        out["segments"] = records(value_by(fitted.scores_, groups, level=level))
    if waves and kept["survey"].nunique() > 1:
        try:
            table, change = weights_by_wave(kept, "survey", estimator, level=level)
        except DataError as error:
            out["waves_note"] = error.message
        else:
            out["waves"] = records(table.assign(wave=table.wave.astype(str)))
            out["changes"] = records(change.assign(from_wave=change.from_wave.astype(str),
                                                   to_wave=change.to_wave.astype(str)))
    return out
