"""Survey files and the satisfaction index as plain data (what the CLI and an API send).

The survey is a wide file, one row per respondent and one column per item (CSV in any encoding
valuecrm detects, or Excel), as Qualtrics, SurveyMonkey and 问卷星 export it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.errors import ParameterError, SourceError
from valuecrm.store.ingest.encoding import detect_encoding
from valuecrm.voice.specifications import SPECIFICATIONS


def read_survey(path: str | Path, *, sheet: str | None = None, text: bool = False
                ) -> pd.DataFrame:
    """A wide survey file as a DataFrame (CSV, TSV or Excel: its first sheet, or ``sheet``);
    ``text`` keeps every cell as text (identifiers such as 007 keep their zeros)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise SourceError(f"The survey file {str(path)!r} does not exist.",
                          hint="Check the path.", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, sheet_name=sheet or 0, dtype=str if text else None)
    try:
        frame = pd.read_csv(path, sep=None, engine="python", encoding=detect_encoding(path),
                            dtype=str if text else None, keep_default_na=not text,
                            na_values=[""] if text else None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise SourceError(f"The survey file {str(path)!r} cannot be read as a table: {error}",
                          file=str(path)) from error
    if frame.empty:
        raise SourceError(f"The survey file {str(path)!r} has no rows.", file=str(path))
    return frame


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a DataFrame as JSON-ready dicts (NaN as None)."""
    return [{k: _plain(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def satisfaction_index(data: pd.DataFrame, model: str = "ecsi", *, scheme: str = "path",
                       bootstrap: int = 0, seed: int | None = None) -> dict[str, Any]:
    """A ready model (ECSI or ACSI) fitted on survey answers: paths, R², 0-100 indices,
    reliability, and with ``bootstrap`` > 0 the standard errors and intervals, as plain data."""
    spec = SPECIFICATIONS.get(model.lower())
    if spec is None:
        raise ParameterError.of("model", "voice pls", "one of " + ", ".join(SPECIFICATIONS),
                                model)
    fitted = spec.model(scheme=scheme).fit(data)
    return pls_results(fitted, spec.name, spec.source, scheme, bootstrap, seed)


def pls_results(fitted: Any, name: str, source: str, scheme: str, bootstrap: int = 0,
                seed: int | None = None) -> dict[str, Any]:
    """A fitted :class:`.PLSPathModel` as plain data (with ``bootstrap`` resamples if > 0)."""
    out: dict[str, Any] = {
        "model": name, "scheme": scheme,
        "respondents": fitted.n_respondents_, "dropped_for_missing_answers": fitted.n_dropped_,
        "paths": records(fitted.path_coefficients_),
        "r_squared": {k: float(v) for k, v in fitted.r_squared_.items()},
        "indices": {k: float(v) for k, v in fitted.indices_.items()},
        "reliability": records(fitted.reliability_.reset_index()),
        "method": f"PLS path modelling (Wold; Lohmöller 1989), {scheme} scheme, standardised "
                  "items; 0-100 indices by the ACSI convention (Fornell et al. 1996). Model: "
                  f"{source}.",
    }
    if bootstrap:
        boot = fitted.bootstrap(n=bootstrap, seed=seed)
        out["bootstrap"] = {"resamples": boot.n_resamples, "failed": boot.n_failed,
                            "seed": seed, "paths": records(boot.paths),
                            "indices": records(boot.indices), "method": boot.method}
    return out
