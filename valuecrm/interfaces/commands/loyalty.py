"""``valuecrm loyalty summary|members|tiers|value|what-if|check``: the loyalty programme
(:mod:`valuecrm.views.loyalty`; rules file and definitions in ``docs/loyalty.md``).

Without ``--rules`` the figures use the rules of ``$VALUECRM_LOYALTY_RULES`` (or the built-in
defaults) and, while 'valuecrm serve' holds the database, come from its API. With ``--rules``
the file is read here, so the database must be free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._reading import read_view, reading
from valuecrm.interfaces.context import emit_json

loyalty_app = typer.Typer(
    help="The loyalty programme: points liability, breakage and redemption, tiers and their "
         "moves, members against non-members, and the what-if of changed rules.\n\n"
         "Example: valuecrm loyalty summary\n\n"
         "More: valuecrm loyalty tiers --from 2024-12-31 --to 2025-12-31; valuecrm loyalty "
         "what-if --rules new-rules.yaml --members --json; valuecrm loyalty check "
         "new-rules.yaml (docs/loyalty.md).",
    no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
RulesOption = Annotated[Path | None, typer.Option("--rules", help=(
    "Loyalty rules file (.yaml or .json, docs/loyalty.md); default: $VALUECRM_LOYALTY_RULES "
    "or the built-in rules."))]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=(
    "Date YYYY-MM-DD (default: the day of the newest ledger entry)."))]


def _local(ctx: typer.Context, route: str, rules: Path | None, params: dict[str, Any],
           view: Any) -> Any:
    """The view over the database (with the --rules file), or the server's GET ``route``."""
    from valuecrm.views.loyalty import configured_rules

    if rules is None:
        return read_view(ctx, route, params,
                         lambda db: view(db, configured_rules(database=db)))
    with reading(ctx, api=f"GET {route}") as database:
        return view(database, configured_rules(rules, database))


def _snapshot(text: str | None) -> int | str | None:
    """A snapshot given on the command line: its id as a number, else as written."""
    return int(text) if text is not None and text.isdigit() else text


def _empty(found: dict[str, Any]) -> bool:
    if found.get("empty"):
        print(f"{found['message']} {found['hint']}")
        return True
    return False


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


@loyalty_app.command("summary")
def summary(ctx: typer.Context, rules: RulesOption = None, as_of: AsOfOption = None,
            as_json: JsonOption = False) -> None:
    """Points liability, breakage and redemption rate (by cohort), the tier mix and the visit
    benefits as of a date.

    Example: valuecrm loyalty summary --as-of 2025-12-31 --json
    """
    from valuecrm.views.loyalty import loyalty_overview

    found = _local(ctx, "/api/loyalty", rules, {"as_of": as_of},
                   lambda db, r: loyalty_overview(db, r, as_of))
    if as_json:
        emit_json(found)
        return
    if _empty(found):
        return
    li, rates = found["liability"], found["rates"]
    print(f"Loyalty programme as of {found['as_of']} ({found['rules_source']})")
    print(f"  {li['members']:,} members; {li['outstanding']:,} points outstanding x "
          f"{li['value_per_point']:g} = liability {li['liability']:,.2f}"
          + (f" ({li['negative']:,} negative balances)" if li["negative"] else ""))
    print(f"  Redemption rate {_pct(rates['redemption_rate'])}, breakage "
          f"{_pct(rates['breakage'])} over {rates['closed_cohorts']} closed cohorts; to date "
          f"{_pct(rates['redemption_rate_to_date'])} redeemed, {_pct(rates['breakage_to_date'])}"
          f" expired; settled breakage {_pct(rates['settled_breakage'])}")
    for c in rates["cohorts"]:
        print(f"    {c['cohort']}: issued {c['issued']:,}, redeemed {_pct(c['redemption_rate'])}"
              f", expired {_pct(c['breakage'])}, outstanding {_pct(c['outstanding_share'])}")
    tiers = found["tiers"]
    print(f"  Tiers on {tiers['basis']} ("
          + (f"last {tiers['window_months']} months" if tiers["window_months"] else
             "since joining") + "): "
          + ", ".join(f"{t['tier']} {t['members']:,}" for t in tiers["mix"]))
    for v in found["visit_rules"]:
        print(f"  {v['rule']}: {v['members']:,} members made at least {v['visits']} visits in "
              f"{v['window_months']} months (cost {v['cost']:,.2f})")
    print(f"Method: {li['method']}; {rates['method']}.")


@loyalty_app.command("members")
def members(ctx: typer.Context, rules: RulesOption = None, as_of: AsOfOption = None,
            tier: Annotated[str | None, typer.Option("--tier", help="Only this tier.")] = None,
            limit: Annotated[int, typer.Option("--limit", min=1, help=(
                "Members to list, largest balance first."))] = 20,
            as_json: JsonOption = False) -> None:
    """Members with their balance, points earned, redeemed, expired and their tier (customer
    ids: the API gives them to analysts and admins).

    Example: valuecrm loyalty members --tier gold --limit 50
    """
    from valuecrm.views.loyalty import member_balances

    found = _local(ctx, "/api/loyalty/members", rules,
                   {"as_of": as_of, "tier": tier, "limit": limit},
                   lambda db, r: member_balances(db, as_of, rules=r, limit=limit, tier=tier))
    if as_json:
        emit_json(found)
        return
    if _empty(found):
        return
    print(f"{found['members']:,} members as of {found['as_of']}; the {found['shown']:,} with "
          f"the largest balance:")
    for r in found["rows"]:
        print(f"  {r['customer_id']}  {r['tier']:<10} balance {r['balance']:>9,}  earned "
              f"{r['earned']:,}, redeemed {r['redeemed']:,}, expired {r['expired']:,}")


@loyalty_app.command("tiers")
def tiers(ctx: typer.Context, rules: RulesOption = None,
          start: Annotated[str | None, typer.Option("--from", help=(
              "First date YYYY-MM-DD (default: a year before --to)."))] = None,
          end: Annotated[str | None, typer.Option("--to", help=(
              "Second date YYYY-MM-DD (default: the newest ledger entry)."))] = None,
          from_snapshot: Annotated[str | None, typer.Option("--from-snapshot", help=(
              "Instead of --from: the as-of date of this snapshot (id or as-of date; "
              "'valuecrm snapshots' lists them)."))] = None,
          to_snapshot: Annotated[str | None, typer.Option("--to-snapshot", help=(
              "Instead of --to: the as-of date of this snapshot."))] = None,
          as_json: JsonOption = False) -> None:
    """Tier moves between two dates, or between the as-of dates of two snapshots: the
    migration matrix (rows: tier then; columns: tier now; '(not a member)' for joiners).

    Example: valuecrm loyalty tiers --from 2024-12-31 --to 2025-12-31
    (or --from-snapshot 1 --to-snapshot 2)
    """
    from valuecrm.errors import ParameterError
    from valuecrm.views.loyalty import tier_moves

    for day, snapshot, names in ((start, from_snapshot, "--from or --from-snapshot"),
                                 (end, to_snapshot, "--to or --to-snapshot")):
        if day is not None and snapshot is not None:
            raise ParameterError(f"Give {names}, not both.",
                                 hint="A snapshot stands for its as-of date.")
    params = {"from": start, "to": end, "from_snapshot": from_snapshot,
              "to_snapshot": to_snapshot}
    found = _local(ctx, "/api/loyalty/tiers", rules,
                   {k: v for k, v in params.items() if v is not None},
                   lambda db, r: tier_moves(db, r, start, end,
                                            start_snapshot=_snapshot(from_snapshot),
                                            end_snapshot=_snapshot(to_snapshot)))
    if as_json:
        emit_json(found)
        return
    if _empty(found):
        return
    print(f"Tier moves from {found['from']} to {found['to']}: {found['up']:,} up, "
          f"{found['down']:,} down, {found['same']:,} same, {found['joined']:,} joined")
    names = found["tiers"]
    width = max(len(n) for n in names) + 2
    print(" " * width + "".join(f"{n:>{width}}" for n in names))
    for row in found["matrix"]:
        print(f"{row['tier_from']:<{width}}" + "".join(f"{row[n]:>{width},}" for n in names))


@loyalty_app.command("value")
def value(ctx: typer.Context,
          snapshot: Annotated[str | None, typer.Option("--snapshot", help=(
              "Snapshot id or as-of date (default: the latest)."))] = None,
          as_json: JsonOption = False) -> None:
    """Members against non-members: customers, mean CLV, P(alive) and net spend from a
    snapshot. Selection, not effect: members chose to join.

    Example: valuecrm loyalty value --json
    """
    from valuecrm.views.loyalty import member_value

    found = read_view(ctx, "/api/loyalty/value", {"snapshot": snapshot},
                      lambda db: member_value(db, snapshot))
    if as_json:
        emit_json(found)
        return
    if _empty(found):
        return
    if found["snapshot"] is None:
        print(found["message"])
        return
    print(f"Members against non-members, snapshot {found['snapshot']['snapshot_id']} as of "
          f"{found['snapshot']['as_of']} ({found['label']}):")
    for g in found["groups"]:
        print(f"  {g['group']:<12} {g['customers']:>8,} customers  mean CLV "
              f"{g['mean_clv'] or 0:,.2f}  mean P(alive) {g['mean_p_alive'] or 0:.3f}  mean "
              f"spend {g['mean_spend'] or 0:,.2f}")
    for c in found.get("controlled_campaigns", []):
        shown = "; ".join(f"{e['outcome']} {e['difference']:+.4f} [{e['ci_low']:+.4f}, "
                          f"{e['ci_high']:+.4f}]" for e in c["effects"]) or "not measured"
        print(f"  With a control group (effect, not selection): campaign {c['campaign_id']} "
              f"({c['name']}): {shown}")
    print(f"Method: {found['method']}.")


@loyalty_app.command("what-if")
def what_if(ctx: typer.Context,
            rules: Annotated[Path, typer.Option("--rules", help=(
                "The changed rules file (.yaml or .json)."))],
            current: Annotated[Path | None, typer.Option("--current", help=(
                "The rules of today (default: $VALUECRM_LOYALTY_RULES or the built-in "
                "rules)."))] = None,
            as_of: AsOfOption = None,
            months: Annotated[int, typer.Option("--months", min=1, max=120, help=(
                "Months of past orders to cost."))] = 12,
            members: Annotated[bool, typer.Option("--members", help=(
                "Also list the members whose tier changes."))] = False,
            as_json: JsonOption = False) -> None:
    """Apply a changed rule set to past orders: the points it would have issued, their cost
    and liability, the visit benefits, and who changes tier. Writes nothing.

    Example: valuecrm loyalty what-if --rules double-electronics.yaml --months 12 --members
    """
    from valuecrm.views import loyalty as views

    with reading(ctx, api="POST /api/loyalty/what-if") as database:
        changed = views.configured_rules(rules, database)
        today = views.configured_rules(current, database)
        found = views.what_if(database, changed, today, as_of=as_of, months=months,
                              members=members, limit=None)
    if as_json:
        emit_json(found)
        return
    if _empty(found):
        return
    print(f"What-if on the members' orders from {found['since']} to {found['as_of']}:")
    for t in found["totals"]:
        print(f"  {t['rules']:<8} {t['points_net']:>12,} points  face value "
              f"{t['face_value']:>12,.2f}  expected cost {t['expected_cost']:>12,.2f}  visit "
              f"benefits {t['visit_benefit_cost']:>10,.2f}  total {t['total_cost']:>12,.2f}")
    d = found["difference"]
    print(f"  change   {d['points_net']:>+12,.0f} points, total cost {d['total_cost']:+,.2f}")
    print(f"  {found['members_changing_tier']:,} members change tier ({found['up']:,} up, "
          f"{found['down']:,} down)")
    for m in found.get("members", []):
        print(f"    {m['customer_id']}  {m['tier_current']} -> {m['tier_changed']}")
    print(f"Method: {found['method']}.")


@loyalty_app.command("check")
def check(path: Annotated[Path, typer.Argument(help="The rules file (.yaml or .json).")],
          as_json: JsonOption = False) -> None:
    """Check a loyalty rules file and print the rules it defines (opens no database).

    Example: valuecrm loyalty check rules.yaml
    """
    from valuecrm.actions.loyalty import load_rules

    rules = load_rules(path)
    if as_json:
        emit_json(rules.to_dict())
        return
    print(f"{path}: valid. {rules.points_per_unit:g} points per currency unit"
          + (", bonus " + ", ".join(f"{c} x{m:g}" for c, m in rules.bonus_categories.items())
             if rules.bonus_categories else "")
          + f"; a point is worth {rules.value_per_point:g}; tiers on {rules.tier_basis}: "
          + ", ".join(f"{t.name} from {t.min:g}" for t in rules.tiers) + ".")


def register(app: typer.Typer) -> None:
    app.add_typer(loyalty_app, name="loyalty")
