"""What a load did: :class:`IngestReport` and the bad rows it lists."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Bad rows kept in a report (the total is always counted); messages show fewer.
KEPT_BAD_ROWS = 1000
SHOWN_BAD_ROWS = 50


def plural(count: int, noun: str) -> str:
    """``plural(1, "row")`` -> ``"1 row"``, ``plural(1200, "row")`` -> ``"1,200 rows"``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class BadRow:
    """One problem on one row: ``line`` is the 1-based line in the file (header = line 1)."""

    line: int | None
    column: str
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "the file"
        value = "empty" if self.value is None else repr(self.value)
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}, value {value}: {self.reason}"


@dataclass
class IngestReport:
    """The outcome of :func:`valuecrm.store.ingest.ingest`.

    ``bad_rows`` keeps the first :data:`KEPT_BAD_ROWS` problems in file order;
    ``bad_row_count`` counts them all and ``rows_rejected`` counts the rows they are on.
    """

    table: str
    source: str
    mode: str = "reject"
    format: str = ""
    encoding: str | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_rejected: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0
    warnings: list[str] = field(default_factory=list)
    customers_created: int = 0
    rejects_path: str | None = None
    elapsed: float = 0.0

    @property
    def rows_loaded(self) -> int:
        """Rows written: inserted plus updated."""
        return self.rows_inserted + self.rows_updated

    @property
    def ok(self) -> bool:
        return self.rows_rejected == 0

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["rows_loaded"] = self.rows_loaded
        body["elapsed"] = round(self.elapsed, 3)
        return body

    def bad_row_lines(self, limit: int = SHOWN_BAD_ROWS) -> list[str]:
        """The first ``limit`` bad rows as text, with a closing count of the others."""
        lines = [f"  {row}" for row in self.bad_rows[:limit]]
        hidden = self.bad_row_count - min(limit, len(self.bad_rows))
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more problem(s) ({self.bad_row_count:,} in all).")
        return lines

    def summary(self) -> str:
        """A few lines for people: what was read, written and refused."""
        head = (f"{self.source} -> {self.table}: read {self.rows_read:,} rows, loaded "
                f"{self.rows_loaded:,} ({self.rows_inserted:,} new, {self.rows_updated:,} "
                f"updated), rejected {self.rows_rejected:,}")
        lines = [head + f" in {self.elapsed:.1f} s."]
        if self.customers_created:
            lines.append(f"Created {plural(self.customers_created, 'customer')} that did not "
                         "exist.")
        if self.rejects_path:
            lines.append(f"Rejected rows and their reasons: {self.rejects_path}")
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return "\n".join([self.summary(), *self.bad_row_lines()]) if self.bad_rows else (
            self.summary())

    def bad_rows_table(self, limit: int = SHOWN_BAD_ROWS) -> Any:
        """A rich Table of the first ``limit`` bad rows (for the command line)."""
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"Bad rows (first {min(limit, self.bad_row_count)} of "
                            f"{self.bad_row_count:,})", title_justify="left")
        for name in ("line", "column", "value", "reason"):
            table.add_column(name, overflow="fold")
        for row in self.bad_rows[:limit]:  # Text cells: a value like "[red]" is not markup
            table.add_row("" if row.line is None else str(row.line), Text(row.column),
                          Text("" if row.value is None else row.value), Text(row.reason))
        return table
