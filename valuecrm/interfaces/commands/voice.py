"""``valuecrm voice nps|pls|drivers``: survey scores, the satisfaction index and the key
drivers, from the answers stored in the database or from a survey file.

Thin: the figures come from :mod:`valuecrm.views.voice`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.errors import ParameterError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view
from valuecrm.interfaces.context import emit_json

voice_app = typer.Typer(
    help="The voice of the customer: NPS, the satisfaction index by PLS path modelling, the "
         "importance-performance map and the key drivers, from the survey answers stored in "
         "--db or from a survey FILE.\n\nExample: valuecrm voice nps --by wave",
    no_args_is_help=True,
)

FileArgument = Annotated[Path | None, typer.Argument(help=(
    "Survey file: one row per respondent, one column per item (CSV or Excel). Without it: the "
    "answers stored in --db (table survey_responses)."))]
SurveyOption = Annotated[str | None, typer.Option("--survey", help=(
    "Without FILE: keep one stored survey (e.g. nps-2024q3); default: every answer."))]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
BY_CHOICES = ("segment", "wave", "quarter")


def _only_with_file(file: Path | None, **given: object) -> None:
    """Refuse the options that only a FILE (or only the database) gives a meaning."""
    for option, value in given.items():
        if value:
            where = "with a FILE" if file is None else "without a FILE (stored answers)"
            raise ParameterError(f"{option} works only {where}.",
                                 hint="See 'valuecrm voice --help'.")


def _nps_line(result: dict[str, Any], label: str = "NPS") -> str:
    return (f"{label} {result['nps']:.1f} ({result['level']:.0%} interval {result['lower']:.1f} "
            f"to {result['upper']:.1f}), {result['n']} answers: {result['promoters']} "
            f"promoters, {result['passives']} passives, {result['detractors']} detractors"
            + (f"; {result['n_missing']} missing" if result["n_missing"] else "") + ".")


@voice_app.command("nps")
def nps_command(
    ctx: typer.Context,
    file: FileArgument = None,
    column: Annotated[str | None, typer.Option("--column", help=(
        "With FILE: the 0-10 'would you recommend' column."))] = None,
    by: Annotated[str | None, typer.Option("--by", help=(
        "Without FILE: NPS per RFM segment of the latest snapshot (segment), per survey wave "
        "(wave) or per calendar quarter (quarter), each with its interval."))] = None,
    survey: SurveyOption = None,
    level: Annotated[float, typer.Option("--level", min=0.5, max=0.999,
                                         help="Confidence level of the interval.")] = 0.95,
    as_json: JsonOption = False,
) -> None:
    """Net Promoter Score: promoters (9-10), passives, detractors (0-6), with a confidence
    interval; of the stored answers to question 'nps' (overall, --by segment, wave or
    quarter), or of one column of a survey FILE.

    Example: valuecrm voice nps --by wave

    With a file: valuecrm voice nps survey.csv --column recommend
    """
    from valuecrm.views.voice import survey_nps

    if file is not None:
        _only_with_file(file, **{"--by": by, "--survey": survey})
        if column is None:
            raise ParameterError("With a survey FILE, name its 0-10 column with --column.",
                                 hint="Example: valuecrm voice nps survey.csv --column recommend")
        result = survey_nps(file, column, level=level)
    else:
        _only_with_file(file, **{"--column": column})
        result = _stored_nps(ctx, by, survey, level)
    if as_json:
        emit_json(result)
        return
    if "groups" not in result:
        print(_nps_line(result))
    else:
        print(f"NPS by {result['by']}" + (f" (snapshot {result['snapshot_id']}, "
                                          f"{result['as_of']})" if "snapshot_id" in result
                                          else "") + ":")
        for group in result["groups"]:
            print("  " + _nps_line(group, str(group.get("group", group.get("period")))))
        if result.get("change"):
            c = result["change"]
            print(f"Change {c['from']} -> {c['to']}: {c['difference']:+.1f} ({result['level']:.0%} "
                  f"interval {c['lower']:.1f} to {c['upper']:.1f}).")
        if result.get("unlinked"):
            print(f"{result['unlinked']} answers link to no customer of the snapshot.")
    print(f"Method: {result['method']}")


def _stored_nps(ctx: typer.Context, by: str | None, survey: str | None, level: float
                ) -> dict[str, Any]:
    from valuecrm.views.voice_scores import voice_nps, voice_nps_by_segment, voice_nps_trend

    params = {"survey": survey, "level": level}
    if by is None:
        return read_view(ctx, "/api/voice/nps", params,
                         lambda db: voice_nps(db, survey=survey, level=level))
    if by not in BY_CHOICES:
        raise ParameterError(f"--by must be one of {', '.join(BY_CHOICES)}. Got {by!r} instead.")
    if by == "segment":
        return read_view(ctx, "/api/voice/nps/segments", params,
                         lambda db: voice_nps_by_segment(db, survey=survey, level=level))
    return read_view(ctx, "/api/voice/nps/trend", {**params, "by": by},
                     lambda db: voice_nps_trend(db, by=by, survey=survey, level=level))


@voice_app.command("pls")
def pls_command(
    ctx: typer.Context,
    file: FileArgument = None,
    model: Annotated[str | None, typer.Option("--model", help=(
        "ecsi or acsi with FILE (items named as in the ECSI questionnaire: IMAG1, CUEX1...), or "
        "a survey model file (YAML or JSON: constructs, paths, scales), with FILE or on the "
        "stored answers. Without it and FILE: the ECSI structure on the stored questions, one "
        "question per construct."))] = None,
    scheme: Annotated[str, typer.Option("--scheme", help=(
        "With FILE or a model file: inner weighting, path, centroid or factorial."))] = "path",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, max=100_000, help=(
        "With FILE or a model file: bootstrap resamples (0: none). Otherwise: always 1,000 "
        "(seed 0)."))] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the resampling.")] = None,
    survey: SurveyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Satisfaction index by PLS path modelling: path coefficients, R² and 0-100 indices, of
    the stored answers (with bootstrap intervals) or of a survey FILE.

    Example: valuecrm voice pls --json

    With a file: valuecrm voice pls --model ecsi mobi.csv --bootstrap 5000 --seed 1

    With a survey model file: valuecrm voice pls --survey mobi --model ecsi.yaml
    """
    from valuecrm.views.voice import survey_pls
    from valuecrm.views.voice_index import voice_index
    from valuecrm.views.voice_survey import file_pls, stored_pls

    model_file = model is not None and model.lower() not in ("ecsi", "acsi")
    if file is not None:
        _only_with_file(file, **{"--survey": survey})
        result = (file_pls(file, Path(model), scheme=scheme, bootstrap=bootstrap, seed=seed)
                  if model_file and model is not None
                  else survey_pls(file, model or "ecsi", scheme=scheme, bootstrap=bootstrap,
                                  seed=seed))
    elif model_file and model is not None:
        from valuecrm.interfaces.commands._reading import reading

        with reading(ctx, api=f"POST /api/voice/surveys/{survey or 'NAME'}/pls") as database:
            result = stored_pls(database, survey, Path(model), scheme=scheme,
                                bootstrap=bootstrap, seed=seed)
    else:
        _only_with_file(file, **{"--model": model, "--bootstrap": bootstrap, "--seed": seed,
                                 "--scheme": scheme != "path"})
        result = read_view(ctx, "/api/voice/index", {"survey": survey},
                           lambda db: voice_index(db, survey=survey))
    if as_json:
        emit_json(result)
        return
    print(f"{result['model']} on {result['respondents']} respondents ({result['scheme']} "
          "scheme)")
    if file is None and not model_file:
        _print_stored_index(result)
        return
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


def _print_stored_index(result: dict[str, Any]) -> None:
    for p in result["paths"]:
        print(f"  {p['source']} -> {p['target']}: {p['coefficient']:.4f}  "
              f"[{p['lower']:.3f}, {p['upper']:.3f}]")
    print("R²: " + ", ".join(f"{r['construct']} {r['r_squared']:.3f}"
                             for r in result["r_squared"]))
    print("Index (0-100), 95% interval:")
    for i in result["indices"]:
        print(f"  {i['construct']} ({i['question']}): {i['index']:.1f}  "
              f"[{i['lower']:.1f}, {i['upper']:.1f}]")
    print(f"Model: {result['model_note']}")
    print(f"Method: {result['method']}")


@voice_app.command("drivers")
def drivers_command(
    ctx: typer.Context,
    survey: SurveyOption = None,
    ipma: Annotated[str | None, typer.Option("--ipma", help=(
        "Instead: the importance-performance map of Satisfaction or Loyalty (from the PLS "
        "model of 'valuecrm voice pls')."))] = None,
    as_json: JsonOption = False,
) -> None:
    """Key drivers of NPS in the stored answers: each question's Shapley share of R² with its
    interval, performance (0-100) and quadrant; with --ipma, the importance-performance map.

    Example: valuecrm voice drivers

    The importance-performance map: valuecrm voice drivers --ipma Loyalty
    """
    from valuecrm.views.voice_index import voice_drivers, voice_ipma

    if ipma is not None:
        ipma = ipma.capitalize()  # the route's spelling: Satisfaction, Loyalty
        with options_named(target="--ipma"):
            result = read_view(ctx, "/api/voice/ipma", {"target": ipma, "survey": survey},
                               lambda db: voice_ipma(db, target=ipma, survey=survey))
    else:
        result = read_view(ctx, "/api/voice/drivers", {"survey": survey},
                           lambda db: voice_drivers(db, survey=survey))
    if as_json:
        emit_json(result)
        return
    if ipma is not None:
        print(f"Importance-performance map of {result['target']} ({result['respondents']} "
              "respondents):")
        for row in result["table"]:
            print(f"  {row['construct']}: importance {row['importance']:.3f}, performance "
                  f"{row['performance']:.1f}: {row['quadrant']}")
    else:
        print(f"Key drivers of NPS (R² {result['r_squared']:.3f}, {result['respondents']} "
              "respondents):")
        for row in result["items"]:
            print(f"  {row['item']}: {row['share']:.1f}% of R² (importance "
                  f"{row['importance']:.3f} [{row['lower']:.3f}, {row['upper']:.3f}]), "
                  f"performance {row['performance']:.1f}: {row['quadrant']}")
    print(f"Method: {result['method']}")


def register(app: typer.Typer) -> None:
    app.add_typer(voice_app, name="voice")
