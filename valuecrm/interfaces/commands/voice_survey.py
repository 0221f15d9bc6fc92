"""``valuecrm voice import|quadrants|value``: surveys loaded into the database and the figures
made from them (thin: :mod:`valuecrm.voice.survey_import` loads, :mod:`valuecrm.views.
voice_survey` computes). ``valuecrm voice pls --survey NAME`` is in :mod:`.voice`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import reading, writing
from valuecrm.interfaces.commands.voice import voice_app
from valuecrm.interfaces.context import emit_json

SurveyOption = Annotated[str | None, typer.Option("--survey", help=(
    "Stored survey name (default: every stored survey).")), ]
ModelOption = Annotated[Path, typer.Option("--model", help=(
    "Survey model file (YAML or JSON): columns, constructs, scales, reversed items.")), ]


@voice_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=(
        "Survey export: one row per respondent, one column per item (CSV or Excel, as "
        "Qualtrics, SurveyMonkey or 问卷星 export it), or the long survey_responses form."))],
    model: ModelOption,
    on_error: Annotated[str, typer.Option("--on-error", help=(
        "reject: refuse the whole file if any row is bad; skip: load the good rows and write "
        "the bad ones to FILE.rejects.csv."))] = "reject",
    create_customers: Annotated[bool, typer.Option("--create-customers", help=(
        "Create the customers the file names and the database lacks."))] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet (default: the "
                                                               "first).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Load a survey export into the database (survey_responses), checked against its model
    file: answers on their declared scales, respondents linked to customers (or anonymous).

    Example: valuecrm voice import mobi.csv --model ecsi.yaml
    """
    from valuecrm.voice.survey_import import import_survey

    with (writing(ctx, api="POST /api/voice/surveys") as database,
          options_named(on_error="--on-error")):
        report = import_survey(database, file, model, on_error=on_error,
                               create_customers=create_customers, sheet=sheet)
    if as_json:
        emit_json(report.to_dict())
        return
    print(report.summary())
    for warning in report.warnings:
        print(f"Warning: {warning}")
    for bad in report.bad_rows[:20]:
        print(f"  left out row {bad.line}, column {bad.column!r}: {bad.reason}")
    if report.rejects_path:
        print(f"Bad rows written to {report.rejects_path}")


def _thresholds(satisfaction: str, loyalty: str, s_cut: float, l_cut: float,
                survey: str | None, snapshot: str | None) -> dict[str, Any]:
    return {"survey": survey, "satisfaction": satisfaction, "loyalty": loyalty,
            "satisfaction_threshold": s_cut, "loyalty_threshold": l_cut, "snapshot": snapshot}


@voice_app.command("quadrants")
def quadrants_command(
    ctx: typer.Context,
    survey: SurveyOption = None,
    satisfaction: Annotated[str, typer.Option("--satisfaction", help=(
        "The satisfaction question code."))] = "satisfaction",
    loyalty: Annotated[str, typer.Option("--loyalty", help=(
        "The loyalty question code (e.g. repurchase intention, or nps)."))] = "loyalty",
    satisfaction_threshold: Annotated[float, typer.Option("--satisfaction-threshold", help=(
        "Answers at or above it are highly satisfied."))] = 8.0,
    loyalty_threshold: Annotated[float, typer.Option("--loyalty-threshold", help=(
        "Answers at or above it are highly loyal."))] = 8.0,
    snapshot: Annotated[str | None, typer.Option("--snapshot", help=(
        "Snapshot id or as-of date of the value table (default: the latest)."))] = None,
    quadrant: Annotated[str | None, typer.Option("--list", help=(
        "List the customers of one quadrant: apostle, mercenary, hostage or defector."))]
    = None,
    high_value: Annotated[bool, typer.Option("--high-value", help=(
        "Only high-value customers (top 20% of the pyramid: tier VIP, key, ordinary)."))]
    = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=(
        "Write the customer list to a file: .csv (UTF-8 with BOM) or .parquet."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Satisfaction x loyalty quadrants (Jones & Sasser 1995): apostles, mercenaries, hostages
    and defectors, from each customer's latest answers, with their value.

    Example: valuecrm voice quadrants --list defector --high-value --out defectors.csv
    """
    from valuecrm.views.voice_survey import export_quadrants, quadrant_customers, quadrant_summary

    options = _thresholds(satisfaction, loyalty, satisfaction_threshold, loyalty_threshold,
                          survey, snapshot)
    listing = quadrant is not None or high_value or out is not None
    with (reading(ctx, api="GET /api/voice/quadrants") as database,
          options_named(quadrant="--list", snapshot="--snapshot")):
        if out is not None:
            result = export_quadrants(database, out, quadrant=quadrant, high_value=high_value,
                                      **options)
        elif listing:
            result = quadrant_customers(database, quadrant=quadrant, high_value=high_value,
                                        **options)
        else:
            result = quadrant_summary(database, **options)
    if as_json:
        emit_json(result)
    elif out is not None:
        print(f"Wrote {result['rows']:,} customers to {result['file']}.")
    elif listing:
        print(f"{result['customers']:,} customers (showing {result['shown']}):")
        for row in result["rows"]:
            clv = "" if row["clv"] is None else f"  CLV {row['clv']:.2f}"
            print(f"  {row['customer_id']}  {row['quadrant']}  satisfaction "
                  f"{row['satisfaction']:g}  loyalty {row['loyalty']:g}{clv}")
    else:
        print(f"{result['customers']:,} customers placed (thresholds: satisfaction >= "
              f"{satisfaction_threshold:g}, loyalty >= {loyalty_threshold:g})")
        for q in result["quadrants"]:
            clv = "" if q["mean_clv"] is None else f", mean CLV {q['mean_clv']:.2f}"
            share = q["share"] or 0.0
            print(f"  {q['quadrant']:<9} {q['customers']:>7,} ({share:.1%}){clv}, "
                  f"{q['high_value']:,} high value")
        print(f"Method: {result['method']}")


@voice_app.command("value")
def value_command(
    ctx: typer.Context,
    survey: SurveyOption = None,
    model: Annotated[Path | None, typer.Option("--model", help=(
        "Survey model file naming the benefits, sacrifices and overall_value items (default: "
        "the generated survey's cpv_* items and perceived_value)."))] = None,
    by: Annotated[str, typer.Option("--by", help=(
        "Segment column of the value table: tier, value_class, rfm_class_code, status..."))]
    = "tier",
    waves: Annotated[bool, typer.Option("--waves/--no-waves", help=(
        "Also fit the weights on each survey (wave) and their change."))] = True,
    resamples: Annotated[int, typer.Option("--resamples", min=0, max=100_000, help=(
        "Bootstrap resamples of the intervals."))] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the resampling.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Customer perceived value (顾客知觉价值): the weights of the benefit and sacrifice
    dimensions with intervals, and value = benefits / sacrifices by segment and by wave.

    Example: valuecrm voice value --by tier
    """
    from valuecrm.views.voice_survey import perceived_value_summary

    with (reading(ctx, api="GET /api/voice/perceived-value") as database,
          options_named(by="--by")):
        result = perceived_value_summary(database, survey=survey, model=model, by=by,
                                         waves=waves, n_boot=resamples, seed=seed)
    if as_json:
        emit_json(result)
        return
    print(f"Perceived value on {result['respondents']:,} respondents (R² "
          f"{result['r_squared']:.3f}); mean value (benefits / sacrifices) "
          f"{result['mean_value']:.3f}")
    for w in result["weights"]:
        interval = ("" if w["lower"] is None
                    else f" [{w['lower']:.3f}, {w['upper']:.3f}]")
        share = "" if w["share"] is None else f", share {w['share']:.0%}"
        print(f"  {w['side']:<9} {w['dimension']:<12} {w['coefficient']:+.3f}{interval}{share}")
    for s in result["segments"]:
        print(f"  {by} {s['group']}: value {s['value']:.3f} [{s['lower']:.3f}, "
              f"{s['upper']:.3f}], {s['respondents']:,} respondents")
    for c in result["changes"]:
        if c.get("lower") is not None:
            print(f"  change {c['from_wave']} -> {c['to_wave']} {c['dimension']}: "
                  f"{c['change']:+.3f} [{c['lower']:.3f}, {c['upper']:.3f}]")
    print(f"Method: {result['method']}")


def register(app: typer.Typer) -> None:
    """The commands join ``valuecrm voice`` (registered by :mod:`.voice`)."""
