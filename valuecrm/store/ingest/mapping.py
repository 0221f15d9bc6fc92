"""Column and value mappings: what the user gave, and what is recognised (:mod:`.synonyms`).

Columns match in order: the given mapping (source name -> table column), then exact names, then
names equal once case, spaces and punctuation are ignored ("Customer ID" -> ``customer_id``),
then the common names of :mod:`.synonyms` ("客户编号" -> ``customer_id``). Source columns that
match nothing are ignored with a warning; a required table column that nothing matches refuses
the whole file with a :class:`SchemaError`.

Values: a value mapping ``column: {value: canonical}`` rewrites a column's text before it is
checked (any case; an empty canonical value means "no value"); a column with choices also
recognises the common spellings of :mod:`.synonyms` (``男`` -> ``male``).

A given mapping that names a column or value that cannot be is an error naming where it came
from (the option, the field or the mapping file), the column and the value. A mapping file is a
reusable dictionary: its entries for columns the file does not have are skipped with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.store.ingest.parse import FALSE, TRUE
from valuecrm.store.ingest.synonyms import header_names, value_names
from valuecrm.store.ingest.wording import PYTHON, Wording
from valuecrm.store.schema import TABLES, Table

GIVEN, NAME, RECOGNISED = "given", "name", "recognised"


def normalise(name: str) -> str:
    """``"  Customer ID "`` -> ``"customer_id"`` (letters of every script are kept)."""
    return re.sub(r"[\W_]+", "_", name.strip().lower()).strip("_")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class ColumnRule:
    """Read the source column ``source`` as the table column ``column``."""

    source: str
    column: str
    origin: str  # where it was given, as the user wrote it: "--map 'A=b'", 'mapping["A"]'
    from_file: bool = False


@dataclass(frozen=True)
class ValueRule:
    """Read ``value`` (any case) in ``column`` as ``to`` ("" = no value)."""

    column: str
    value: str
    to: str
    origin: str
    from_file: bool = False


@dataclass
class IngestMapping:
    """The column and value mappings given for one load (later rules win over earlier)."""

    columns: list[ColumnRule] = field(default_factory=list)
    values: list[ValueRule] = field(default_factory=list)

    def __add__(self, other: IngestMapping) -> IngestMapping:
        return IngestMapping(self.columns + other.columns, self.values + other.values)

    @classmethod
    def combine(cls, table: str, mapping: Mapping[str, str] | IngestMapping | None = None,
                values: Mapping[str, Mapping[str, str]] | None = None,
                mapping_file: str | Path | None = None) -> IngestMapping:
        """The mappings of one load: the file's, then ``mapping`` and ``values`` (which win)."""
        given = mapping if isinstance(mapping, IngestMapping) else cls.from_dicts(mapping)
        given = given + cls.from_dicts(None, values)
        return (cls.from_file(mapping_file, table) if mapping_file is not None else cls()) + given

    @classmethod
    def from_dicts(cls, columns: Mapping[str, str] | None = None,
                   values: Mapping[str, Mapping[str, str]] | None = None, *,
                   names: tuple[str, str] = ("mapping", "values"), from_file: bool = False,
                   ) -> IngestMapping:
        """From ``{source: column}`` and ``{column: {value: canonical}}``; ``names`` are how
        errors call the two (``mapping``/``values``, or a mapping file's sections)."""
        mapping = cls()
        if columns is not None and not isinstance(columns, Mapping):
            raise ParameterError(f"{names[0]} must be an object of source column -> table "
                                 f"column, e.g. {{\"客户编号\": \"customer_id\"}}. Got "
                                 f"{columns!r} instead.")
        for source, column in (columns or {}).items():
            origin = f"{names[0]}[{_q(str(source))}]"
            if not isinstance(column, str) or not str(source).strip() or not column.strip():
                raise ParameterError(f"{origin} must map a source column name to a table "
                                     f"column name. Got {column!r} instead.")
            mapping.columns.append(ColumnRule(str(source).strip(), column.strip(), origin,
                                              from_file))
        if values is not None and not isinstance(values, Mapping):
            raise ParameterError(f"{names[1]} must be an object of column -> {{value: "
                                 f"canonical value}}, e.g. {{\"gender\": {{\"男\": \"male\"}}}}."
                                 f" Got {values!r} instead.")
        for column, pairs in (values or {}).items():
            where = f"{names[1]}[{_q(str(column))}]"
            if not isinstance(pairs, Mapping):
                raise ParameterError(f"{where} must be an object of value -> canonical value, "
                                     f"e.g. {{\"男\": \"male\"}}. Got {pairs!r} instead.")
            for value, to in pairs.items():
                origin = f"{where}[{_q(str(value))}]"
                mapping.values.append(ValueRule(str(column).strip(), _text(value),
                                                _text(to), origin, from_file))
        return mapping

    @classmethod
    def from_file(cls, path: str | Path, table: str) -> IngestMapping:
        """Read a YAML or JSON mapping file (see ``docs/schema.md``)::

            columns: {客户编号: customer_id}
            values: {gender: {男: male, 女: female}}

        or the same two sections under table names (``orders: {columns: ..., values: ...}``);
        the top-level sections apply to every table, a table's own ones after them.
        """
        file = Path(path).expanduser()
        label = repr(file.name)
        if not file.is_file():
            raise ParameterError(f"The mapping file {str(file)!r} does not exist.",
                                 hint="Check the path.")
        import yaml

        try:  # a JSON file is YAML too
            body = _read_yaml(file.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            first = str(exc).strip().splitlines()[0]
            raise ParameterError(f"The mapping file {label} is not valid YAML or JSON: {first}",
                                 hint="See docs/schema.md for its layout.") from None
        if body is None:
            body = {}
        known = {"columns", "values"} | set(TABLES)
        if not isinstance(body, dict) or set(body) - known:
            extra = sorted(set(body) - known) if isinstance(body, dict) else [type(body).__name__]
            raise ParameterError(
                f"The mapping file {label} has {', '.join(map(str, extra))} at its top level; "
                "it holds 'columns' and 'values' sections, optionally under table names.",
                hint="e.g. columns: {客户编号: customer_id} and values: {gender: {男: male}}.")
        mapping = cls._section(body, label, "")
        own = body.get(table)
        if own is not None:
            if not isinstance(own, dict) or set(own) - {"columns", "values"}:
                raise ParameterError(f"The section {table} of the mapping file {label} must "
                                     "hold 'columns' and/or 'values'.")
            mapping += cls._section(own, label, f"{table}.")
        return mapping

    @classmethod
    def _section(cls, body: dict[str, Any], label: str, prefix: str) -> IngestMapping:
        return cls.from_dicts(body.get("columns"), body.get("values"), from_file=True,
                              names=(f"{label}: {prefix}columns", f"{label}: {prefix}values"))


def _read_yaml(text: str) -> Any:
    """YAML (or JSON) with every scalar kept as text: 'yes', '01' and '1.0' mean what they say
    in a mapping, and an empty value is the empty string."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    for tag in ("bool", "int", "float"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", Loader.construct_yaml_str)
    Loader.add_constructor("tag:yaml.org,2002:null", lambda loader, node: "")
    return yaml.load(text, Loader=Loader)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class ColumnMatch:
    """One table column and the source column read as it: ``how`` is given, name or
    recognised."""

    source: str
    column: str
    how: str


def _find(found: list[str], wanted: str, used: set[str]) -> str | None:
    hits = [c for c in found if c == wanted and c not in used] or [
        c for c in found if normalise(c) == normalise(wanted) and c not in used]
    return hits[0] if hits else None


def match_columns(table: Table, found: list[str], mapping: IngestMapping, source: str,
                  wording: Wording = PYTHON,
                  headers: Mapping[str, tuple[str, ...]] | None = None,
                  ) -> tuple[list[ColumnMatch], list[str]]:
    """The table columns found in a source with columns ``found``, and warnings; ``headers``
    (column -> common names) replaces the table's common names of :mod:`.synonyms`."""
    targets = set(table.column_names)
    matched: dict[str, ColumnMatch] = {}
    origins: dict[str, str] = {}
    warnings: list[str] = []
    rules: dict[str, ColumnRule] = {}
    for rule in mapping.columns:  # a later rule for the same source column wins
        rules.pop(rule.source, None)
        rules[rule.source] = rule
    given = {r.column for r in rules.values() if not r.from_file}
    elsewhere = {c for t in TABLES.values() for c in t.column_names} - targets
    for rule in rules.values():
        if rule.from_file and (rule.column in given or rule.column in elsewhere):
            continue  # the options win over the file; other tables' columns don't apply
        if rule.column not in targets:
            raise SchemaError(
                f"{rule.origin}: the {table.name} table has no column {rule.column!r}.",
                hint=f"Columns of {table.name}: {', '.join(table.column_names)}.")
        hit = _find(found, rule.source, set())
        if hit is None:
            if rule.from_file:
                continue
            raise SchemaError(f"{rule.origin}: {source} has no column {rule.source!r}.",
                              hint=f"Columns found: {', '.join(found) or 'none'}.")
        if rule.column in matched:
            raise SchemaError(
                f"{origins[rule.column]} and {rule.origin} both map a column to "
                f"{rule.column!r} ({matched[rule.column].source!r} and {hit!r}).",
                hint="Map each table column once.")
        matched[rule.column] = ColumnMatch(hit, rule.column, GIVEN)
        origins[rule.column] = rule.origin
    used = {m.source for m in matched.values()}
    for target in table.column_names:
        if target in matched:
            continue
        exact = [c for c in found if c == target and c not in used]
        loose = exact or [c for c in found if normalise(c) == target and c not in used]
        if len(loose) > 1:
            raise SchemaError(
                f"Several columns of {source} could be {target!r}: {', '.join(loose)}.",
                hint=f"Say which with {wording.map_column(loose[0], target)}.")
        if loose:
            matched[target] = ColumnMatch(loose[0], target, NAME)
            used.add(loose[0])
    for target, names in (header_names(table.name) if headers is None else headers).items():
        if target in matched:
            continue
        hits = [c for name in names for c in found
                if c not in used and normalise(c) == normalise(name)]
        if hits:
            matched[target] = ColumnMatch(hits[0], target, RECOGNISED)
            used.add(hits[0])
            others = list(dict.fromkeys(h for h in hits[1:] if h != hits[0]))
            if others:
                warnings.append(
                    f"{', '.join(others)} could also be {target}; {hits[0]} was used (to use "
                    f"another, map it: {wording.map_column(others[0], target)}).")
    missing = [c for c in table.required if c not in matched]
    if missing:
        raise SchemaError(
            f"{source} has no column for {', '.join(missing)}, which the {table.name} table "
            f"requires. Columns found: {', '.join(found) or 'none'}. Expected: "
            f"{', '.join(table.required)} (required), and any of "
            f"{', '.join(c for c in table.column_names if c not in table.required)}.",
            hint=f"Rename the columns in the file, or map them, e.g. "
                 f"{wording.map_column(found[0] if found else 'SOURCE', missing[0])}.")
    ignored = [c for c in found if c not in used]
    if ignored and table.name != "customers":  # customers keep them as attributes
        warnings.append(f"ignored {len(ignored)} column(s) that the {table.name} table does "
                        f"not have: {', '.join(ignored)}.")
    order = {c: i for i, c in enumerate(table.column_names)}
    return sorted(matched.values(), key=lambda m: order[m.column]), warnings


@dataclass(frozen=True)
class ValueMatch:
    """Text ``value`` (compared in lower case) of ``column`` is read as ``to``."""

    column: str
    value: str
    to: str
    how: str


def _canonical_value(table: Table, rule: ValueRule, column: str) -> str:
    spec = table.column(column)
    if rule.to == "":
        if spec.required:
            raise SchemaError(f"{rule.origin}: {table.name}.{column} is required, so "
                              f"{rule.value!r} cannot be read as no value.",
                              hint="Map it to a value the column accepts.")
        return ""
    if spec.choices:
        for choice in spec.choices:
            if choice.lower() == rule.to.lower():
                return choice
        raise SchemaError(
            f"{rule.origin}: {rule.to!r} is not a value of {table.name}.{column}, so "
            f"{rule.value!r} cannot be read as it.",
            hint=f"{column} is one of: {', '.join(spec.choices)} (or empty for no value).")
    if spec.type == "boolean" and rule.to.lower() not in TRUE + FALSE:
        raise SchemaError(f"{rule.origin}: {rule.to!r} is not true or false, which "
                          f"{table.name}.{column} holds.",
                          hint="Map it to true or false.")
    return rule.to


def match_values(table: Table, columns: list[ColumnMatch], mapping: IngestMapping,
                 source: str) -> tuple[list[ValueMatch], list[str]]:
    """The value mappings to apply to the matched ``columns``, given ones first, and
    warnings."""
    by_source = {m.source: m.column for m in columns}
    present = {m.column for m in columns}
    given: dict[tuple[str, str], ValueMatch] = {}
    warnings: list[str] = []
    elsewhere = {c for t in TABLES.values() for c in t.column_names} - set(table.column_names)
    for rule in mapping.values:
        if rule.from_file and rule.column in elsewhere:
            continue  # a mapping file's entry for another table
        column = rule.column if rule.column in table.column_names else by_source.get(
            rule.column) or next((m.column for m in columns
                                  if normalise(m.source) == normalise(rule.column)), None)
        if column is None:
            raise SchemaError(
                f"{rule.origin}: the {table.name} table has no column {rule.column!r} (and "
                f"{source} has no column of that name).",
                hint=f"Columns of {table.name}: {', '.join(table.column_names)}.")
        if not rule.value:
            raise SchemaError(f"{rule.origin}: the value to read in {column} is empty.",
                              hint="Give the value as it is written in the file.")
        to = _canonical_value(table, rule, column)
        if column not in present:
            if not rule.from_file:
                warnings.append(f"{rule.origin}: {source} has no {column} column, so this "
                                "value mapping is not used.")
            continue
        given[(column, rule.value.lower())] = ValueMatch(column, rule.value, to, GIVEN)
    found = list(given.values())
    for column in [m.column for m in columns]:
        for value, to in value_names(table.name, column).items():
            if (column, value) not in given:
                found.append(ValueMatch(column, value, to, RECOGNISED))
    return found, warnings

