"""A report is a list of sections; each holds headline figures, tables and charts, and names the
method and source of what it shows. Rendered to one HTML file with Plotly's script inlined, so it
opens offline, with no network; in English or 简体中文 (``lang``, :mod:`valuecrm.report.words`)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from valuecrm import __version__
from valuecrm.report.words import ReportWords


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
    t: ReportWords = field(default_factory=lambda: ReportWords("en"))

    def add_chart(self, figure: Any, *, height: int = 380) -> None:
        """Add a Plotly figure (its script is inlined once for the whole report)."""
        figure.update_layout(height=height, margin={"l": 50, "r": 20, "t": 40, "b": 40},
                             template="plotly_white")
        self.blocks.append(Markup(figure.to_html(full_html=False, include_plotlyjs=False,
                                                 config={"displaylogo": False,
                                                         "responsive": True})))

    def add_table(self, frame: Any, *, caption: str = "", max_rows: int = 20) -> None:
        """Add a pandas DataFrame as an HTML table (first ``max_rows`` rows)."""
        shown = frame.head(max_rows).copy()
        for column in shown.columns:  # whole numbers with thousands separators too
            if pd.api.types.is_integer_dtype(shown[column]):
                shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:,}")
        shown.columns = [self.t.header(str(c)) for c in shown.columns]
        table = shown.to_html(index=False, border=0, classes="data", float_format=_fmt,
                              na_rep="")
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        rows = self.t("first_rows", shown=f"{max_rows:,}", total=f"{len(frame):,}")
        more = f"<p class='caption'>{html.escape(rows)}</p>" if len(frame) > max_rows else ""
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
    lang: str = "en"

    @property
    def t(self) -> ReportWords:
        """The report's words in its language (``en`` or ``zh-CN``)."""
        return ReportWords(self.lang)

    def section(self, title: str, **kwargs: Any) -> Section:
        new = Section(title, t=self.t, **kwargs)
        self.sections.append(new)
        return new

    def render(self) -> str:
        template = _environment().get_template("report.html.j2")
        return template.render(
            report=self, t=self.t,
            plotly_js=Markup(_plotly_js()),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
        )

    def write(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.render(), encoding="utf-8")
        return target
