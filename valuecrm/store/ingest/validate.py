"""The checks, as SQL over the staging table: a typed copy of it and a table of problems.

Row checks: required values present, types parse (:mod:`.parse`), choices, minimum and maximum,
no event time in the future (campaign dates may be planned ahead), a negative ``orders.amount``
only on a ``returned`` order. File checks: a key may appear once (the first occurrence stands,
whatever its other problems; each later one is a bad row naming the line it repeats), and every
reference must exist in the referenced table (``--create-customers`` creates missing customers
instead of refusing). Rows the CSV reader could not split into the header's columns are bad
rows too ("malformed row").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from valuecrm.errors import ParameterError
from valuecrm.store.ingest.mapping import ValueMatch
from valuecrm.store.ingest.parse import (
    WHITESPACE,
    edge_space,
    failure_reason,
    refine_money_reason,
    sql_string,
    trimmed_if,
    typed_columns,
)
from valuecrm.store.ingest.readers import Staged, literal, quote
from valuecrm.store.ingest.report import ValueUse
from valuecrm.store.ingest.wording import PYTHON, Wording
from valuecrm.store.schema import Table

# Timestamps that may lie in the future (planned, not recorded, events).
FUTURE_ALLOWED = {("campaigns", "started_at"), ("campaigns", "ended_at")}
# A negative value of (table, column) is allowed only when another column has this value.
NEGATIVE_ONLY_WHEN = {("orders", "amount"): ("status", "returned")}
# A reference that another table's key also satisfies: a line's order may be a guest order.
ALSO_REFERENCED = {"orders.order_id": ("guest_orders", "order_id")}
ERRORS_COLUMNS = "err_row BIGINT, pos INTEGER, col VARCHAR, why VARCHAR, ref_row BIGINT"


@dataclass
class Typed:
    """The temporary table ``name``: ``__row`` (the staging rowid) then, per matched table
    column, ``__vN`` its typed value and ``__pN`` whether the source had any text for it."""

    name: str
    table: Table
    sources: dict[str, str]  # table column -> source column
    aliases: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.aliases = {c: i for i, c in enumerate(self.sources)}

    def value(self, column: str) -> str:
        return f"__v{self.aliases[column]}"

    def present(self, column: str) -> str:
        return f"__p{self.aliases[column]}"


def check_date_format(con: duckdb.DuckDBPyConnection, date_format: str | None,
                      wording: Wording = PYTHON) -> str | None:
    """The format without a trailing ``%z``/``%Z`` (offsets are handled separately)."""
    if date_format is None:
        return None
    stripped = date_format.replace("%z", "").replace("%Z", "").strip()
    try:
        con.execute(f"SELECT try_strptime('2000-01-01', {sql_string(stripped)})").fetchall()
    except duckdb.Error:
        expected = "a strptime format such as '%d/%m/%Y %H:%M'"
        if wording.interface == "python":
            raise ParameterError.of("date_format", "ingest", expected, date_format) from None
        raise ParameterError(f"{wording.option('date_format')} must be {expected}. Got "
                             f"{date_format!r} instead.") from None
    return stripped


def mapped_text(text: str, values: dict[str, str]) -> str:
    """SQL: the trimmed text ``text`` read through ``values`` ({lower-case text: canonical},
    "" = no value)."""
    cases = " ".join(f"WHEN {sql_string(k)} THEN {sql_string(v) if v else 'NULL'}"
                     for k, v in values.items())
    return f"CASE lower({text}) {cases} ELSE {text} END"


def create_typed(con: duckdb.DuckDBPyConnection, name: str, table: Table, staged: Staged,
                 matched: dict[str, str], date_format: str | None,
                 values: dict[str, dict[str, str]] | None = None,
                 row_hash: bool = False) -> Typed:
    """Parse every matched column once, into the temporary table ``name``; ``values`` maps
    a column's texts (in lower case) to canonical ones before they are parsed. ``row_hash``
    adds ``__h``, the hash of every staged column (to find exact duplicates in one pass)."""
    typed = Typed(name, table, matched)
    inner, outer = ["rowid AS __row", f"{edge_space([quote(s) for s in matched.values()])} "
                    "AS __space"], ["__row"]
    if row_hash:
        inner.append(f"hash({', '.join(quote(c) for c in staged.columns)}) AS __h")
        outer.append("__h")
    for column, source in matched.items():
        value, text = typed.value(column), f"__t{typed.aliases[column]}"
        mapped = (values or {}).get(column)
        if mapped:
            raw = f"__r{typed.aliases[column]}"
            inner += [f"{trimmed_if(quote(source), '__space')} AS {raw}",
                      f"{mapped_text(raw, mapped)} AS {text}"]
        else:
            inner.append(f"{trimmed_if(quote(source), '__space')} AS {text}")
        inner += [f"{expr} AS {alias}" for alias, expr in
                  typed_columns(table.column(column), text, value, date_format)]
        inner.append(f"{text} IS NOT NULL AS {typed.present(column)}")
        outer += [value, typed.present(column)]
    con.execute(f"CREATE TEMP TABLE {quote(name)} AS SELECT {', '.join(outer)} FROM "
                f"(SELECT {', '.join(inner)} FROM {quote(staged.table)})")
    return typed


def _row_checks(typed: Typed, date_format: str | None, now: dt.datetime,
                wording: Wording) -> list[tuple[str, str, str]]:
    """``[(column, condition, reason)]`` for the checks made one row at a time."""
    table = typed.table
    checks = []
    for column in typed.aliases:
        spec = table.column(column)
        present, value = typed.present(column), typed.value(column)
        if spec.required:
            checks.append((column, f"NOT {present}", sql_string("required value is empty")))
        checks.append((column, f"{present} AND {value} IS NULL",
                       failure_reason(spec, date_format, wording)))
        if spec.minimum is not None:
            checks.append((column, f"{value} < {spec.minimum}",
                           sql_string(f"below the minimum {spec.minimum:g}")))
        if spec.maximum is not None:
            checks.append((column, f"{value} > {spec.maximum}",
                           sql_string(f"above the maximum {spec.maximum:g}")))
        if spec.type in ("timestamp", "date") and (table.name, column) not in FUTURE_ALLOWED:
            checks.append((column, f"{value} > TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}'",
                           sql_string(f"in the future (now is {now:%Y-%m-%d %H:%M} UTC; a time "
                                      "without an offset is read as UTC)")))
        rule = NEGATIVE_ONLY_WHEN.get((table.name, column))
        if rule:
            other, allowed = rule
            state = typed.value(other) if other in typed.aliases else "NULL"
            checks.append((column, f"{value} < 0 AND coalesce({state}, '') <> '{allowed}'",
                           sql_string(f"negative {column} is allowed only when {other} is "
                                      f"'{allowed}'")))
    return checks


def find_problems(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str,
                  date_format: str | None, create_customers: bool, now: dt.datetime,
                  wording: Wording = PYTHON) -> None:
    """Fill the temporary table ``errors`` with every problem found (line still unknown)."""
    con.execute(f"CREATE TEMP TABLE {quote(errors)} ({ERRORS_COLUMNS})")
    position = {c: i for i, c in enumerate(typed.table.column_names)}
    checks = _row_checks(typed, date_format, now, wording)
    if checks:
        items = ", ".join(
            f"CASE WHEN coalesce({cond}, false) THEN {{'pos': {position[col]}, 'col': "
            f"{sql_string(col)}, 'why': {why}}} END" for col, cond, why in checks)
        any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in checks)
        con.execute(
            f"INSERT INTO {quote(errors)} SELECT __row, e['pos'], e['col'], e['why'], NULL "
            f"FROM (SELECT __row, unnest(list_filter([{items}], x -> x IS NOT NULL)) AS e "
            f"FROM {quote(typed.name)} WHERE {any_bad})")
    _duplicate_keys(con, typed, errors, position)
    _missing_references(con, typed, errors, position, create_customers, wording)


def _duplicate_keys(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str,
                    position: dict[str, int]) -> None:
    if not typed.table.key:  # a file of order lines: rows repeat their order on purpose
        return
    keys = [typed.value(k) for k in typed.table.key]
    label = ", ".join(typed.table.key)
    joined = " AND ".join(f"v.{k} = d.{k}" for k in keys)
    reason = sql_string(f"duplicate {label}: the same key as line {{line}}")
    con.execute(
        f"INSERT INTO {quote(errors)} SELECT v.__row, {position[typed.table.key[0]]}, "
        f"{sql_string(label)}, {reason}, d.first_row FROM {quote(typed.name)} v JOIN "
        f"(SELECT {', '.join(keys)}, min(__row) AS first_row FROM {quote(typed.name)} WHERE "
        f"{' AND '.join(f'{k} IS NOT NULL' for k in keys)} GROUP BY ALL HAVING count(*) > 1) d "
        f"ON {joined} WHERE v.__row > d.first_row")


def _missing_references(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str,
                        position: dict[str, int], create_customers: bool,
                        wording: Wording) -> None:
    for column in typed.aliases:
        target = typed.table.column(column).references
        if target is None:
            continue
        ref_table, ref_column = target.split(".")
        if create_customers and ref_table == "customers":
            continue
        entity = ref_table.removesuffix("s")
        advice = (f" (load it into customers first, or use "
                  f"{wording.setting('create_customers', True)})"
                  if ref_table == "customers" else f" (load it into {ref_table} first)")
        value = typed.value(column)
        also = ALSO_REFERENCED.get(target)
        elsewhere = (f" AND NOT EXISTS (SELECT 1 FROM {quote(also[0])} y WHERE "
                     f"y.{quote(also[1])} = v.{value})" if also else "")
        opening, closing = sql_string(f"{entity} '"), sql_string(f"' does not exist{advice}")
        con.execute(
            f"INSERT INTO {quote(errors)} SELECT __row, {position[column]}, "
            f"{sql_string(column)}, {opening} || {value} || {closing},"
            f" NULL FROM {quote(typed.name)} v WHERE {value} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(ref_table)} x WHERE x.{quote(ref_column)} = v.{value})"
            f"{elsewhere}")


def locate_problems(con: duckdb.DuckDBPyConnection, staged: Staged, typed: Typed,
                    errors: str, bad: str) -> None:
    """The table ``bad`` (line, pos, col, val, why, err_row, sheet): every problem with its file
    line (and Excel sheet when several are stacked) and the raw text it is about, including
    rows DuckDB could not parse (``err_row`` NULL)."""
    if staged.number_lines is not None:
        staged.number_lines(errors)
        staged.number_lines = None
    line, ref_line = staged.line_of("e.err_row"), staged.line_of("e.ref_row")
    sheet = staged.sheet_of("e.err_row") if staged.sheet_of else "CAST(NULL AS VARCHAR)"
    raws = {column: f"s.{quote(source)}" for column, source in typed.sources.items()}
    key = typed.table.key
    if len(key) > 1 and all(k in raws for k in key):
        raws[", ".join(key)] = " || ', ' || ".join(f"coalesce({raws[k]}, '')" for k in key)
    value = "CASE e.col " + " ".join(f"WHEN {sql_string(c)} THEN {raw}"
                                     for c, raw in raws.items()) + " END"
    why = (f"CASE WHEN e.ref_row IS NULL THEN e.why ELSE replace(e.why, '{{line}}', "
           f"CAST({ref_line} AS VARCHAR)) END")
    malformed = (f" UNION ALL SELECT line, -1, \"column\", value, reason, NULL, NULL "
                 f"FROM {quote(staged.malformed)}" if staged.malformed else "")
    con.execute(
        f"CREATE TEMP TABLE {quote(bad)} AS SELECT {line} AS line, e.pos, e.col, {value} AS val,"
        f" {refine_money_reason(why, value)} AS why, e.err_row, {sheet} AS sheet "
        f"FROM {quote(errors)} e "
        f"LEFT JOIN {quote(staged.table)} s ON s.rowid = e.err_row{malformed}")


def count_values(con: duckdb.DuckDBPyConnection, staged: Staged, matched: dict[str, str],
                 value_matches: list[ValueMatch]) -> list[ValueUse]:
    """How many rows each value mapping applies to: every given one, and the recognised ones
    that occur."""
    by_column: dict[str, list[ValueMatch]] = {}
    for match in value_matches:
        by_column.setdefault(match.column, []).append(match)
    parts = []
    for column, found in by_column.items():
        text = f"trim({quote(matched[column])}, {literal(WHITESPACE)})"
        keys = ", ".join(literal(m.value.lower()) for m in found)
        parts.append(f"SELECT {literal(column)} AS c, lower({text}) AS k, any_value({text}) AS "
                     f"shown, count(*) AS n FROM {quote(staged.table)} WHERE lower({text}) IN "
                     f"({keys}) GROUP BY k")
    counts = {(c, k): (shown, int(n)) for c, k, shown, n in
              con.execute(" UNION ALL ".join(parts)).fetchall()} if parts else {}
    uses = []
    for match in value_matches:
        shown, rows = counts.get((match.column, match.value.lower()), (match.value, 0))
        if rows or match.how == "given":
            uses.append(ValueUse(match.column, shown, match.to, match.how, rows))
    return uses
