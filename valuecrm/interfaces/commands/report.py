"""``valuecrm report``: one self-contained HTML file (and optionally a PDF) of a snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from valuecrm.errors import ParameterError
from valuecrm.interfaces.commands._reading import reading_or_served
from valuecrm.interfaces.context import emit_json


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")]
    = Path("valuecrm-report.html"),
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also print the report to this PDF "
                                             "file (headless Chromium; needs the pdf extra: "
                                             "pip install 'valuecrm\\[pdf]').")] = None,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help="Snapshot id or as-of date "
                                                 "YYYY-MM-DD (default: the latest).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="The report's language: en or zh-CN "
                                      "(简体中文; its PDF needs a CJK font, Debian: "
                                      "fonts-noto-cjk).")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")]
    = False,
) -> None:
    """Write the report of a snapshot: overview, RFM segments, customer lifetime value, the
    value table's groups, the retention and win-back lists, and the purchase models with their
    parameters. One HTML file that
    opens offline (the chart library is inside it); every figure names its method and source.

    Example: valuecrm report --out report.html --pdf report.pdf --snapshot 1998-06-30

    In Simplified Chinese: valuecrm report --lang zh-CN --out 报告.html
    """
    from valuecrm.i18n import LANGUAGES
    from valuecrm.interfaces.commands._endpoint import Endpoint
    from valuecrm.report.builder import build_report

    if lang not in LANGUAGES:
        raise ParameterError.of("--lang", "valuecrm report", "one of " + ", ".join(LANGUAGES),
                                lang)

    for path, suffix in ((out, ".html"), (pdf, ".pdf")):
        if path is not None and path.suffix.lower() not in (suffix, ".htm" if suffix == ".html"
                                                            else suffix):
            raise ParameterError.of("--pdf" if suffix == ".pdf" else "--out",
                                    "valuecrm report", f"a file name ending in {suffix}",
                                    str(path))
        if path is not None and not path.expanduser().resolve().parent.is_dir():
            raise ParameterError(f"The folder of {str(path)!r} does not exist.",
                                 hint="Create it first, or give another path.")
    from valuecrm._progress import progress

    with progress("Writing the report", total=2 if pdf is None else 3, unit="steps") as advance:
        with reading_or_served(ctx, route="/api/report") as source:
            if isinstance(source, Endpoint):  # 'valuecrm serve' holds the database
                html_path = out.expanduser()
                headers = source.download("/api/report", {"snapshot": snapshot or "latest",
                                                          "lang": lang}, html_path)
                sections = json.loads(headers["x-report-sections"])
            else:
                built = build_report(source, snapshot, lang=lang)
                html_path = built.write(out.expanduser())
                sections = [s.title for s in built.sections]
        advance(1)
        advance(1)
        written = {"html": str(html_path.resolve()), "sections": sections}
        if pdf is not None:
            from valuecrm.report.pdf import write_pdf

            written["pdf"] = str(write_pdf(html_path, pdf.expanduser(), lang=lang).resolve())
            advance(1)
    if as_json:
        emit_json(written)
        return
    if pdf is None:
        print(f"Report written to {written['html']} (open it in a browser; works offline).")
    else:
        print(f"PDF written to {written['pdf']}.")


def register(app: typer.Typer) -> None:
    app.command(short_help="Write the report of a snapshot: one HTML file that opens offline "
                           "(and a PDF with --pdf).")(report)
