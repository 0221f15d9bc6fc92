"""Safe ingestion into the customer database: read, check every row, then load all or nothing.

The work happens inside DuckDB, so a file of tens of millions of rows loads in bounded memory:
the source is read as text into a temporary staging table (:mod:`.readers`), each column is
parsed once into a typed copy (:mod:`.parse`), SQL finds every problem (:mod:`.validate`), and
the good rows are upserted in one transaction (:mod:`.load`). ``on_error="reject"`` refuses the
whole file when any row is bad (:class:`~valuecrm.errors.IngestError`, nothing written);
``on_error="skip"`` loads the good rows and writes the bad ones to ``<input stem>.rejects.csv``
(:mod:`.rejects`). Columns and values are matched by :mod:`.mapping` (given mappings, names,
and the common names of :mod:`.synonyms`); ``dry_run=True`` does all of it but writes nothing
and answers what a load would do. Beside :func:`ingest`: its settings (:mod:`.load_settings`),
the staging of the source (:mod:`.staging`) and the count and refusal of bad rows
(:mod:`.refusal`).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from valuecrm._progress import progress
from valuecrm.errors import DatabaseError, ParameterError
from valuecrm.store.ingest.attributes import write_attributes
from valuecrm.store.ingest.key_guard import check_keys
from valuecrm.store.ingest.line_file import LineLoad, line_matches
from valuecrm.store.ingest.line_items import any_row_order, check_lines, temp_tables
from valuecrm.store.ingest.line_report import LineCounts
from valuecrm.store.ingest.line_writer import preview_lines, write_lines
from valuecrm.store.ingest.load import LOADS_TABLE, preview, write
from valuecrm.store.ingest.load_settings import (
    MEMORY_LIMIT,
    ON_ERROR,
    _load_settings,
    check_memory_limit,
)
from valuecrm.store.ingest.mapping import IngestMapping, match_columns, match_values
from valuecrm.store.ingest.readers import FORMATS, Staged, workdir
from valuecrm.store.ingest.refusal import _count_problems, _refusal
from valuecrm.store.ingest.rejects import rejects_path, write_rejects
from valuecrm.store.ingest.report import (
    BadRow,
    ColumnUse,
    IngestReport,
    ValueUse,
)
from valuecrm.store.ingest.staging import _drop, _extra_columns, _repeats, _stage
from valuecrm.store.ingest.validate import (
    check_date_format,
    count_values,
    create_typed,
    find_problems,
    locate_problems,
)
from valuecrm.store.ingest.wording import API, CLI, PYTHON, Wording
from valuecrm.store.schema import get_table

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["API", "CLI", "FORMATS", "LOADS_TABLE", "PYTHON", "BadRow", "ColumnUse",
           "IngestMapping", "IngestReport", "LineCounts", "ValueUse", "Wording", "ingest"]


class Destination(Protocol):
    """What a load needs of the database (a :class:`valuecrm.store.database.Database`): its
    DuckDB connection and whether it is open read-only. Typed by what it does, so this package
    does not import the database module, whose ``Database.ingest`` calls :func:`ingest`."""

    read_only: bool

    @property
    def raw(self) -> duckdb.DuckDBPyConnection: ...


def ingest(
    db: Destination,
    table: str,
    source: str | Path | pd.DataFrame,
    mapping: Mapping[str, str] | IngestMapping | None = None,
    on_error: str = "reject",
    *,
    values: Mapping[str, Mapping[str, str]] | None = None,
    mapping_file: str | Path | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
    date_format: str | None = None,
    create_customers: bool = False,
    sheet: str | None = None,
    member: str | None = None,
    memory_limit: str | None = None,
    wording: Wording = PYTHON,
    cancel_prefix: str | None = None,
    adjustment_prefix: str | None = None,
) -> IngestReport:
    """Validate ``source`` and upsert it into ``table``; return what happened.

    ``source`` is a DataFrame or a path to a .csv, .tsv, .parquet, .xlsx or .jsonl file (CSV in
    UTF-8, UTF-8 with BOM, UTF-16 with BOM or GBK/GB18030 is detected; ``encoding`` overrides),
    a gzip-compressed .csv.gz, .tsv.gz or .jsonl.gz (read as a stream), or a .zip archive
    (its only file, or the one ``member`` names).
    ``mapping`` renames source columns (``{"Cust No": "customer_id"}``); other columns match by
    name, ignoring case and spaces, or by a common name (``客户编号``, ``Order Date``).
    ``values`` reads values as others (``{"gender": {"男": "male"}}``; common ones such as
    ``男``/``女`` and ``已完成`` are recognised). ``mapping_file`` is a YAML or JSON file with
    ``columns`` and ``values`` sections; ``mapping`` and ``values`` win over it.
    ``dry_run`` checks everything and writes nothing: the report says what a load would do,
    with a sample of the rows as they would be stored.
    ``date_format`` is a strptime format for every date column.
    ``create_customers`` creates customers that rows refer to but the database lacks (bare rows
    with only their id) instead of refusing those rows. ``sheet`` picks an Excel sheet;
    without it every sheet with the first sheet's columns is loaded, stacked.
    ``memory_limit`` caps DuckDB's memory during the load (``"512MB"``, ``"4GB"``; default
    :data:`MEMORY_LIMIT`, 1GB; larger
    data spills to disk; a cap above DuckDB's own setting leaves that setting).
    ``wording`` is how messages name the options (:data:`CLI`, :data:`API` or :data:`PYTHON`).

    A file of order lines (for ``orders``, with a product, a quantity and a unit price or line
    amount: :mod:`.line_items`) is grouped into orders, order lines and products; its order
    numbers starting with ``cancel_prefix`` are returns and those starting with
    ``adjustment_prefix`` are left out (None: ``C`` and ``A`` when the data show them; "":
    none). A file whose rows mostly repeat the table's key is refused (:mod:`.key_guard`).

    A file with a header and no rows loads nothing, with a warning. Raises
    :class:`SourceError` when the file is missing, empty (0 bytes) or not what its name says,
    :class:`SchemaError` when a required column is missing or a mapping names a column or value
    that cannot be, and, with ``on_error="reject"`` (and no dry run), :class:`IngestError`
    carrying the report when any row is bad.
    """
    started = time.perf_counter()
    spec = get_table(table)
    memory_limit = check_memory_limit(memory_limit or MEMORY_LIMIT, wording)
    if on_error not in ON_ERROR:
        if wording is PYTHON:
            raise ParameterError.of("on_error", "ingest", "'reject' or 'skip'", on_error)
        raise ParameterError(f"{wording.option('on_error')} must be reject or skip. Got "
                             f"{on_error!r} instead.")
    if db.read_only and not dry_run:
        raise DatabaseError("The database is open read-only: nothing can be loaded.",
                            hint="Open it without read_only to load data.")
    import pandas as pd

    rules = IngestMapping.combine(spec.name, mapping, values, mapping_file)
    is_frame = isinstance(source, pd.DataFrame)
    label = "the DataFrame" if is_frame else repr(Path(source).name)
    report = IngestReport(table=spec.name, source="<DataFrame>" if is_frame else str(source),
                          mode=on_error, dry_run=dry_run,
                          skip_option=wording.setting("on_error", "skip"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    prefix = f"_vcrm_ingest_{uuid.uuid4().hex[:12]}"
    names = {part: f"{prefix}_{part}" for part in ("stage", "typed", "errors", "bad")}
    con = db.raw
    staged: Staged | None = None
    with (workdir() as folder, _load_settings(con, memory_limit),
          progress(f"{'Checking' if dry_run else 'Loading'} {spec.name}", total=3,
                   unit="steps") as advance):
        try:
            fmt = check_date_format(con, date_format, wording)
            staged = _stage(con, source, names["stage"], Path(folder), encoding, sheet,
                            member, wording)
            label = staged.label or label
            report.format, report.encoding = staged.format, staged.encoding
            report.warnings += staged.warnings
            lines = (line_matches(staged.columns, rules, label, wording,
                                  lambda column: _repeats(con, staged, column))
                     if spec.name == "orders" else None)
            if lines is not None:
                report.warnings += lines[1]
                load = LineLoad(con, staged, lines[0], rules, prefix, fmt, create_customers, now,
                                label, wording, cancel_prefix, adjustment_prefix)
                names.update({f"line_{t}": t for t in temp_tables(load)})
                return _load_lines(load, report, on_error, dry_run, is_frame, source, started,
                                   advance)
            matches, warnings = match_columns(spec, staged.columns, rules, label, wording)
            value_matches, more = match_values(spec, matches, rules, label)
            report.warnings += warnings + more
            matched = {m.column: m.source for m in matches}
            extra = _extra_columns(con, spec, staged, matched, report)
            report.columns = [ColumnUse(m.source, m.column, m.how) for m in matches]
            report.values = count_values(con, staged, matched, value_matches)
            advance(1)
            value_maps: dict[str, dict[str, str]] = {}
            for match in value_matches:
                value_maps.setdefault(match.column, {})[match.value.lower()] = match.to
            typed = create_typed(con, names["typed"], spec, staged, matched, fmt, value_maps)
            check_keys(con, typed, report, found=staged.columns, label=label, mode=on_error,
                       dry_run=dry_run, wording=wording)
            find_problems(con, typed, names["errors"], fmt, create_customers, now, wording)
            locate_problems(con, staged, typed, names["errors"], names["bad"])
            _count_problems(con, staged, names["bad"], report)
            advance(1)
            if report.rows_read == 0:
                report.warnings.append(f"{label} has a header but no rows: nothing to load.")
            if dry_run:
                preview(con, typed, names["errors"], report)
                advance(1)
                report.elapsed = time.perf_counter() - started
                return report
            if report.rows_rejected and on_error == "reject":
                report.elapsed = time.perf_counter() - started
                raise _refusal(report, label, spec, wording, keeps_rejects=not is_frame)
            target = (rejects_path(Path(source).expanduser())  # type: ignore[arg-type]
                      if report.rows_rejected and not is_frame else None)

            def before_commit() -> None:
                report.attribute_values = write_attributes(con, typed, names["errors"],
                                                           staged.table, extra)
                if target is not None:
                    report.rejects_path = str(write_rejects(con, staged, names["bad"], target))

            write(con, typed, names["errors"], report, create_customers=create_customers,
                  before_commit=before_commit)
            advance(1)
        finally:
            _drop(con, names, staged)
    report.elapsed = time.perf_counter() - started
    return report


def _load_lines(load: LineLoad, report: IngestReport, on_error: str, dry_run: bool,
                is_frame: bool, source: Any, started: float, advance: Any) -> IngestReport:
    """The rest of :func:`ingest` for a file of order lines (:mod:`.line_items`)."""
    with any_row_order(load.con):
        return _check_and_write_lines(load, report, on_error, dry_run, is_frame, source,
                                      started, advance)


def _check_and_write_lines(load: LineLoad, report: IngestReport, on_error: str, dry_run: bool,
                           is_frame: bool, source: Any, started: float,
                           advance: Any) -> IngestReport:
    con, staged = load.con, load.staged
    advance(1)
    # The file as read is needed afterwards only for a rejects file (check_lines drops it, and
    # the typed lines, as soon as it can: the larger steps then spill less).
    typed = check_lines(
        load, report, lambda bad: _count_problems(con, staged, bad, report),
        lambda: bool(report.rows_rejected) and on_error == "skip" and not (dry_run or is_frame))
    advance(1)
    if report.rows_read == 0:
        report.warnings.append(f"{load.label} has a header but no rows: nothing to load.")
    report.elapsed = time.perf_counter() - started
    if dry_run:
        preview_lines(load, report)
        advance(1)
        return report
    if report.rows_rejected and on_error == "reject":
        raise _refusal(report, load.label, typed.table, load.wording,
                       keeps_rejects=not is_frame)
    before_commit = None
    if report.rows_rejected and not is_frame:
        target = rejects_path(Path(source).expanduser())
        bad = load.name("bad")

        def before_commit() -> None:
            report.rejects_path = str(write_rejects(con, staged, bad, target))

    write_lines(load, typed, report, before_commit)
    advance(1)
    report.elapsed = time.perf_counter() - started
    return report

