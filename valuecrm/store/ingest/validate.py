"""The checks, as SQL over the staging table: a typed view and a table of problems.

Row checks: required values present, types parse (:mod:`.parse`), choices, minimum and maximum,
no event time in the future (campaign dates may be planned ahead), a negative ``orders.amount``
only on a ``returned`` order. File checks: a key may appear once (the first occurrence is kept,
each later one is a bad row naming the line it repeats), and every reference must exist in the
referenced table (``--create-customers`` creates missing customers instead of refusing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from valuecrm.errors import ParameterError
from valuecrm.store.ingest.parse import failure_reason, sql_string, trimmed, typed_columns
from valuecrm.store.ingest.readers import Staged, quote
from valuecrm.store.schema import Table

# Timestamps that may lie in the future (planned, not recorded, events).
FUTURE_ALLOWED = {("campaigns", "started_at"), ("campaigns", "ended_at")}
# A negative value of (table, column) is allowed only when another column has this value.
NEGATIVE_ONLY_WHEN = {("orders", "amount"): ("status", "returned")}
ERRORS_COLUMNS = ("err_row BIGINT, line BIGINT, pos INTEGER, col VARCHAR, val VARCHAR, "
                  "why VARCHAR, ref_row BIGINT")


@dataclass
class TypedView:
    """The view ``name`` over the staging table: ``__row`` then, per matched table column,
    its raw text ``__rN``, trimmed text ``__tN`` and typed value ``__vN`` (``aliases``)."""

    name: str
    table: Table
    aliases: dict[str, int]  # table column -> N

    def raw(self, column: str) -> str:
        return f"__r{self.aliases[column]}"

    def text(self, column: str) -> str:
        return f"__t{self.aliases[column]}"

    def value(self, column: str) -> str:
        return f"__v{self.aliases[column]}"


def check_date_format(con: duckdb.DuckDBPyConnection, date_format: str | None) -> str | None:
    """The format without a trailing ``%z``/``%Z`` (offsets are handled separately)."""
    if date_format is None:
        return None
    stripped = date_format.replace("%z", "").replace("%Z", "").strip()
    try:
        con.execute(f"SELECT try_strptime('2000-01-01', {sql_string(stripped)})").fetchall()
    except duckdb.Error:
        raise ParameterError.of("date_format", "ingest", "a strptime format such as "
                                "'%d/%m/%Y %H:%M'", date_format) from None
    return stripped


def create_view(con: duckdb.DuckDBPyConnection, name: str, table: Table, staged: Staged,
                matched: dict[str, str], date_format: str | None) -> TypedView:
    view = TypedView(name, table, {c: i for i, c in enumerate(matched)})
    select = ["rowid AS __row"]
    for column, source in matched.items():
        raw, text, value = view.raw(column), view.text(column), view.value(column)
        select += [f"{quote(source)} AS {raw}", f"{trimmed(raw)} AS {text}"]
        select += [f"{expr} AS {alias}" for alias, expr in
                   typed_columns(table.column(column), text, value, date_format)]
    con.execute(f"CREATE TEMP VIEW {quote(name)} AS SELECT {', '.join(select)} "
                f"FROM {quote(staged.table)}")
    return view


def _row_checks(view: TypedView, date_format: str | None,
                now: dt.datetime) -> list[tuple[str, str, str]]:
    """``[(column, condition, reason)]`` for the checks made one row at a time."""
    table = view.table
    checks = []
    for column in view.aliases:
        spec = table.column(column)
        text, value = view.text(column), view.value(column)
        if spec.required:
            checks.append((column, f"{text} IS NULL", sql_string("required value is empty")))
        checks.append((column, f"{text} IS NOT NULL AND {value} IS NULL",
                       failure_reason(spec, value, date_format)))
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
            state = view.value(other) if other in view.aliases else "NULL"
            checks.append((column, f"{value} < 0 AND coalesce({state}, '') <> '{allowed}'",
                           sql_string(f"negative {column} is allowed only when {other} is "
                                      f"'{allowed}'")))
    return checks


def find_problems(con: duckdb.DuckDBPyConnection, view: TypedView, errors: str,
                  date_format: str | None, create_customers: bool, now: dt.datetime) -> None:
    """Fill the temporary table ``errors`` with every problem found (line still unknown)."""
    con.execute(f"CREATE TEMP TABLE {quote(errors)} ({ERRORS_COLUMNS})")
    position = {c: i for i, c in enumerate(view.table.column_names)}
    checks = _row_checks(view, date_format, now)
    if checks:
        items = ", ".join(
            f"CASE WHEN coalesce({cond}, false) THEN {{'pos': {position[col]}, 'col': "
            f"{sql_string(col)}, 'val': {view.raw(col)}, 'why': {why}}} END"
            for col, cond, why in checks)
        any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in checks)
        con.execute(
            f"INSERT INTO {quote(errors)} SELECT __row, NULL, e['pos'], e['col'], e['val'], "
            f"e['why'], NULL FROM (SELECT __row, unnest(list_filter([{items}], "
            f"x -> x IS NOT NULL)) AS e FROM {quote(view.name)} WHERE {any_bad})")
    _duplicate_keys(con, view, errors, position)
    _missing_references(con, view, errors, position, create_customers)


def _duplicate_keys(con: duckdb.DuckDBPyConnection, view: TypedView, errors: str,
                    position: dict[str, int]) -> None:
    keys = [view.value(k) for k in view.table.key]
    label = ", ".join(view.table.key)
    joined = " AND ".join(f"v.{k} = d.{k}" for k in keys)
    raw = " || ', ' || ".join(f"coalesce(v.{view.raw(k)}, '')" for k in view.table.key)
    reason = sql_string(f"duplicate {label}: the same key as line {{line}}")
    con.execute(
        f"INSERT INTO {quote(errors)} SELECT v.__row, NULL, {position[view.table.key[0]]}, "
        f"{sql_string(label)}, {raw}, {reason}, d.first_row FROM {quote(view.name)} v JOIN "
        f"(SELECT {', '.join(keys)}, min(__row) AS first_row FROM {quote(view.name)} WHERE "
        f"{' AND '.join(f'{k} IS NOT NULL' for k in keys)} GROUP BY ALL HAVING count(*) > 1) d "
        f"ON {joined} WHERE v.__row > d.first_row")


def _missing_references(con: duckdb.DuckDBPyConnection, view: TypedView, errors: str,
                        position: dict[str, int], create_customers: bool) -> None:
    for column in view.aliases:
        target = view.table.column(column).references
        if target is None:
            continue
        ref_table, ref_column = target.split(".")
        if create_customers and ref_table == "customers":
            continue
        entity = ref_table.removesuffix("s")
        advice = (" (load it into customers first, or use --create-customers)"
                  if ref_table == "customers" else f" (load it into {ref_table} first)")
        value = view.value(column)
        opening, closing = sql_string(f"{entity} '"), sql_string(f"' does not exist{advice}")
        con.execute(
            f"INSERT INTO {quote(errors)} SELECT __row, NULL, {position[column]}, "
            f"{sql_string(column)}, {view.raw(column)}, "
            f"{opening} || {value} || {closing},"
            f" NULL FROM {quote(view.name)} v WHERE {value} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(ref_table)} x WHERE x.{quote(ref_column)} = v.{value})")


def locate_problems(con: duckdb.DuckDBPyConnection, staged: Staged, errors: str,
                    bad: str) -> None:
    """The table ``bad`` (line, pos, col, val, why, err_row): every problem with its file line,
    including rows DuckDB could not parse (``err_row`` NULL)."""
    line, ref_line = staged.line_of("e.err_row"), staged.line_of("e.ref_row")
    malformed = (f" UNION ALL SELECT line, -1, \"column\", value, reason, NULL "
                 f"FROM {quote(staged.malformed)}" if staged.malformed else "")
    con.execute(
        f"CREATE TEMP TABLE {quote(bad)} AS SELECT {line} AS line, pos, col, val, "
        f"CASE WHEN e.ref_row IS NULL THEN why ELSE replace(why, '{{line}}', "
        f"CAST({ref_line} AS VARCHAR)) END AS why, err_row FROM {quote(errors)} e{malformed}")
