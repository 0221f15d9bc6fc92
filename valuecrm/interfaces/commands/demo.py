"""``valuecrm demo``: a bundled real dataset (CDNOW, or the Complete Journey), every analysis, a
summary and an HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from valuecrm.interfaces.context import emit_json, state


def demo(
    ctx: typer.Context,
    report: Annotated[Path, typer.Option("--report", "-o", help="Where to write the HTML report.")]
    = Path("valuecrm-report.html"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    dataset: Annotated[str, typer.Option("--dataset", help=(
        "cdnow (23,570 CD buyers, orders only) or completejourney (2,469 grocery households "
        "with demographics, products, baskets, campaigns and coupons)."))] = "cdnow",
) -> None:
    """Load real data (CDNOW by default) into a fresh demo database, run every analysis and
    write a report.

    The database is --db if given, else valuecrm-demo.duckdb; the demo only ever replaces a
    database it wrote itself. It ends by itself: no server is left running.

    Example: valuecrm demo --report demo-report.html
    Example: valuecrm demo --dataset completejourney
    """
    from rich.console import Console

    from valuecrm.demo import run_demo
    from valuecrm.interfaces.commands._options import options_named

    console = Console(stderr=True)
    db_path = state(ctx).db or "valuecrm-demo.duckdb"
    with console.status("Starting the demo") as status, options_named(dataset="--dataset"):
        result = run_demo(db_path, report, dataset=dataset,
                          on_step=lambda name: status.update(f"Demo step: {name}"))
    if as_json:
        emit_json({"database": result.database, "report": str(result.report.resolve()),
                   "headline": result.headline, "timings_s": result.timings})
        return
    h = result.headline
    named = {"cdnow": "the CDNOW data (Fader & Hardie)",
             "completejourney": "The Complete Journey (84.51°)"}[result.dataset]
    print(f"valuecrm demo on {named}, loaded into", result.database)
    print(f"  customers: {h['customers']:,}")
    print(f"  orders:    {h['orders']:,}   revenue: ${h['revenue']:,.2f}")
    print(f"  period:    {h['first_order']} to {h['last_order']}")
    for line in h.get("lines", []):
        print("  " + line)
    print(f"Report written to {result.report.resolve()} (open it in a browser; works offline).")
    again = this_command()
    print("See it in the dashboard (English / 简体中文):")
    print(f"  {again} --db {result.database} users add me --role admin --password")
    print(f"  {again} --db {result.database} serve    # then open http://127.0.0.1:8000/")
    print(f"Explore further: {again} --db {result.database} --help")
    print(f"Took {sum(result.timings.values()):.1f} s.")


def register(app: typer.Typer) -> None:
    app.command()(demo)


def this_command() -> str:
    """How to run this valuecrm again from the current folder: ``valuecrm`` when that is the
    one on PATH, else its path (relative when under the current folder, as
    ``.venv/bin/valuecrm`` after scripts/setup)."""
    import shutil
    import sys

    started = Path(sys.argv[0])
    if started.name == "__main__.py":  # python -m valuecrm
        return f"{_shown(Path(sys.executable))} -m valuecrm"
    found = shutil.which("valuecrm")
    if found and started.exists() and Path(found).resolve() == started.resolve():
        return "valuecrm"
    return _shown(started) if started.exists() else "valuecrm"


def _shown(path: Path) -> str:
    full = path.absolute()
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)
