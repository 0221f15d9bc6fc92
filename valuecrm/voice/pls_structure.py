"""A PLS path model's specification in the user's words, checked and turned into index form.

``blocks``: construct -> its items (the measurement, or outer, model); ``paths``: pairs
(source, target) (the structural, or inner, model); ``modes``: construct -> "A" (reflective,
the default) or "B" (formative).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from valuecrm.errors import ParameterError
from valuecrm.voice.pls_algorithm import SCHEMES, Structure

MODES = ("A", "B")


@dataclass(frozen=True)
class Layout:
    constructs: tuple[str, ...]
    items: tuple[str, ...]
    construct_of: dict[str, str]
    paths: tuple[tuple[str, str], ...]
    modes: dict[str, str]
    structure: Structure


def _topological_order(constructs: Sequence[str], paths: Iterable[tuple[str, str]]) -> bool:
    """Whether the paths have no cycle (PLS path models are recursive)."""
    incoming = {c: 0 for c in constructs}
    out: dict[str, list[str]] = {c: [] for c in constructs}
    for a, b in paths:
        incoming[b] += 1
        out[a].append(b)
    ready = [c for c in constructs if incoming[c] == 0]
    seen = 0
    while ready:
        c = ready.pop()
        seen += 1
        for b in out[c]:
            incoming[b] -= 1
            if incoming[b] == 0:
                ready.append(b)
    return seen == len(constructs)


def layout(blocks: Mapping[str, Sequence[str]], paths: Iterable[Sequence[str]], scheme: str,
           modes: Mapping[str, str] | None, owner: str = "PLSPathModel") -> Layout:
    """Check the specification; every message names the construct, item or path at fault."""
    if scheme not in SCHEMES:
        raise ParameterError.of("scheme", owner, "one of " + ", ".join(map(repr, SCHEMES)), scheme)
    if not isinstance(blocks, Mapping) or not blocks:
        raise ParameterError.of("blocks", owner, "a mapping construct -> list of items", blocks)
    constructs = tuple(str(c) for c in blocks)
    construct_of: dict[str, str] = {}
    items: list[str] = []
    for construct, block in blocks.items():
        block = [block] if isinstance(block, str) else list(block)
        if not block:
            raise ParameterError(f"The construct {construct!r} has no items: give it at least one.")
        for item in block:
            if item in construct_of:
                raise ParameterError(
                    f"The item {item!r} is in two constructs, {construct_of[item]!r} and "
                    f"{construct!r}: each item measures one construct.")
            construct_of[item] = str(construct)
            items.append(item)
    pairs: list[tuple[str, str]] = []
    for path in paths:
        if isinstance(path, str) or len(path) != 2:
            raise ParameterError.of("paths", owner, "a list of (source, target) pairs", path)
        a, b = str(path[0]), str(path[1])
        for end in (a, b):
            if end not in blocks:
                raise ParameterError(
                    f"The path {a} -> {b} names the construct {end!r}, which has no block. "
                    f"Constructs: {', '.join(constructs)}.")
        if a == b or (a, b) in pairs:
            raise ParameterError(f"The path {a} -> {b} is repeated or loops on itself.")
        pairs.append((a, b))
    if not _topological_order(constructs, pairs):
        raise ParameterError("The paths form a cycle; a PLS path model must be recursive.")
    linked = {c for pair in pairs for c in pair}
    alone = [c for c in constructs if c not in linked]
    if alone:
        raise ParameterError(
            f"The construct {alone[0]!r} has no path to or from another construct; every "
            "construct needs one (drop it, or add its paths).")
    mode_of = {c: "A" for c in constructs}
    for construct, mode in (modes or {}).items():
        if construct not in blocks:
            raise ParameterError(f"modes names the construct {construct!r}, which has no block.")
        if str(mode).upper() not in MODES:
            raise ParameterError.of(f"modes[{construct!r}]", owner, "'A' (reflective) or 'B' "
                                    "(formative)", mode)
        mode_of[construct] = str(mode).upper()
    index = {c: k for k, c in enumerate(constructs)}
    adjacency = np.zeros((len(constructs), len(constructs)))
    for a, b in pairs:
        adjacency[index[a], index[b]] = 1.0
    structure = Structure(
        block_of=np.array([index[construct_of[i]] for i in items]),
        adjacency=adjacency,
        mode_b=np.array([mode_of[c] == "B" for c in constructs]),
    )
    return Layout(constructs, tuple(items), construct_of, tuple(pairs), mode_of, structure)


def minimum_respondents(layout: Layout) -> int:
    """The ten-times rule (Barclay, Higgins & Thompson 1995; Hair et al. 2017, ch. 1): ten times
    the largest number of arrows pointing at a construct (paths into it, or the items of a
    formative block)."""
    arrows = layout.structure.adjacency.sum(axis=0).astype(int)
    for k, construct in enumerate(layout.constructs):
        if layout.modes[construct] == "B":
            arrows[k] = max(arrows[k], int((layout.structure.block_of == k).sum()))
    return max(10 * int(arrows.max()), 10)
