"""SQL expressions that turn a trimmed text value into a typed value (NULL when it does not parse).

The rules, which the ingestion documentation repeats:

- integer: digits with an optional sign; a ``.0`` ending (Excel) is accepted, ``12.5`` is not.
- number: anything DuckDB reads as a finite DOUBLE (``12``, ``-0.5``, ``1e3``).
- money: currency symbols and codes (``$ ¥ ￥ € £ 元``, ``US$ HK$ RMB CNY USD EUR GBP JPY HKD``)
  and spaces are dropped, ``(12.00)`` is ``-12.00``. The decimal point is ``.``; a comma is read
  only as a thousands separator between groups of three digits (``1,234.50``). ``€3,50`` (one or
  two digits after a comma) is refused as ambiguous: write ``3.50``. Currencies are not converted.
- timestamp / date: ISO 8601 ``YYYY-MM-DD[ HH:MM[:SS[.f]]]`` (``T`` allowed), ``YYYY/MM/DD
  [HH:MM[:SS]]`` and ``YYYYMMDD``, or the stated ``date_format`` (strptime codes, e.g.
  ``%d/%m/%Y %H:%M``). A time may end with ``Z``, ``UTC``, ``GMT`` or an offset (``+08:00``,
  ``+0800``, ``+08``): the value is converted to UTC and stored without a zone. A value without an
  offset is taken to be UTC already.
- boolean: true/false, t/f, yes/no, y/n, 1/0, 是/否 (any case).
- a column with choices accepts them in any case and stores the declared spelling.
"""

from __future__ import annotations

from valuecrm.store.ingest.wording import PYTHON, Wording
from valuecrm.store.schema import Column

WHITESPACE = " \t\r\n\u00a0\u3000"
CURRENCY = r"\s|US\$|HK\$|RMB|CNY|USD|EUR|GBP|JPY|HKD|[$¥￥€£元]"
MONEY = r"[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)"
DECIMAL_COMMA = r"[+-]?\d+,\d{1,2}"
# A plain number (no symbol, no comma, no parentheses): the common case, read without the
# slower steps above (the result is the same).
PLAIN_MONEY = r"[+-]?(\d+(\.\d*)?|\.\d+)"
ZONE_TAIL = r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"
ZONED = r"^(.*\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"
DATE_FORMATS = ["%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d"]
TRUE = ("true", "t", "yes", "y", "1", "是")
FALSE = ("false", "f", "no", "n", "0", "否")


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def trimmed(raw: str) -> str:
    """The raw text without surrounding white space, NULL when nothing is left.

    (Trimming a set of characters is slow in DuckDB: it is done only when an end needs it.)"""
    space = sql_string(WHITESPACE)
    return (f"nullif(CASE WHEN contains({space}, left({raw}, 1)) OR contains({space}, "
            f"right({raw}, 1)) THEN trim({raw}, {space}) ELSE {raw} END, '')")


def edge_space(columns: list[str]) -> str:
    """SQL: whether any of the text ``columns`` starts or ends with white space (one regular
    expression over the row, cheaper than a test per column); :func:`trimmed` then runs only
    on such rows."""
    if not columns:
        return "false"
    space = "[" + WHITESPACE + "]"
    joined = "concat_ws(chr(1), " + ", ".join(columns) + ")"
    pattern = "(^|\\x01)" + space + "|" + space + "(\\x01|$)"
    return f"regexp_matches({joined}, {sql_string(pattern)})"


def trimmed_if(raw: str, flag: str) -> str:
    """:func:`trimmed`, computed only when ``flag`` (:func:`edge_space` of its row) is true."""
    return f"CASE WHEN {flag} THEN {trimmed(raw)} ELSE nullif({raw}, '') END"


def money_bare(text: str, stripped: str | None = None) -> str:
    """``text`` without currency symbols and spaces, ``(12)`` written ``-12``. ``stripped``
    names an alias already holding the text without symbols (so it is computed once)."""
    strip = stripped or f"regexp_replace({text}, '{CURRENCY}', '', 'gi')"
    return (f"CASE WHEN {strip} LIKE '(%)' THEN '-' || substr({strip}, 2, length({strip}) - 2) "
            f"ELSE {strip} END")


def typed_columns(column: Column, text: str, alias: str,
                  date_format: str | None) -> list[tuple[str, str]]:
    """``[(alias, expression)]`` computing ``column`` from the trimmed text column ``text``.

    ``alias`` is a plain identifier (helpers get ``alias_...`` names).
    The last pair is the typed value; earlier pairs are helpers it refers to (DuckDB lets a
    SELECT list use the aliases defined before).
    """
    t = text
    if column.choices:
        cases = " ".join(f"WHEN {sql_string(c.lower())} THEN {sql_string(c)}"
                         for c in column.choices)
        return [(alias, f"CASE lower({t}) {cases} END")]
    if column.type == "string":
        return [(alias, t)]
    if column.type == "integer":
        # Plain digits (the cast writes them back unchanged) skip the regular expressions.
        cast = f"{alias}_cast"
        return [(cast, f"try_cast({t} AS BIGINT)"),
                (alias, rf"CASE WHEN CAST({cast} AS VARCHAR) = {t} THEN {cast} "
                        rf"WHEN regexp_full_match({t}, '[+-]?\d+(\.0*)?') "
                        rf"THEN try_cast(regexp_extract({t}, '^[+-]?\d+') AS BIGINT) END")]
    if column.type == "number":
        return [(alias, f"CASE WHEN isfinite(try_cast({t} AS DOUBLE)) "
                        f"THEN try_cast({t} AS DOUBLE) END")]
    if column.type == "money":
        # The symbols are stripped only from values that are not a plain number (inside a
        # lambda, so that this work is not hoisted out of the CASE for every row).
        bare = money_bare("s", "regexp_replace(s, " + sql_string(CURRENCY) + ", '', 'gi')")
        other = (f"list_transform([{t}], s -> list_transform([{bare}], b -> CASE WHEN "
                 f"regexp_full_match(b, '{MONEY}') THEN try_cast(replace(b, ',', '') AS "
                 f"DOUBLE) END)[1])[1]")
        return [(alias, f"CASE WHEN regexp_full_match({t}, '{PLAIN_MONEY}') THEN "
                        f"try_cast({t} AS DOUBLE) ELSE {other} END")]
    if column.type == "boolean":
        yes = ", ".join(map(sql_string, TRUE))
        no = ", ".join(map(sql_string, FALSE))
        return [(alias, f"CASE WHEN lower({t}) IN ({yes}) THEN true "
                        f"WHEN lower({t}) IN ({no}) THEN false END")]
    if column.type in ("timestamp", "date"):
        zone, base, offset = f"{alias}_zone", f"{alias}_base", f"{alias}_offset"
        off = f"{zone}['off']"
        digits = f"replace(substr({off}, 2), ':', '')"
        if date_format:
            parsed = f"try_strptime({base}, {sql_string(date_format)})"
        else:
            formats = "[" + ", ".join(map(sql_string, DATE_FORMATS)) + "]"
            parsed = f"coalesce(try_cast({base} AS TIMESTAMP), try_strptime({base}, {formats}))"
        value = f"({parsed} - to_minutes({offset}))"
        return [
            # The extraction is slow: it runs only on values that end with a zone.
            (zone, f"CASE WHEN regexp_matches({t}, '{ZONE_TAIL}', 'i') THEN "
                   f"regexp_extract({t}, '{ZONED}', ['base', 'off'], 'i') END"),
            (base, f"coalesce({zone}['base'], {t})"),
            (offset, f"CASE WHEN {off} IS NULL OR upper({off}) IN ('Z', 'UTC', 'GMT') "
                     f"THEN 0 ELSE (CASE WHEN left({off}, 1) = '-' THEN -1 ELSE 1 END) * "
                     f"(CAST(substr({digits}, 1, 2) AS INTEGER) * 60 + "
                     f"coalesce(try_cast(nullif(substr({digits}, 3, 2), '') AS INTEGER), 0)) END"),
            (alias, value if column.type == "timestamp" else f"CAST({value} AS DATE)"),
        ]
    raise ValueError(f"unknown column type {column.type!r}")


NOT_MONEY = "not an amount of money (e.g. 1234.50, 1,234.50, $12, ¥1,200)"
AMBIGUOUS_MONEY = ("ambiguous decimal comma: write the amount with '.' as the decimal point "
                   "(3.50); a comma is read only as a thousands separator (1,234.50)")


def refine_money_reason(reason: str, raw: str) -> str:
    """SQL: ``reason``, made precise when the raw text ``raw`` has a decimal comma."""
    return (f"CASE WHEN {reason} = {sql_string(NOT_MONEY)} AND regexp_full_match("
            f"{money_bare(trimmed(raw))}, '{DECIMAL_COMMA}') THEN {sql_string(AMBIGUOUS_MONEY)} "
            f"ELSE {reason} END")


def failure_reason(column: Column, date_format: str | None, wording: Wording = PYTHON) -> str:
    """A SQL string literal: why the text of ``column`` did not parse."""
    if column.choices:
        return sql_string("not one of: " + ", ".join(column.choices) + " (any case)")
    if column.type == "integer":
        return sql_string("not a whole number")
    if column.type == "number":
        return sql_string("not a number")
    if column.type == "money":
        return sql_string(NOT_MONEY)
    if column.type == "boolean":
        return sql_string("not true or false (true/false, yes/no, 1/0, 是/否)")
    expected = (f"the date format {date_format}" if date_format else
                "YYYY-MM-DD[ HH:MM:SS][+HH:MM], YYYY/MM/DD or YYYYMMDD; give "
                f"{wording.option('date_format')} for other layouts")
    return sql_string(f"not a {'date' if column.type == 'date' else 'date/time'}: expected "
                      f"{expected}")
