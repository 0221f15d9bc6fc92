"""The bad rows of a load: counted into its report, and the refusal (an IngestError) that
lists them and says how to load anyway, in the words of the user's interface."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from valuecrm.errors import IngestError
from valuecrm.store.ingest.readers import Staged, quote
from valuecrm.store.ingest.rejects import rejects_path
from valuecrm.store.ingest.report import KEPT_BAD_ROWS, BadRow, IngestReport, plural
from valuecrm.store.ingest.wording import API, Wording
from valuecrm.store.schema import Table

if TYPE_CHECKING:
    import duckdb


def _count_problems(con: duckdb.DuckDBPyConnection, staged: Staged, bad: str,
                    report: IngestReport) -> None:
    staged_rows = con.execute(f"SELECT count(*) FROM {quote(staged.table)}").fetchone()[0]
    problems, rows, malformed = con.execute(
        f"SELECT count(*), count(DISTINCT err_row), count(*) FILTER (WHERE err_row IS NULL) "
        f"FROM {quote(bad)}").fetchone()
    report.rows_read = int(staged_rows) + int(malformed)
    report.rows_rejected = int(rows) + int(malformed)
    report.bad_row_count = int(problems)
    order = "err_row" if staged.sheet_of else "line"  # stacked sheets: in workbook order
    report.bad_rows = [
        BadRow(None if line is None else int(line), col, val, why, sheet)
        for line, col, val, why, sheet in con.execute(
            f"SELECT line, col, val, why, sheet FROM {quote(bad)} ORDER BY {order}, pos "
            f"LIMIT {KEPT_BAD_ROWS}").fetchall()]


def _refusal(report: IngestReport, label: str, table: Table, wording: Wording, *,
             keeps_rejects: bool) -> IngestError:
    good = report.rows_good
    recognised = (["Recognised: " + "; ".join(report.recognised) + "."]
                  if report.recognised else [])
    message = "\n".join([
        f"{label} was refused: {report.rows_rejected:,} of {report.rows_read:,} rows are bad, "
        f"so nothing was written to {report.table}.", *report.bad_row_lines(), *recognised])
    skip = wording.setting("on_error", "skip")
    if good:
        where = (f": the bad ones then go to {rejects_path(Path(report.source)).name}"
                 if keeps_rejects and wording is not API else "")
        hint = (f"Fix these rows and load again, or load the {plural(good, 'good row')} with "
                f"{skip}{where}.")
    else:
        hint = f"Fix these rows and load again (no row is good, so {skip} would load nothing)."
    for row in report.bad_rows:  # a value outside a column's choices: it may be mapped
        choices = table.column(row.column).choices if row.column in table.column_names else ()
        if choices and row.value is not None and row.reason.startswith("not one of"):
            hint += (f" To read another spelling as one of {', '.join(choices)}, map it, e.g. "
                     f"{wording.map_value(row.column, row.value, choices[0])}.")
            break
    return IngestError(message, report=report, hint=hint)
