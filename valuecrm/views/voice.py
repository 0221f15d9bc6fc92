"""The voice of the customer from a survey file: NPS and the satisfaction index by PLS.

What ``valuecrm voice nps`` and ``valuecrm voice pls`` print (and what an API route would send):
plain JSON-ready dicts, each figure with its method. Reading the file and fitting the model
happen in :mod:`valuecrm.voice.survey_file`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from valuecrm.errors import SchemaError
from valuecrm.voice import nps
from valuecrm.voice.survey_file import read_survey, satisfaction_index


def survey_nps(path: str | Path, column: str, *, level: float = 0.95) -> dict[str, Any]:
    """The NPS of one 0-10 column of a survey file."""
    frame = read_survey(path)
    if column not in frame.columns:
        raise SchemaError(f"The survey file has no column {column!r}. Columns there: "
                          f"{', '.join(map(str, frame.columns[:30]))}.", column=column)
    result = nps(frame[column], level=level).to_dict()
    return {"file": str(path), "column": column, **result}


def survey_pls(path: str | Path, model: str = "ecsi", *, scheme: str = "path",
               bootstrap: int = 0, seed: int | None = None) -> dict[str, Any]:
    """A ready model (ECSI or ACSI) on a survey file (:func:`.satisfaction_index`)."""
    return {"file": str(path), **satisfaction_index(read_survey(path), model, scheme=scheme,
                                                    bootstrap=bootstrap, seed=seed)}
