"""``valuecrm voice recovery|journey``: complaints and service recovery, touchpoints and the
journey, from the database.

Thin: the figures come from :mod:`valuecrm.views.voice_service`; while a server holds the
database the commands ask it (``GET /api/voice/recovery``, ``GET /api/voice/journey``).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._reading import read_view
from valuecrm.interfaces.commands.voice import voice_app
from valuecrm.interfaces.context import emit_json

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
LevelOption = Annotated[float, typer.Option("--level", min=0.5, max=0.999,
                                            help="Confidence level of the intervals.")]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _ci(d: dict[str, Any], pct: bool = True) -> str:
    if d.get("lower") is None:
        return ""
    f = _pct if pct else (lambda v: f"{v:.3f}")
    return f" [{f(d['lower'])}, {f(d['upper'])}]"


@voice_app.command("recovery")
def recovery_command(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="Retention: a purchase "
                                      "within this many days after the complaint was resolved "
                                      "(or after a purchase without a complaint).")] = 90,
    success: Annotated[float, typer.Option("--success", min=1, max=7, help="A recovery "
                                           "succeeds when satisfaction after it (1-7) is at "
                                           "least this.")] = 5.0,
    level: LevelOption = 0.95,
    as_json: JsonOption = False,
) -> None:
    """Complaints and service recovery (缺失补救): complaint rate, time to resolve, satisfaction
    after recovery, the effect of outcome, procedural and interactional justice on it (OLS, HC3),
    and retention after successful and failed recoveries with the test of the service-recovery
    paradox.

    Example: valuecrm voice recovery --days 90 --success 5 --json
    """
    from valuecrm.views.voice_service import recovery

    params = {"days": days, "success": success, "level": level}
    view = read_view(ctx, "/api/voice/recovery", params, lambda database: recovery(
        database, days=days, success_threshold=success, level=level))
    if as_json:
        emit_json(view)
        return
    rates = view["rates"]
    if rates.get("missing"):
        print("No complaints yet: the complaints table is empty. Load them with: valuecrm "
              "ingest complaints FILE")
        return
    per = rates["per_100_orders"] or {}
    print(f"Complaints: {rates['complaints']} from {rates['complainers']} customers; "
          f"{per.get('rate_per_100', 0):.2f} per 100 orders{_ci(per, pct=False)}; "
          f"{_pct(rates['complainer_share']['share'])} of buyers complained.")
    res = view["resolution"]
    hours, sat = res["hours"], res["satisfaction_after"]
    print(f"Resolved {res['resolved']}, open {res['open']}; hours to resolve: median "
          f"{hours['median'] or 0:.1f}, mean {hours['mean'] or 0:.1f}, 90th percentile "
          f"{hours['p90'] or 0:.1f}.")
    if sat:
        print(f"Satisfaction after recovery (1-7): {sat['mean']:.2f}"
              f"{_ci(sat, pct=False)}; successful (>= {success:g}): "
              f"{_pct(res['success']['share'])}{_ci(res['success'])}.")
    justice = view["justice"]
    if justice.get("coefficients"):
        print(f"Justice effects on satisfaction after recovery (n = {justice['n']}, "
              f"R² {justice['r_squared']:.3f}):")
        for c in justice["coefficients"]:
            print(f"  {c['term']}: {c['coefficient']:.3f} [{c['lower']:.3f}, {c['upper']:.3f}]")
    elif justice.get("missing"):
        print(f"Justice effects: {justice['missing']}.")
    ret = view["retention"]
    if ret.get("groups"):
        print(f"Retention (a purchase within {days} days):")
        for name, g in ret["groups"].items():
            print(f"  {name}: {_pct(g['share'])}{_ci(g)} of {g['n']}")
        p = ret["paradox"]
        if p["difference"] is not None:
            print(f"Service-recovery paradox: {p['verdict']} (success minus no complaint "
                  f"{100 * p['difference']:+.1f} points [{100 * p['lower']:+.1f}, "
                  f"{100 * p['upper']:+.1f}], p = {p['p_value']:.3g}).")
    elif ret.get("missing"):
        print(f"Retention: {ret['missing']}.")
    print(f"Methods: {justice['method']}. {ret['method']}.")


@voice_app.command("journey")
def journey_command(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="A complaint is placed "
                                      "on the stage of the customer's latest interaction "
                                      "within this many days before it.")] = 30,
    level: LevelOption = 0.95,
    as_json: JsonOption = False,
) -> None:
    """Touchpoints and the journey (接触点): contacts by stage and channel, contacts and cost to
    serve per customer and stage, the funnel from first contact to first order, and where
    complaints arise along the journey.

    Example: valuecrm voice journey --json
    """
    from valuecrm.views.voice_service import journey

    view = read_view(ctx, "/api/voice/journey", {"days": days, "level": level},
                     lambda database: journey(database, days=days, level=level))
    if as_json:
        emit_json(view)
        return
    mix = view["mix"]
    if mix.get("missing"):
        print("No interactions yet: the interactions table is empty. Load them with: valuecrm "
              "ingest interactions FILE")
    else:
        print(f"Contacts: {mix['contacts']}. By stage (share, cost per contact):")
        for r in mix["by_stage"]:
            cost = "-" if r["cost_per_contact"] is None else f"{r['cost_per_contact']:.2f}"
            print(f"  {r['stage']}: {r['contacts']} ({_pct(r['share'])}), {cost}")
        print("By channel: " + ", ".join(f"{r['channel']} {_pct(r['share'])}"
                                         for r in mix["by_channel"]))
        cost = view["cost"]["per_contacting_customer"]
        print(f"Per customer in touch: {cost['contacts']['mean']:.1f} contacts, cost to serve "
              f"{cost['cost']['mean']:.2f} (median {cost['cost']['median']:.2f}).")
    funnel = view["funnel"]
    if funnel.get("steps"):
        print("Funnel from first contact to first order (conversion from the step before):")
        for s in funnel["steps"]:
            print(f"  {s['step']}: {s['customers']} ({_pct(s['conversion'])}{_ci(s)})")
    complaints = view["complaints"]
    if complaints.get("by_stage"):
        print("Where complaints arise: " + ", ".join(
            f"{r['stage']} {_pct(r['share'])}" for r in complaints["by_stage"]))
    elif complaints.get("missing"):
        print("No complaints yet.")
    print(f"Methods: {mix['method']}. {funnel['method']}. {complaints['method']}.")


def register(app: typer.Typer) -> None:
    """The commands are on ``voice_app`` (registered by :mod:`.voice`)."""
