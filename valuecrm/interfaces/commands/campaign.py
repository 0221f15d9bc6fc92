"""``valuecrm campaign plan|assign|export|measure|decide|list|show|size``: campaigns with
control groups, kept as a plan-do-check-act record (:mod:`valuecrm.views.campaigns`).

The steps write to the --db file; while 'valuecrm serve' holds it they stop with a message
naming the API route that does the same. ``list`` and ``show`` read beside a running server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.errors import ParameterError
from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_view, writing
from valuecrm.interfaces.context import emit_json

campaign_app = typer.Typer(
    help="Campaigns with control groups: plan, assign treatment and control at random, export "
         "the treatment list, measure the effect after the window, record the decision.\n\n"
         "Example: valuecrm campaign plan --name 'Spring win-back' --kind winback --channel "
         "email --target 'segment:At Risk' --expected-effect 0.03",
    no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
CampaignArg = Annotated[str, typer.Argument(help="The campaign id (see 'valuecrm campaign "
                                                 "list').")]


def _show_record(record: dict[str, Any]) -> None:
    plan, do, check, act = record["plan"], record["do"], record["check"], record["act"]
    print(f"Campaign {record['campaign_id']}: {plan['name']} ({plan['kind']}, "
          f"{plan['channel']}), status {record['status']}")
    print(f"  Plan:  target {plan['target']}; outcome {plan['outcome']} within "
          f"{plan['window_days']} days; expected effect {plan['expected_effect']}; "
          f"hypothesis: {plan['hypothesis'] or '-'}")
    if do["treatment"] or do["control"]:
        print(f"  Do:    {do['treatment']:,} treated, {do['control']:,} control (share "
              f"{do['control_share']}, seed {do['seed']}, strata by {do['stratify_by']}); "
              f"{do['contacted']:,} contacted; window from {do['started_at'] or '-'}")
    for row in check["results"]:
        print(f"  Check: {row['outcome']}: treatment {row['treatment_mean']:.4f} vs control "
              f"{row['control_mean']:.4f}, difference {row['difference']:+.4f} "
              f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] (95% Welch), p = "
              f"{row['p_value']:.3g}; incremental {row.get('incremental') or 0:,.2f}"
              + (f", ROI {row['roi']:.2f}" if row.get("roi") is not None else ""))
    if act["decision"]:
        print(f"  Act:   {act['decision']}: {act['decision_note']}")


def _emit(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(result)
    else:
        _show_record(result.get("record", result))


@campaign_app.command("plan")
def plan(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="What the campaign is called.")],
    kind: Annotated[str, typer.Option("--kind", help="acquisition, retention, winback, "
                                      "cross_sell, up_sell, loyalty or other.")],
    channel: Annotated[str, typer.Option("--channel", help="email, sms, phone, app_push, "
                                         "mail, ...")],
    target: Annotated[str, typer.Option("--target", help="'segment:NAME', 'status:NAME', "
                                        "'tier:NAME' of the latest analysis, or 'list' (the "
                                        "customers are given to 'assign').")],
    offer: Annotated[str | None, typer.Option("--offer", help="What is offered.")] = None,
    cost: Annotated[float, typer.Option("--cost", min=0.0, help="Cost per contact.")] = 0.0,
    hypothesis: Annotated[str | None, typer.Option("--hypothesis", help="What should change "
                                                   "and why.")] = None,
    expected_effect: Annotated[float | None, typer.Option(
        "--expected-effect", help="Expected difference treatment - control in the outcome.")]
    = None,
    outcome: Annotated[str, typer.Option("--outcome", help="purchase (bought in the window), "
                                         "revenue or margin.")] = "purchase",
    window_days: Annotated[int, typer.Option("--window-days", min=1, help="Days after the "
                                             "start in which outcomes count.")] = 30,
    start: Annotated[str | None, typer.Option("--start", help="Planned first day, YYYY-MM-DD "
                                              "(default: the day of the export).")] = None,
    campaign_id: Annotated[str | None, typer.Option("--id", help="Campaign id (default: "
                                                    "made up).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Plan a campaign: what, to whom, why, and the effect expected.

    Example: valuecrm campaign plan --name 'Win back' --kind winback --channel email
    --target 'segment:At Risk' --offer '20 off' --cost 0.2 --expected-effect 0.03
    """
    from valuecrm.views import campaigns

    with options_named(name="--name", kind="--kind", channel="--channel", target="--target",
                       outcome="--outcome", start="--start", campaign_id="--id",
                       cost_per_contact="--cost", expected_effect="--expected-effect",
                       window_days="--window-days"), \
            writing(ctx, api="POST /api/campaigns") as database:
        record = campaigns.plan(database, name=name, kind=kind, channel=channel,
                                target=target, offer=offer, cost_per_contact=cost,
                                hypothesis=hypothesis, expected_effect=expected_effect,
                                outcome=outcome, window_days=window_days, start=start,
                                campaign_id=campaign_id)
    _emit(record, as_json)


def _read_ids(path: str) -> list[str]:
    """Customer ids from a CSV with a customer_id column, or one id per line."""
    import pandas as pd

    file = Path(path).expanduser()
    if not file.is_file():
        raise ParameterError(f"--customers {path!r} is not a file.",
                             hint="Give a CSV with a customer_id column, or one id per line.")
    frame = pd.read_csv(file, dtype=str, encoding="utf-8-sig")
    if "customer_id" in frame.columns:
        return frame["customer_id"].dropna().tolist()
    return [frame.columns[0], *frame.iloc[:, 0].dropna().tolist()]


@campaign_app.command("assign")
def assign(
    ctx: typer.Context, campaign_id: CampaignArg,
    control_share: Annotated[float, typer.Option("--control-share", help="Share held out as "
                                                 "the control group, strictly between 0 and "
                                                 "1.")],
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random assignment.")],
    stratify_by: Annotated[str, typer.Option("--stratify-by", help="segment, tier, status or "
                                             "none.")] = "segment",
    customers: Annotated[str | None, typer.Option("--customers", help="For a campaign "
                                                  "planned on 'list': a CSV of customer "
                                                  "ids.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Assign the targeted customers to treatment and control at random, within strata.

    Example: valuecrm campaign assign CMP-1 --control-share 0.2 --seed 42 --stratify-by tier
    """
    from valuecrm.views import campaigns

    ids = _read_ids(customers) if customers else None
    with options_named(control_share="--control-share", seed="--seed",
                       stratify_by="--stratify-by"), \
            writing(ctx, api=f"POST /api/campaigns/{campaign_id}/assignment") as database:
        result = campaigns.assign(database, campaign_id, control_share=control_share,
                                  seed=seed, stratify_by=stratify_by, customers=ids)
    _emit(result, as_json)


@campaign_app.command("export")
def export(
    ctx: typer.Context, campaign_id: CampaignArg,
    out: Annotated[str, typer.Option("--out", help="The treatment list, FILE.csv (UTF-8 with "
                                     "a BOM, for Excel).")],
    as_json: JsonOption = False,
) -> None:
    """Launch: write the treatment list for the channel and record the contacts (the window
    starts at the planned start, else now). The control group is never on the list.

    Example: valuecrm campaign export CMP-1 --out treatment.csv
    """
    from valuecrm.views import campaigns

    target = Path(out).expanduser()
    if target.suffix.lower() != ".csv" or not target.resolve().parent.is_dir():
        raise ParameterError(f"--out must name a .csv file in an existing folder. Got "
                             f"{out!r}.", hint="For example: --out treatment.csv")
    with writing(ctx, api=f"POST /api/campaigns/{campaign_id}/launch") as database:
        result = campaigns.launch(database, campaign_id, target)
    if as_json:
        emit_json(result)
        return
    print(f"Wrote {result['treated']:,} treated customers of {campaign_id} to {target}; "
          f"window from {result['started_at']}.")


@campaign_app.command("measure")
def measure(
    ctx: typer.Context, campaign_id: CampaignArg,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Measure as of this day, "
                                              "YYYY-MM-DD (default: now); after the window.")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Check: the effect of the treatment against the control group on purchase, revenue and
    margin in the window (difference in means, 95% Welch interval).

    Example: valuecrm campaign measure CMP-1 --json
    """
    from valuecrm.views import campaigns

    when = None
    if as_of is not None:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time())
        except ValueError:
            raise ParameterError(f"--as-of must be a date YYYY-MM-DD. Got {as_of!r}.") from None
    with writing(ctx, api=f"POST /api/campaigns/{campaign_id}/measurement") as database:
        record = campaigns.measure(database, campaign_id, when)
    _emit(record, as_json)


@campaign_app.command("decide")
def decide(
    ctx: typer.Context, campaign_id: CampaignArg,
    decision: Annotated[str, typer.Option("--decision", help="scale, continue, change or "
                                          "stop.")],
    note: Annotated[str, typer.Option("--note", help="Why.")],
    as_json: JsonOption = False,
) -> None:
    """Act: record the decision taken after the check, and why.

    Example: valuecrm campaign decide CMP-1 --decision scale --note 'Lift +3 points'
    """
    from valuecrm.views import campaigns

    with options_named(decision="--decision", note="--note"), \
            writing(ctx, api=f"POST /api/campaigns/{campaign_id}/decision") as database:
        record = campaigns.decide(database, campaign_id, decision, note)
    _emit(record, as_json)


@campaign_app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every campaign with its status and the effect on its planned outcome.

    Example: valuecrm campaign list --json
    """
    from valuecrm.views import campaigns

    result = read_view(ctx, "/api/campaigns", {}, campaigns.campaign_list)
    if as_json:
        emit_json(result)
        return
    if not result["campaigns"]:
        print("No campaign yet: plan one with 'valuecrm campaign plan'.")
    for c in result["campaigns"]:
        effect = c["effect"]
        shown = (f"{effect['outcome']} {effect['difference']:+.4f} [{effect['ci_low']:+.4f}, "
                 f"{effect['ci_high']:+.4f}]") if effect else "not measured"
        print(f"{c['campaign_id']}  {c['status']:<9} {c['name']} ({c['kind']}, {c['channel']})"
              f"  {c['treatment']:,} treated / {c['control']:,} control  {shown}"
              + (f"  decision: {c['decision']}" if c["decision"] else ""))


@campaign_app.command("show")
def show(ctx: typer.Context, campaign_id: CampaignArg, as_json: JsonOption = False) -> None:
    """One campaign's plan-do-check-act record.

    Example: valuecrm campaign show CMP-1
    """
    from valuecrm.views import campaigns

    result = read_view(ctx, f"/api/campaigns/{campaign_id}", {},
                       lambda database: campaigns.campaign_record(database, campaign_id))
    _emit(result, as_json)


@campaign_app.command("next")
def next_list(
    ctx: typer.Context, campaign_id: CampaignArg,
    value: Annotated[str, typer.Option("--value", help="clv, margin, revenue or "
                                       "expected_spend of the latest analysis.")] = "clv",
    top: Annotated[int, typer.Option("--top", min=1, max=100_000, help=(
        "Keep the first N (at most 100,000, as GET /api/campaigns/ID/next-list)."))] = 100,
    out: Annotated[str | None, typer.Option("--out", help="Write the list to FILE.csv.")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Whom to contact next time: customers ranked by predicted uplift x value, learnt from a
    measured campaign's treatment and control groups (a two-model uplift learner).

    Example: valuecrm campaign next CMP-1 --top 500 --out next.csv
    """
    from valuecrm.interfaces.commands._reading import reading
    from valuecrm.views import campaigns

    with options_named(value="--value", top="--top"), \
            reading(ctx, api=f"GET /api/campaigns/{campaign_id}/next-list") as database:
        result = campaigns.next_list(database, campaign_id, value=value, top=top)
    if out:
        import pandas as pd

        from valuecrm.actions import export_list

        written = export_list(pd.DataFrame(result["customers"]), Path(out).expanduser())
        result["written"] = str(written)
    if as_json:
        emit_json(result)
        return
    for row in result["customers"][:20]:
        print(f"{row['customer_id']:<14} uplift {row['uplift']:+.3f}  {value} "
              f"{row['value']:,.2f}  score {row['score']:,.2f}")
    print(f"{result['rows']:,} customers; method: {result['method']}."
          + (f" Written to {result['written']}." if out else ""))


@campaign_app.command("size")
def size(
    effect: Annotated[float | None, typer.Option("--effect", help="Difference to detect "
                                                 "(gives the sample size).")] = None,
    customers: Annotated[int | None, typer.Option("--customers", help="Customers available "
                                                  "(gives the minimum detectable effect).")]
    = None,
    baseline: Annotated[float | None, typer.Option("--baseline", help="The control's response "
                                                   "rate (two proportions).")] = None,
    sd: Annotated[float | None, typer.Option("--sd", help="Standard deviation of the outcome "
                                             "(two means).")] = None,
    control_share: Annotated[float, typer.Option("--control-share")] = 0.5,
    alpha: Annotated[float, typer.Option("--alpha")] = 0.05,
    power: Annotated[float, typer.Option("--power")] = 0.8,
    as_json: JsonOption = False,
) -> None:
    """Sample size for an effect, or the minimum detectable effect of a number of customers.

    Example: valuecrm campaign size --effect 0.02 --baseline 0.1 --control-share 0.2
    """
    from valuecrm.views import campaigns

    with options_named(effect="--effect", n_total="--customers", baseline="--baseline",
                       sd="--sd", control_share="--control-share", alpha="--alpha",
                       power="--power"):
        result = campaigns.sizing(effect=effect, n_total=customers, baseline=baseline, sd=sd,
                                  control_share=control_share, alpha=alpha, power=power)
    if as_json:
        emit_json(result)
        return
    print(f"{result['n_total']:,} customers ({result['n_treatment']:,} treated, "
          f"{result['n_control']:,} control) detect a difference of {result['effect']:.4g} "
          f"at alpha {alpha:g} with power {power:g}.")
    print(f"Method: {result['method']}.")


def register(app: typer.Typer) -> None:
    app.add_typer(campaign_app, name="campaign")
