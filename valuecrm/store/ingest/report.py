"""What a load did: :class:`IngestReport` and the bad rows it lists."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from valuecrm.store.ingest.line_report import LineCounts

# Bad rows kept in a report (the total is always counted); messages show fewer.
KEPT_BAD_ROWS = 1000
SHOWN_BAD_ROWS = 50


def plural(count: int, noun: str) -> str:
    """``plural(1, "row")`` -> ``"1 row"``, ``plural(1200, "row")`` -> ``"1,200 rows"``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class BadRow:
    """One problem on one row: ``line`` is the 1-based line in the file (header = line 1), or
    the row of the Excel sheet ``sheet`` when the load stacked several sheets."""

    line: int | None
    column: str
    value: str | None
    reason: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "the file"
        if self.sheet is not None:
            where = f"sheet {self.sheet!r}, row {self.line}"
        value = "empty" if self.value is None else repr(self.value)
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}, value {value}: {self.reason}"


@dataclass(frozen=True)
class ColumnUse:
    """The source column ``source`` was read as ``column``: ``how`` is "given" (a mapping),
    "name" (its name) or "recognised" (a common name of the column)."""

    source: str
    column: str
    how: str


@dataclass(frozen=True)
class ValueUse:
    """``rows`` rows had ``value`` (any case) in ``column``, read as ``to`` ("" = no value);
    ``how`` is "given" or "recognised"."""

    column: str
    value: str
    to: str
    how: str
    rows: int

    def __str__(self) -> str:
        return (f"{self.column}: {self.value!r} -> {self.to or 'no value'!s} "
                f"({plural(self.rows, 'row')}, {self.how})")


@dataclass
class IngestReport:
    """The outcome of :func:`valuecrm.store.ingest.ingest`.

    ``bad_rows`` keeps the first :data:`KEPT_BAD_ROWS` problems in file order;
    ``bad_row_count`` counts them all and ``rows_rejected`` counts the rows they are on.
    ``columns`` says which source column was read as which table column and how, ``values``
    which values were read as others. A dry run (``dry_run``) writes nothing: ``rows_inserted``
    and ``rows_updated`` are what a load would insert and update (in skip mode), and ``sample``
    holds the first good rows as they would be stored.
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
    columns: list[ColumnUse] = field(default_factory=list)
    values: list[ValueUse] = field(default_factory=list)
    dry_run: bool = False
    sample: list[dict[str, Any]] = field(default_factory=list)
    # A line-level file (one row per product line): what it became, by rule.
    lines: LineCounts | None = None
    # customers only: extra columns kept as attributes (attribute name -> type), values written
    attributes: dict[str, str] = field(default_factory=dict)
    attribute_values: int = 0
    # How to say "load the good rows anyway" in the interface used (e.g. "--on-error skip").
    skip_option: str = field(default="on_error='skip'", repr=False)

    @property
    def rows_loaded(self) -> int:
        """Rows written: inserted plus updated."""
        return self.rows_inserted + self.rows_updated

    @property
    def ok(self) -> bool:
        return self.rows_rejected == 0

    @property
    def rows_good(self) -> int:
        """Rows that passed every check."""
        return self.rows_read - self.rows_rejected

    @property
    def recognised(self) -> list[str]:
        """The columns and values read by recognition, as text."""
        return ([f"column {u.source!r} as {u.column}" for u in self.columns
                 if u.how == "recognised"]
                + [f"{u.column} {u.value!r} as {u.to or 'no value'} ({plural(u.rows, 'row')})"
                   for u in self.values if u.how == "recognised"])

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body.pop("skip_option")
        for row in body["bad_rows"]:  # "sheet" only when the load stacked Excel sheets
            if row["sheet"] is None:
                del row["sheet"]
        body["rows_loaded"] = self.rows_loaded
        body["rows_good"] = self.rows_good
        body["elapsed"] = round(self.elapsed, 3)
        return body

    def attributes_line(self) -> str:
        """The extra columns kept as customer attributes, as text."""
        kept = ", ".join(f"{name} ({kind})" for name, kind in self.attributes.items())
        written = "" if self.dry_run else f"; {plural(self.attribute_values, 'value')} written"
        return (f"Kept {plural(len(self.attributes), 'extra column')} as customer attributes: "
                f"{kept}{written}.")

    def bad_row_lines(self, limit: int = SHOWN_BAD_ROWS) -> list[str]:
        """The first ``limit`` bad rows as text, with a closing count of the others."""
        lines = [f"  {row}" for row in self.bad_rows[:limit]]
        hidden = self.bad_row_count - min(limit, len(self.bad_rows))
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more problem(s) ({self.bad_row_count:,} in all).")
        return lines

    def summary(self) -> str:
        """A few lines for people: what was read, written and refused."""
        if self.dry_run:
            return self._dry_run_summary()
        head = (f"{self.source} -> {self.table}: read {self.rows_read:,} rows, loaded "
                f"{self.rows_loaded:,} ({self.rows_inserted:,} new, {self.rows_updated:,} "
                f"updated), rejected {self.rows_rejected:,}")
        if self.lines is not None:
            head = (f"{self.source} -> {self.table}: read {self.rows_read:,} lines, loaded "
                    f"{self.rows_loaded:,} orders ({self.rows_inserted:,} new, "
                    f"{self.rows_updated:,} updated) with their lines and products, rejected "
                    f"{self.rows_rejected:,} lines")
        lines = [head + f" in {self.elapsed:.1f} s."]
        if self.lines is not None:
            lines += self.lines.text_lines()
        if self.recognised:
            lines.append("Recognised: " + "; ".join(self.recognised) + ".")
        if self.attributes:
            lines.append(self.attributes_line())
        if self.customers_created:
            lines.append(f"Created {plural(self.customers_created, 'customer')} that did not "
                         "exist.")
        if self.rejects_path:
            lines.append(f"Rejected rows and their reasons: {self.rejects_path}")
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _dry_run_summary(self) -> str:
        lines = [f"Dry run, nothing was written: {self.source} -> {self.table}: read "
                 f"{self.rows_read:,} rows; {self.rows_good:,} good "
                 f"({self.rows_inserted:,} new, {self.rows_updated:,} updating a stored row), "
                 f"{self.rows_rejected:,} rejected."]
        if self.lines is not None:
            lines = [f"Dry run, nothing was written: {self.source} -> {self.table}: read "
                     f"{self.rows_read:,} lines; {self.rows_good:,} good, "
                     f"{self.rows_rejected:,} rejected."]
        if self.rows_rejected and self.mode == "reject":
            lines.append(
                "A load would refuse the whole file (no row is good)." if not self.rows_good
                else f"A load would refuse the whole file; with {self.skip_option} it would load"
                     f" the {plural(self.rows_good, 'good row')}.")
        elif self.rows_read and self.lines is None:
            lines.append(f"A load would write {plural(self.rows_good, 'row')}.")
        if self.lines is not None:
            lines.append(f"A load would write {plural(self.rows_inserted, 'new order')} and "
                         f"update {plural(self.rows_updated, 'order')}:")
            lines += [f"  {line}" for line in self.lines.text_lines()]
        lines.append("Columns (source -> table column, how):")
        lines += [f"  {u.source} -> {u.column} ({u.how})" for u in self.columns]
        if self.attributes:
            lines.append(self.attributes_line())
        if self.values:
            lines.append("Values (column: value -> stored as):")
            lines += [f"  {u}" for u in self.values]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def sample_table(self) -> Any:
        """A rich Table of the sample rows of a dry run (for the command line)."""
        from rich.table import Table
        from rich.text import Text

        what = "order" if self.lines is not None else "good row"
        table = Table(title=f"Sample: the first {plural(len(self.sample), what)} as "
                            "they would be stored", title_justify="left")
        names = list(self.sample[0]) if self.sample else [u.column for u in self.columns]
        for name in names:
            table.add_column(name, overflow="fold")
        for row in self.sample:
            table.add_row(*(Text("" if row[n] is None else str(row[n])) for n in names))
        return table

    def __str__(self) -> str:
        return "\n".join([self.summary(), *self.bad_row_lines()]) if self.bad_rows else (
            self.summary())

    def bad_rows_table(self, limit: int = SHOWN_BAD_ROWS) -> Any:
        """A rich Table of the first ``limit`` bad rows (for the command line)."""
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"Bad rows (first {min(limit, self.bad_row_count)} of "
                            f"{self.bad_row_count:,})", title_justify="left")
        sheets = any(row.sheet is not None for row in self.bad_rows[:limit])
        for name in ("sheet", "line", "column", "value", "reason")[0 if sheets else 1:]:
            table.add_column(name, overflow="fold")
        for row in self.bad_rows[:limit]:  # Text cells: a value like "[red]" is not markup
            table.add_row(*([Text(row.sheet or "")] if sheets else []),
                          "" if row.line is None else str(row.line), Text(row.column),
                          Text("" if row.value is None else row.value), Text(row.reason))
        return table
