"""A loyalty programme's rules, read from a small YAML or JSON file and checked before use.

The file (documented in ``docs/loyalty.md``)::

    value_per_point: 0.01          # what a point is worth when redeemed (currency)
    expiry_months: 12              # a balance expires after this many months without earning
    earn:
      points_per_unit: 1           # points per currency unit of a purchase, rounded down per order
      bonus_categories:            # multipliers on the lines of these product categories
        Electronics: 2
    tiers:
      basis: points                # 'points' earned or net 'spend' ...
      window_months: null          # ... over a rolling window (null: since joining)
      levels:
        - {name: bronze, min: 0}
        - {name: silver, min: 1000, benefits: [free delivery]}
    visit_rules:
      - {name: service fee waived, visits: 5, window_months: 12, value: 20}

Every problem is reported with the file, the key and the value (:class:`SourceError`), before
anything is computed or written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from valuecrm.errors import SourceError

__all__ = ["LoyaltyRules", "TierLevel", "VisitRule", "load_rules", "rules_from_dict"]

TOP_KEYS = {"name", "value_per_point", "expiry_months", "earn", "tiers", "visit_rules"}
EARN_KEYS = {"points_per_unit", "bonus_categories"}
TIER_KEYS = {"basis", "window_months", "levels"}
LEVEL_KEYS = {"name", "min", "max", "benefits"}
VISIT_KEYS = {"name", "visits", "window_months", "value"}
BASES = ("points", "spend")
MAX_MONTHS = 1200  # a window of a hundred years
MAX_RATE = 1e6  # points per unit, multipliers, value per point


@dataclass(frozen=True)
class TierLevel:
    """A tier: members whose qualifying points (or spend) reach ``min`` hold it."""

    name: str
    min: float
    benefits: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisitRule:
    """``visits`` purchases within ``window_months`` earn a benefit worth ``value`` (e.g. five
    visits a year and the service fee is waived)."""

    name: str
    visits: int
    window_months: int = 12
    value: float = 0.0


@dataclass(frozen=True)
class LoyaltyRules:
    """A programme's rules (see the module docstring for the file they come from)."""

    points_per_unit: float = 1.0
    bonus_categories: dict[str, float] = field(default_factory=dict)
    tier_basis: str = "points"
    tier_window_months: int | None = None
    tiers: tuple[TierLevel, ...] = (TierLevel("member", 0.0),)
    expiry_months: int | None = 12
    value_per_point: float = 0.01
    visit_rules: tuple[VisitRule, ...] = ()
    name: str = "loyalty programme"
    source: str = "<rules>"

    @property
    def tier_names(self) -> list[str]:
        return [t.name for t in self.tiers]

    def to_dict(self) -> dict[str, Any]:
        """The rules in the file's shape (what ``rules_from_dict`` reads back)."""
        return {
            "name": self.name, "value_per_point": self.value_per_point,
            "expiry_months": self.expiry_months,
            "earn": {"points_per_unit": self.points_per_unit,
                     "bonus_categories": dict(self.bonus_categories)},
            "tiers": {"basis": self.tier_basis, "window_months": self.tier_window_months,
                      "levels": [{"name": t.name, "min": t.min, "benefits": list(t.benefits)}
                                 for t in self.tiers]},
            "visit_rules": [asdict(v) for v in self.visit_rules],
        }

    def check_categories(self, known: Iterable[str]) -> LoyaltyRules:
        """These rules, or a :class:`SourceError` naming a bonus category that is not a product
        category of the database."""
        known = sorted({str(k) for k in known if k is not None})
        for category in self.bonus_categories:
            if category not in known:
                raise SourceError(
                    f"{self.source}: earn.bonus_categories has {category!r}, which is not a "
                    f"product category of this database.",
                    hint=f"Use one of: {', '.join(known) or '(no product categories loaded)'}.",
                    file=self.source, key="earn.bonus_categories", value=category)
        return self


def _fail(source: str, key: str, value: Any, problem: str, hint: str) -> SourceError:
    return SourceError(f"{source}: {key} is {value!r}: {problem}.", hint=hint, file=source,
                       key=key, value=value if isinstance(value, str | int | float) else
                       repr(value))


def _number(source: str, key: str, value: Any, *, positive: bool = False,
            integer: bool = False, minimum: float = 0.0, maximum: float = 1e12) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if not ok or value < minimum or (positive and value <= 0) or value > maximum:
        what = "a whole number" if integer else "a number"
        bound = "greater than 0" if positive else f"at least {minimum:g}"
        raise _fail(source, key, value, f"it must be {what} {bound} and at most {maximum:g}",
                    f"Write a {'positive ' if positive else ''}{what} at {key}.")
    return int(value) if integer else float(value)


def _mapping(source: str, key: str, value: Any, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(source, key, value, "it must be a mapping of keys to values",
                    f"Write {key} as 'key: value' lines (keys: {', '.join(sorted(allowed))}).")
    for name in value:
        if name not in allowed:
            raise _fail(source, f"{key}.{name}" if key else str(name), value[name],
                        "this key is not known",
                        f"Keys allowed here: {', '.join(sorted(allowed))}.")
    return value


def _levels(source: str, raw: Any) -> tuple[TierLevel, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(source, "tiers.levels", raw, "it must be a non-empty list of tiers",
                    "List the tiers from the lowest, each with a name and a min.")
    levels: list[TierLevel] = []
    maxima: list[float | None] = []
    for i, item in enumerate(raw):
        key = f"tiers.levels[{i}]"
        item = _mapping(source, key, item, LEVEL_KEYS)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _fail(source, f"{key}.name", name, "a tier needs a name", "Name every tier.")
        if "min" not in item:
            raise _fail(source, f"{key}.min", None, "a tier needs a min",
                        "Give the points (or spend) from which a member holds the tier.")
        low = _number(source, f"{key}.min", item["min"])
        high = (None if item.get("max") is None
                else _number(source, f"{key}.max", item["max"]))
        benefits = item.get("benefits") or []
        if not isinstance(benefits, list) or not all(isinstance(b, str) for b in benefits):
            raise _fail(source, f"{key}.benefits", benefits, "it must be a list of texts",
                        "Write benefits: [free delivery, priority service].")
        if levels:
            previous, previous_max = levels[-1], maxima[-1]
            if name in {t.name for t in levels}:
                raise _fail(source, f"{key}.name", name, "two tiers have this name",
                            "Give every tier its own name.")
            if low <= previous.min:
                raise _fail(source, f"{key}.min", item["min"],
                            f"the tiers overlap or are out of order (the tier before, "
                            f"{previous.name!r}, starts at {previous.min:g})",
                            "List the tiers from the lowest with strictly increasing min.")
            if previous_max is not None and previous_max != low:
                problem = "overlap" if previous_max > low else "leave a gap"
                raise _fail(source, f"tiers.levels[{i - 1}].max", previous_max,
                            f"the tiers {previous.name!r} and {name!r} {problem} ({name!r} "
                            f"starts at {low:g})",
                            "A tier's max must be the next tier's min (or leave max out).")
        elif low != 0:
            raise _fail(source, f"{key}.min", item["min"], "the lowest tier must start at 0",
                        "Every member holds the lowest tier: set its min to 0.")
        if high is not None and high <= low:
            raise _fail(source, f"{key}.max", item["max"], f"it is not above min ({low:g})",
                        "A tier's max must be greater than its min.")
        levels.append(TierLevel(name.strip(), low, tuple(benefits)))
        maxima.append(high)
    return tuple(levels)


def _visit_rules(source: str, raw: Any) -> tuple[VisitRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(source, "visit_rules", raw, "it must be a list",
                    "Write visit_rules as a list of {name, visits, window_months, value}.")
    rules = []
    for i, item in enumerate(raw):
        key = f"visit_rules[{i}]"
        item = _mapping(source, key, item, VISIT_KEYS)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _fail(source, f"{key}.name", name, "a visit rule needs a name",
                        "Name the benefit, e.g. 'service fee waived'.")
        rules.append(VisitRule(
            name.strip(),
            int(_number(source, f"{key}.visits", item.get("visits"), positive=True,
                        integer=True, maximum=1e6)),
            int(_number(source, f"{key}.window_months", item.get("window_months", 12),
                        positive=True, integer=True, maximum=MAX_MONTHS)),
            _number(source, f"{key}.value", item.get("value", 0.0))))
    return tuple(rules)


def rules_from_dict(document: Any, source: str = "<rules>") -> LoyaltyRules:
    """Checked rules from a parsed document; ``source`` names it in error messages."""
    top = _mapping(source, "", document if document is not None else {}, TOP_KEYS)
    earn = _mapping(source, "earn", top.get("earn") or {}, EARN_KEYS)
    bonus_raw = earn.get("bonus_categories") or {}
    if not isinstance(bonus_raw, Mapping):
        raise _fail(source, "earn.bonus_categories", bonus_raw,
                    "it must map categories to multipliers", "Write e.g. 'Electronics: 2'.")
    bonus = {str(k): _number(source, f"earn.bonus_categories.{k}", v, maximum=MAX_RATE)
             for k, v in bonus_raw.items()}
    tiers = _mapping(source, "tiers", top.get("tiers") or {"levels": [{"name": "member",
                                                                       "min": 0}]}, TIER_KEYS)
    basis = tiers.get("basis", "points")
    if basis not in BASES:
        raise _fail(source, "tiers.basis", basis, "it must be 'points' or 'spend'",
                    "Tiers qualify on points earned or on net spend.")
    window = tiers.get("window_months")
    expiry = top.get("expiry_months", 12)
    name = top.get("name", "loyalty programme")
    return LoyaltyRules(
        points_per_unit=_number(source, "earn.points_per_unit",
                                earn.get("points_per_unit", 1.0), maximum=MAX_RATE),
        bonus_categories=bonus, tier_basis=basis,
        tier_window_months=(None if window is None else int(_number(
            source, "tiers.window_months", window, positive=True, integer=True,
            maximum=MAX_MONTHS))),
        tiers=_levels(source, tiers.get("levels")),
        expiry_months=(None if expiry is None else int(_number(
            source, "expiry_months", expiry, positive=True, integer=True,
            maximum=MAX_MONTHS))),
        value_per_point=_number(source, "value_per_point", top.get("value_per_point", 0.01),
                                maximum=MAX_RATE),
        visit_rules=_visit_rules(source, top.get("visit_rules")),
        name=str(name), source=source)


def load_rules(path: str | Path) -> LoyaltyRules:
    """The rules of a ``.yaml``, ``.yml`` or ``.json`` file, checked (:class:`SourceError`
    naming the file, key and value otherwise)."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"The loyalty rules file {str(path)!r} does not exist.",
                          hint="Give the path of a .yaml or .json rules file (docs/loyalty.md).",
                          file=str(path))
    text = path.read_text(encoding="utf-8")
    try:
        document = (json.loads(text) if path.suffix.lower() == ".json"
                    else yaml.safe_load(text))
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise SourceError(f"{path}: the loyalty rules cannot be read: {error}",
                          hint="Fix the YAML or JSON syntax.", file=str(path)) from None
    return rules_from_dict(document, str(path))
