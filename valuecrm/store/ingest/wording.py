"""How an ingest's messages name its options: as the interface the user typed them in.

The same check runs for the command line, the REST API and Python, so a hint that tells the user
what to change must use their words: ``--on-error skip`` on the command line, the form field
``on_error=skip`` in the API, the argument ``on_error='skip'`` in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Wording:
    """The words of one interface: ``"cli"``, ``"api"`` or ``"python"``."""

    interface: str = "python"

    def option(self, name: str) -> str:
        """The option ``name`` (``"on_error"``) as typed: ``--on-error`` or ``on_error``."""
        return "--" + name.replace("_", "-") if self.interface == "cli" else name

    def setting(self, name: str, value: str | bool) -> str:
        """The option set to ``value``: ``--on-error skip``, ``on_error=skip`` (API) or
        ``on_error='skip'`` (Python)."""
        if self.interface == "cli":
            return self.option(name) if value is True else f"{self.option(name)} {value}"
        if self.interface == "api":
            return f"{name}={str(value).lower() if isinstance(value, bool) else value}"
        return f"{name}={value!r}"

    def map_column(self, source: str, column: str) -> str:
        """How to map the source column ``source`` to the table column ``column``."""
        if self.interface == "cli":
            return f"--map '{source}={column}'"
        return f"mapping={{{_json(source)}: {_json(column)}}}"

    def map_value(self, column: str, value: str, to: str) -> str:
        """How to read ``value`` of ``column`` as ``to``."""
        if self.interface == "cli":
            return f"--value '{column}:{value}={to}'"
        return f"values={{{_json(column)}: {{{_json(value)}: {_json(to)}}}}}"

    @property
    def mapping_file(self) -> str:
        return "--mapping-file FILE" if self.interface == "cli" else "mapping_file"


CLI, API, PYTHON = Wording("cli"), Wording("api"), Wording("python")
