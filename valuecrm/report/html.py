"""A report is a list of sections; each holds headline figures, tables and charts, and names the
method and source of what it shows. Rendered to one HTML file with Plotly's script inlined, so it
opens offline, with no network."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from valuecrm import __version__


@dataclass
class Figure:
    """A headline number: its label, its formatted value, and how it was computed."""

    label: str
    value: str
    method: str = ""


@dataclass
class Section:
    """One part of the report."""

    title: str
    intro: str = ""
    method: str = ""
    source: str = ""
    figures: list[Figure] = field(default_factory=list)
    blocks: list[Markup] = field(default_factory=list)

    def add_chart(self, figure: Any, *, height: int = 380) -> None:
        """Add a Plotly figure (its script is inlined once for the whole report)."""
        figure.update_layout(height=height, margin={"l": 50, "r": 20, "t": 40, "b": 40},
                             template="plotly_white")
        self.blocks.append(Markup(figure.to_html(full_html=False, include_plotlyjs=False,
                                                 config={"displaylogo": False,
                                                         "responsive": True})))

    def add_table(self, frame: Any, *, caption: str = "", max_rows: int = 20) -> None:
        """Add a pandas DataFrame as an HTML table (first ``max_rows`` rows)."""
        shown = frame.head(max_rows)
        table = shown.to_html(index=False, border=0, classes="data", float_format=_fmt,
                              na_rep="")
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        more = (f"<p class='caption'>First {max_rows} of {len(frame):,} rows.</p>"
                if len(frame) > max_rows else "")
        self.blocks.append(Markup(cap + table + more))

    def add_text(self, text: str) -> None:
        self.blocks.append(Markup("<p>") + text + Markup("</p>"))


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("valuecrm.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@dataclass
class Report:
    """The report: a title, a subtitle (the data it is about) and its sections."""

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str, **kwargs: Any) -> Section:
        new = Section(title, **kwargs)
        self.sections.append(new)
        return new

    def render(self) -> str:
        template = _environment().get_template("report.html.j2")
        return template.render(
            report=self,
            plotly_js=Markup(_plotly_js()),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
        )

    def write(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.render(), encoding="utf-8")
        return target
