"""Segment rules: which (R score, F score) cells make up each named segment.

A rule names a segment and the R and F scores it takes, e.g.
``{"segment": "Champions", "r": "5", "f": "4-5"}``. Scores are written as one score (``5`` or
``"5"``), a range (``"4-5"``), a comma-separated list of both (``"1-2,5"``) or ``"*"`` (any
score; also the meaning of a missing ``r`` or ``f``). Rules are tried in order and the first
match wins, so a specific rule (Lost: R1 F1) goes before a broader one (Hibernating: R1-2 F1-2).
A rule table must give every cell of the ``bins x bins`` grid a segment; otherwise
:class:`~valuecrm.errors.ParameterError` names the cells left over.

Rule tables may come from a JSON or YAML file: a list of rules, or a mapping whose ``rules`` key
holds that list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valuecrm.errors import ParameterError, SourceError

OWNER = "rfm_scores"
RULE_KEYS = frozenset({"segment", "r", "f"})

#: The usual 11 segments on the 5 x 5 grid of R and F scores (first match wins).
DEFAULT_RULES: tuple[dict[str, str], ...] = (
    {"segment": "Champions", "r": "5", "f": "4-5"},
    {"segment": "Loyal", "r": "3-4", "f": "4-5"},
    {"segment": "Potential Loyalist", "r": "4-5", "f": "2-3"},
    {"segment": "New", "r": "5", "f": "1"},
    {"segment": "Promising", "r": "4", "f": "1"},
    {"segment": "Need Attention", "r": "3", "f": "3"},
    {"segment": "About To Sleep", "r": "3", "f": "1-2"},
    {"segment": "At Risk", "r": "1-2", "f": "3-4"},
    {"segment": "Can't Lose Them", "r": "1-2", "f": "5"},
    {"segment": "Lost", "r": "1", "f": "1"},
    {"segment": "Hibernating", "r": "1-2", "f": "1-2"},
)
DEFAULT_BINS = 5

Cell = tuple[int, int]


@dataclass(frozen=True)
class SegmentRule:
    """A named segment and the R and F scores it covers."""

    segment: str
    r: frozenset[int]
    f: frozenset[int]

    def matches(self, r: int, f: int) -> bool:
        return r in self.r and f in self.f


def parse_scores(spec: Any, bins: int, *, where: str) -> frozenset[int]:
    """The scores named by ``spec`` ("5", "4-5", "1-2,5", "*", 3 or [1, 2]), each in 1..bins."""
    expected = f"scores in 1..{bins} written as 5, '4-5', '1-2,5' or '*'"
    if spec is None or spec == "*":
        return frozenset(range(1, bins + 1))
    if isinstance(spec, bool):
        raise ParameterError.of(where, OWNER, expected, spec)
    if isinstance(spec, int):
        parts: list[str] = [str(spec)]
    elif isinstance(spec, str):
        parts = [p.strip() for p in spec.split(",")]
    elif isinstance(spec, list | tuple):
        parts = [str(p).strip() for p in spec]
    else:
        raise ParameterError.of(where, OWNER, expected, spec)
    scores: set[int] = set()
    for part in parts:
        low, dash, high = part.partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise ParameterError.of(where, OWNER, expected, spec) from None
        if not 1 <= first <= last <= bins:
            raise ParameterError.of(where, OWNER, expected, spec)
        scores.update(range(first, last + 1))
    return frozenset(scores)


def load_rules(source: str | Path | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rule mappings of ``source``: a JSON / YAML file path, or the mappings themselves."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise SourceError(f"The rules file {str(path)!r} does not exist.",
                              hint="Pass the path of a JSON or YAML file, or a list of rules.")
        text = path.read_text(encoding="utf-8")
        try:
            if path.suffix.lower() in {".yaml", ".yml"}:
                import yaml

                loaded = yaml.safe_load(text)
            else:
                loaded = json.loads(text)
        except Exception as exc:
            raise SourceError(f"The rules file {str(path)!r} cannot be read: {exc}",
                              hint="Write it as JSON (.json) or YAML (.yaml, .yml).") from exc
        if isinstance(loaded, Mapping) and "rules" in loaded:
            loaded = loaded["rules"]
        source = loaded
    if isinstance(source, Mapping) or not isinstance(source, Iterable):
        raise ParameterError.of("rules", OWNER, "a list of rules or a JSON / YAML file path",
                                source)
    return [dict(rule) if isinstance(rule, Mapping) else rule for rule in source]


def parse_rules(source: Any, bins: int) -> list[SegmentRule]:
    """Validated rules for a ``bins x bins`` grid, in the order given."""
    rules: list[SegmentRule] = []
    for i, raw in enumerate(load_rules(source)):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise ParameterError.of(where, OWNER, "a mapping with keys segment, r, f", raw)
        unknown = sorted(set(map(str, raw)) - RULE_KEYS)
        segment = raw.get("segment")
        if unknown or not isinstance(segment, str) or not segment.strip():
            raise ParameterError.of(
                where, OWNER, "a mapping with a non-empty 'segment' and optional 'r', 'f'", raw)
        rules.append(SegmentRule(segment.strip(),
                                 parse_scores(raw.get("r"), bins, where=f"{where}['r']"),
                                 parse_scores(raw.get("f"), bins, where=f"{where}['f']")))
    if not rules:
        raise ParameterError.of("rules", OWNER, "a non-empty list of rules", source)
    return rules


def cell_name(cell: Cell) -> str:
    return f"R{cell[0]}F{cell[1]}"


def assign_cells(rules: list[SegmentRule], bins: int) -> dict[Cell, str]:
    """The segment of every (R, F) cell (first matching rule); raises if a cell has none."""
    grid: dict[Cell, str] = {}
    for r in range(1, bins + 1):
        for f in range(1, bins + 1):
            match = next((rule.segment for rule in rules if rule.matches(r, f)), None)
            if match is not None:
                grid[(r, f)] = match
    uncovered = [cell_name((r, f)) for r in range(1, bins + 1) for f in range(1, bins + 1)
                 if (r, f) not in grid]
    if uncovered:
        raise ParameterError(
            f"The segment rules leave {len(uncovered)} of the {bins * bins} (R, F) cells without "
            f"a segment: {', '.join(uncovered)}.",
            hint="Add rules that cover them (a last rule with r '*' and f '*' catches the rest).",
            uncovered=uncovered)
    return grid


def to_default_level(score: int, bins: int) -> int:
    """The 1..5 score whose quantile band holds the middle of band ``score`` of ``bins``."""
    return (10 * score - 5) // (2 * bins) + 1


def segment_grid(rules: Any, bins: int) -> dict[Cell, str]:
    """The segment of every (R, F) cell of the ``bins x bins`` grid.

    With ``rules=None`` the default rules; when ``bins`` is not 5 each score is first mapped to
    the default 1..5 score whose quantile band holds the middle of its own band (with 3 bins,
    1 -> 1, 2 -> 3, 3 -> 5; with 10 bins, 1-2 -> 1, 3-4 -> 2, ...).
    """
    if rules is not None:
        return assign_cells(parse_rules(rules, bins), bins)
    default = assign_cells(parse_rules(DEFAULT_RULES, DEFAULT_BINS), DEFAULT_BINS)
    return {(r, f): default[(to_default_level(r, bins), to_default_level(f, bins))]
            for r in range(1, bins + 1) for f in range(1, bins + 1)}
