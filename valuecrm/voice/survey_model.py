"""The survey model file: how a survey export is read and what its items measure.

A small YAML or JSON file (every key but ``survey`` and one item list is optional)::

    survey: mobi-2005            # the name the answers are stored under
    respondent: ResponseId       # the respondent id column (else the row number)
    customer: customer_id        # the customer id column (else the survey is anonymous)
    time: EndDate                # the time column ...
    date: 2005-06-30             # ... or one date for every answer (files without a time)
    scale: 1-10                  # every item's scale: 0-10, 1-10, 1-7 or 1-5 ...
    scales: {NPS: 0-10}          # ... or per item (a construct's ``scale`` is its items')
    reversed: [CUSCO]            # items worded the other way round: low + high - answer
    missing: drop                # drop (listwise) or mean (item mean), see voice.answers
    questions: [NPS]             # more items to store that no construct uses
    benefits: {functional: [F1, F2], social: [S1]}    # perceived value dimensions
    sacrifices: {money: [M1], time: [T1]}
    overall_value: PV                                  # the overall perceived value item
    text: [Comment]              # free-text columns, stored as answer_text
    constructs:
      Image: [IMAG1, IMAG2, IMAG3]         # mode A (reflective)
      Value: {items: [PERV1, PERV2], mode: B, scale: 1-7}
    paths:
      - Image -> Value                     # or [Image, Value]

Items are stored under their column name as question code, with the answer as given (a
reversed item is turned round when a model reads it, never in the database).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from valuecrm.errors import ParameterError, SchemaError, SourceError
from valuecrm.voice.answers import MISSING_RULES, Scale

SCALES: dict[str, Scale] = {"0-10": (0, 10), "1-10": (1, 10), "1-7": (1, 7), "1-5": (1, 5)}
MODES = ("A", "B")
KEYS = ("survey", "respondent", "customer", "time", "date", "scale", "scales", "reversed",
        "missing", "questions", "text", "constructs", "paths", "benefits", "sacrifices",
        "overall_value")


@dataclass(frozen=True)
class SurveyModel:
    """A parsed model file (see the module docstring)."""

    survey: str
    constructs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    paths: tuple[tuple[str, str], ...] = ()
    scales: dict[str, Scale] = field(default_factory=dict)
    reversed: tuple[str, ...] = ()
    missing: str = "drop"
    respondent: str | None = None
    customer: str | None = None
    time: str | None = None
    date: dt.datetime | None = None
    questions: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    benefits: dict[str, tuple[str, ...]] | None = None
    sacrifices: dict[str, tuple[str, ...]] | None = None
    overall_value: str | None = None
    file: str = "The survey model"

    @property
    def items(self) -> list[str]:
        """Every scored item: the constructs' items then the other questions, once each."""
        seen = dict.fromkeys([i for items in self.constructs.values() for i in items])
        seen.update(dict.fromkeys(self.questions))
        for side in (self.benefits, self.sacrifices):
            seen.update(dict.fromkeys(i for items in (side or {}).values() for i in items))
        if self.overall_value:
            seen[self.overall_value] = None
        return list(seen)

    @property
    def columns(self) -> list[str]:
        """Every column of the survey file this model names."""
        named = [self.respondent, self.customer, self.time, *self.items, *self.text]
        return [c for c in named if c]

    def turned(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with the reversed items turned round (low + high - answer)."""
        if not self.reversed:
            return frame
        out = frame.copy()
        for item in self.reversed:
            low, high = self.scales[item]
            out[item] = low + high - pd.to_numeric(out[item])
        return out

    def pls_model(self, scheme: str = "path") -> Any:
        """The PLS path model of the constructs and paths (:class:`.PLSPathModel`)."""
        from valuecrm.voice.pls import PLSPathModel

        if not self.paths:
            raise SchemaError(f"{self.file} has no paths: a PLS model needs at least one "
                              "(paths: [Image -> Satisfaction]).")
        return PLSPathModel({c: list(i) for c, i in self.constructs.items()}, list(self.paths),
                            scheme=scheme, modes=self.modes, scale=self.scales,
                            missing=self.missing)


def parse_scale(value: Any, where: str) -> Scale:
    """``"1-10"``, ``[1, 10]`` or ``{"low": 1, "high": 10}`` as a (low, high) pair."""
    if isinstance(value, str) and value.replace(" ", "") in SCALES:
        return SCALES[value.replace(" ", "")]
    pair = [value.get("low"), value.get("high")] if isinstance(value, Mapping) else value
    try:
        low, high = (float(x) for x in pair)
    except (TypeError, ValueError):
        raise SchemaError(f"{where}: the scale {value!r} is not one of "
                          f"{', '.join(SCALES)} nor a pair [low, high].") from None
    if not low < high:
        raise SchemaError(f"{where}: the scale {value!r} must have low < high.")
    return (low, high)


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise SchemaError(f"{where} must be a list of column names. Got {value!r}.")
    return tuple(str(v) for v in value)


def _mapping(value: Any, where: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SchemaError(f"{where} must be a mapping (name: value). Got {value!r}.")
    return value


def _column(spec: Mapping[str, Any], key: str, file: str) -> str | None:
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise SchemaError(f"{file}: {key} must be a column name. Got {value!r}.")
    return str(value)


def _dimensions(value: Any, where: str) -> dict[str, tuple[str, ...]] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SchemaError(f"{where} must map each dimension to its items "
                          "(functional: [F1, F2]).")
    return {str(k): _names(v, f"{where}, {k!r}") for k, v in value.items()} or None


def _path(value: Any, where: str) -> tuple[str, str]:
    if isinstance(value, str):
        parts = [p.strip() for p in re.split(r"->|→", value)]
    elif isinstance(value, list | tuple):
        parts = [str(p) for p in value]
    else:
        parts = []
    if len(parts) != 2 or not all(parts):
        raise SchemaError(f"{where}: a path is 'Source -> Target' or [Source, Target]. "
                          f"Got {value!r}.")
    return parts[0], parts[1]


def _date(value: Any, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise SchemaError(f"{where}: date {value!r} is not a date (YYYY-MM-DD).") from None


def survey_model(spec: Mapping[str, Any], *, file: str = "The survey model") -> SurveyModel:
    """A model from its parsed content (what the YAML or JSON file holds)."""
    if not isinstance(spec, Mapping):
        raise SchemaError(f"{file} must be a mapping of keys ({', '.join(KEYS)}).")
    unknown = [k for k in spec if k not in KEYS]
    if unknown:
        raise SchemaError(f"{file}: unknown key {unknown[0]!r}. Keys: {', '.join(KEYS)}.")
    survey = spec.get("survey")
    if not isinstance(survey, str | int) or not str(survey).strip():
        raise SchemaError(f"{file} names no survey (survey: NAME, the name the answers are "
                          "stored under).")
    constructs: dict[str, tuple[str, ...]] = {}
    modes: dict[str, str] = {}
    scales: dict[str, Scale] = {}
    default = parse_scale(spec["scale"], f"{file}, scale") if "scale" in spec else None
    for name, body in _mapping(spec.get("constructs"), f"{file}, constructs").items():
        where = f"{file}, construct {name!r}"
        block = body if isinstance(body, Mapping) else {"items": body}
        items = _names(block.get("items"), f"{where}, items")
        if not items:
            raise SchemaError(f"{where} has no items.")
        mode = str(block.get("mode", "A")).upper()
        if mode not in MODES:
            raise SchemaError(f"{where}: mode {block.get('mode')!r} is not A (reflective) or B "
                              "(formative).")
        constructs[str(name)], modes[str(name)] = items, mode
        if "scale" in block:
            scales.update(dict.fromkeys(items, parse_scale(block["scale"], where)))
    for item, value in _mapping(spec.get("scales"), f"{file}, scales").items():
        scales[str(item)] = parse_scale(value, f"{file}, scales, {item!r}")
    given_paths = spec.get("paths") or []
    if not isinstance(given_paths, list):
        raise SchemaError(f"{file}: paths must be a list ('Source -> Target' each).")
    paths = tuple(_path(p, f"{file}, paths") for p in given_paths)
    for source, target in paths:
        for end in (source, target):
            if end not in constructs:
                raise SchemaError(f"{file}: the path {source} -> {target} names {end!r}, which "
                                  f"is not a construct ({', '.join(constructs) or 'none'}).")
    missing = str(spec.get("missing", "drop"))
    if missing not in MISSING_RULES:
        raise SchemaError(f"{file}: missing must be one of {', '.join(MISSING_RULES)}. Got "
                          f"{missing!r}.")
    model = SurveyModel(
        survey=str(survey).strip(), constructs=constructs, modes=modes, paths=paths,
        scales=scales, reversed=_names(spec.get("reversed"), f"{file}, reversed"),
        missing=missing, respondent=_column(spec, "respondent", file),
        customer=_column(spec, "customer", file), time=_column(spec, "time", file),
        date=_date(spec["date"], file) if spec.get("date") is not None else None,
        questions=_names(spec.get("questions"), f"{file}, questions"),
        text=_names(spec.get("text"), f"{file}, text"),
        benefits=_dimensions(spec.get("benefits"), f"{file}, benefits"),
        sacrifices=_dimensions(spec.get("sacrifices"), f"{file}, sacrifices"),
        overall_value=_column(spec, "overall_value", file), file=file)
    if not model.items:
        raise SchemaError(f"{file} names no item: list them under constructs (or questions).")
    if default is not None:
        scales = {item: scales.get(item, default) for item in model.items}
        model = SurveyModel(**{**model.__dict__, "scales": scales})
    stray = [i for i in model.reversed if i not in model.items]
    if stray:
        raise SchemaError(f"{file}: the reversed item {stray[0]!r} is not an item of the model.")
    unscaled = [i for i in model.reversed if i not in model.scales]
    if unscaled:
        raise SchemaError(f"{file}: the reversed item {unscaled[0]!r} needs a declared scale "
                          "(scale: 1-7, or scales: {item: 1-7}) to be turned round.")
    if model.time and model.date:
        raise SchemaError(f"{file} gives both time (a column) and date: keep one.")
    return model


def read_survey_model(path: str | Path) -> SurveyModel:
    """A model file (YAML, or JSON by its .json suffix) as a :class:`SurveyModel`."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise SourceError(f"The survey model file {str(path)!r} does not exist.",
                          hint="Check the path.", file=str(path))
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
        body = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:  # JSON, YAML and decoding errors
        raise SourceError(f"The survey model file {path.name!r} cannot be read: {error}",
                          hint="Write it as YAML (or JSON with a .json name).",
                          file=str(path)) from error
    return survey_model(body, file=f"The model file {path.name!r}")


def as_model(model: SurveyModel | Mapping[str, Any] | str | Path) -> SurveyModel:
    """A model given as a parsed :class:`SurveyModel`, a mapping or a file path."""
    if isinstance(model, SurveyModel):
        return model
    if isinstance(model, Mapping):
        return survey_model(model)
    if isinstance(model, str | Path):
        return read_survey_model(model)
    raise ParameterError(f"The survey model must be a file path or a mapping. Got "
                         f"{type(model).__name__} instead.")
