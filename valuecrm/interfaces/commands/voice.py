"""``valuecrm voice nps|pls``: survey scores and the satisfaction index from a survey file.

Thin: the figures come from :mod:`valuecrm.views.voice`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from valuecrm.interfaces.context import emit_json

voice_app = typer.Typer(
    help="The voice of the customer: NPS of a survey column, the ECSI / ACSI satisfaction "
         "index by PLS path modelling.\n\nExample: valuecrm voice pls --model ecsi mobi.csv",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(help="Survey file: one row per respondent, one "
                                                   "column per item (CSV or Excel).")]


@voice_app.command("nps")
def nps_command(
    file: FileArgument,
    column: Annotated[str, typer.Option("--column", help="The 0-10 'would you recommend' "
                                                         "column.")],
    level: Annotated[float, typer.Option("--level", min=0.5, max=0.999,
                                         help="Confidence level of the interval.")] = 0.95,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Net Promoter Score of one column: promoters (9-10), passives, detractors (0-6), with a
    confidence interval.

    Example: valuecrm voice nps survey.csv --column recommend
    """
    from valuecrm.views.voice import survey_nps

    result = survey_nps(file, column, level=level)
    if as_json:
        emit_json(result)
        return
    print(f"NPS {result['nps']:.1f} ({result['level']:.0%} interval {result['lower']:.1f} to "
          f"{result['upper']:.1f}), {result['n']} answers: {result['promoters']} promoters, "
          f"{result['passives']} passives, {result['detractors']} detractors"
          + (f"; {result['n_missing']} missing" if result["n_missing"] else "") + ".")
    print(f"Method: {result['method']}")


@voice_app.command("pls")
def pls_command(
    file: FileArgument,
    model: Annotated[str, typer.Option("--model", help="ecsi or acsi (items named as in the "
                                                       "ECSI questionnaire: IMAG1, CUEX1...).")]
    = "ecsi",
    scheme: Annotated[str, typer.Option("--scheme", help="Inner weighting: path, centroid or "
                                                         "factorial.")] = "path",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, max=100_000,
                                           help="Bootstrap resamples (0: none).")] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the resampling.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Satisfaction index by PLS path modelling: path coefficients, R² and 0-100 indices.

    Example: valuecrm voice pls --model ecsi mobi.csv --bootstrap 5000 --seed 1 --json
    """
    from valuecrm.views.voice import survey_pls

    result = survey_pls(file, model, scheme=scheme, bootstrap=bootstrap, seed=seed)
    if as_json:
        emit_json(result)
        return
    print(f"{result['model']} on {result['respondents']} respondents ({scheme} scheme)")
    intervals = {}
    if "bootstrap" in result:
        intervals = {(p["source"], p["target"]): p for p in result["bootstrap"]["paths"]}
    for p in result["paths"]:
        ci = intervals.get((p["source"], p["target"]))
        extra = f"  [{ci['lower']:.3f}, {ci['upper']:.3f}]" if ci else ""
        print(f"  {p['source']} -> {p['target']}: {p['coefficient']:.4f}{extra}")
    print("R²: " + ", ".join(f"{k} {v:.3f}" for k, v in result["r_squared"].items()))
    print("Index (0-100): " + ", ".join(f"{k} {v:.1f}" for k, v in result["indices"].items()))
    print(f"Method: {result['method']}")


def register(app: typer.Typer) -> None:
    app.add_typer(voice_app, name="voice")
