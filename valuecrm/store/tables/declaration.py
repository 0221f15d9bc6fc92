"""How a table of the schema is declared: its columns' logical types and their DuckDB types,
and the DDL derived from a declaration."""

from __future__ import annotations

from dataclasses import dataclass, field

# DuckDB SQL type of each logical type.
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column: its logical type, whether a row needs it, its unit and meaning."""

    name: str
    type: str
    doc: str
    required: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    references: str | None = None  # "table.column"

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    """One table of the customer database."""

    name: str
    doc: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    time_column: str | None = None
    notes: tuple[str, ...] = field(default=())
    # False: no PRIMARY KEY index; every load keeps the key unique itself (an index costs
    # more than half of a large load's writes: bench/RESULTS.md).
    key_index: bool = True

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def ddl(self) -> str:
        cols = [
            f'"{c.name}" {c.sql_type}' + (" NOT NULL" if c.required else "")
            for c in self.columns
        ]
        if self.key_index:
            cols.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.key) + ")")
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  ' + ",\n  ".join(cols) + "\n)"


def _c(name: str, type_: str, doc: str, **kw: object) -> Column:
    return Column(name, type_, doc, **kw)  # type: ignore[arg-type]
