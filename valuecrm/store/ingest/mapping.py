"""Matching a source's columns to a table's columns.

In order: the explicit ``mapping`` (source name -> table column), then exact names, then names
equal once case, spaces and punctuation are ignored ("Customer ID" -> ``customer_id``).
Source columns that match nothing are ignored with a warning; a required table column that
nothing matches refuses the whole file with a :class:`SchemaError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from valuecrm.errors import SchemaError
from valuecrm.store.schema import Table


def normalise(name: str) -> str:
    """``"  Customer ID "`` -> ``"customer_id"`` (letters of every script are kept)."""
    return re.sub(r"[\W_]+", "_", name.strip().lower()).strip("_")


def match_columns(table: Table, found: list[str], mapping: Mapping[str, str] | None,
                  source: str) -> tuple[dict[str, str], list[str]]:
    """``({table column: source column}, warnings)`` for a source with columns ``found``."""
    targets = set(table.column_names)
    matched: dict[str, str] = {}
    for wanted, target in (mapping or {}).items():
        if target not in targets:
            raise SchemaError(
                f"The mapping {wanted}={target} names a column {target!r} that the "
                f"{table.name} table does not have.",
                hint=f"Columns of {table.name}: {', '.join(table.column_names)}.")
        hits = [c for c in found if c == wanted] or [
            c for c in found if normalise(c) == normalise(wanted)]
        if not hits:
            raise SchemaError(
                f"The mapping {wanted}={target} names a column {wanted!r} that {source} does "
                f"not have.", hint=f"Columns found: {', '.join(found) or 'none'}.")
        if target in matched:
            raise SchemaError(f"Two columns are mapped to {target!r}: {matched[target]!r} and "
                              f"{hits[0]!r}.", hint="Map each table column once.")
        matched[target] = hits[0]
    used = set(matched.values())
    for target in table.column_names:
        if target in matched:
            continue
        exact = [c for c in found if c == target and c not in used]
        loose = exact or [c for c in found if normalise(c) == target and c not in used]
        if len(loose) > 1:
            raise SchemaError(
                f"Several columns of {source} could be {target!r}: {', '.join(loose)}.",
                hint=f"Say which with --map, e.g. --map '{loose[0]}={target}'.")
        if loose:
            matched[target] = loose[0]
            used.add(loose[0])
    missing = [c for c in table.required if c not in matched]
    if missing:
        raise SchemaError(
            f"{source} has no column for {', '.join(missing)}, which the {table.name} table "
            f"requires. Columns found: {', '.join(found) or 'none'}. Expected: "
            f"{', '.join(table.required)} (required), and any of "
            f"{', '.join(c for c in table.column_names if c not in table.required)}.",
            hint="Rename the columns in the file, or map them with --map SOURCE=TARGET.")
    warnings = []
    ignored = [c for c in found if c not in used]
    if ignored:
        warnings.append(f"ignored {len(ignored)} column(s) that the {table.name} table does "
                        f"not have: {', '.join(ignored)}.")
    return matched, warnings
