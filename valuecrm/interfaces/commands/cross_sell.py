"""``valuecrm rules``, ``cross-sell``, ``up-sell`` and ``cross-buying``: what customers buy
together, what to offer each customer next, and how broadly they buy
(:mod:`valuecrm.views.cross_sell`).

Each prints a view: read from the --db file, or, while 'valuecrm serve' holds it, from the
server's API route that answers with the same view. The lists go to a file with ``--out``
(CSV with a BOM, or Parquet), one row per customer and offer with ``customer_id`` first: the
list that ``valuecrm campaign assign --customers`` takes for a campaign planned on 'list'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from valuecrm.interfaces.commands._options import options_named
from valuecrm.interfaces.commands._reading import read_list, read_view, write_list_file
from valuecrm.interfaces.commands.actions import _check_out, _print_frame
from valuecrm.interfaces.context import emit_json, emit_json_rows

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
LevelOption = Annotated[str, typer.Option(
    "--level", help="The level of the catalogue: product, type (the sub-category), category, "
                    "brand or department.")]
MaxLenOption = Annotated[int | None, typer.Option(
    "--max-len", help="Most items in a rule (2: one-to-one rules; default for 'rules': 2).")]
OutOption = Annotated[str | None, typer.Option(
    "--out", help="Write the whole list to FILE.csv (UTF-8 with a BOM) or FILE.parquet: one "
                  "row per customer and offer, for 'valuecrm campaign assign --customers'.")]
TopOption = Annotated[int, typer.Option("--top", min=1, help="Offers per customer.")]
NAMES = {"level": "--level", "min_support": "--min-support",
         "min_confidence": "--min-confidence", "max_len": "--max-len", "top": "--top",
         "max_step": "--max-step", "by": "--by", "snapshot": "--snapshot"}


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _named(name: Any, item: Any) -> str:
    """A product as ``name (id)``; the id alone when it has no other name."""
    return str(item) if name is None or str(name) == str(item) else f"{name} ({item})"


def _name_products(frame: Any, pairs: dict[str, str]) -> Any:
    """``frame`` with each id column of ``pairs`` (id column -> name column) shown as
    ``name (id)``, where the view gave the names (the product level)."""
    for column, names in pairs.items():
        if names in frame.columns:
            frame[column] = [_named(n, i) for n, i in zip(frame[names], frame[column],
                                                           strict=True)]
    return frame


def rules(
    ctx: typer.Context,
    level: LevelOption = "category",
    min_support: Annotated[float, typer.Option(
        "--min-support", help="Least share of baskets holding a rule's items, in (0, 1] "
                              "(inclusive).")] = 0.01,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", help="Least confidence, in [0, 1] (inclusive).")] = 0.0,
    max_len: MaxLenOption = 2,
    top: Annotated[int, typer.Option("--top", min=1, help="Rules to show (by lift).")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Association rules of the baskets in the database ("who buys A also buys C"), every
    purchase order counted, guest checkouts included.

    Example: valuecrm rules --level category --min-support 0.01 --max-len 2 --json
    """
    from valuecrm.views import cross_sell

    with options_named(**NAMES):
        found = read_view(ctx, "/api/cross-sell/rules",
                          _params(level=level, min_support=min_support,
                                  min_confidence=min_confidence, max_len=max_len, top=top),
                          lambda database: cross_sell.rules(
                              database, level=level, min_support=min_support,
                              min_confidence=min_confidence, max_len=max_len, top=top))
    if as_json:
        emit_json(found)
        return
    import pandas as pd

    frame = pd.DataFrame(found["rules"])
    if frame.empty:
        frame = pd.DataFrame(columns=["antecedent", "consequent", "support", "confidence",
                                      "lift", "count"])
    if "antecedent_names" in frame.columns:  # the product level: names with their ids
        frame["antecedent"] = [[_named(n, i) for n, i in zip(names, items, strict=True)]
                               for names, items in zip(frame["antecedent_names"],
                                                       frame["antecedent"], strict=True)]
        frame = _name_products(frame, {"consequent": "consequent_name"})
    frame["antecedent"] = frame["antecedent"].map(lambda items: " + ".join(map(str, items)))
    spec = {"antecedent": ("if bought", None), "consequent": ("then also", None),
            "support": ("support", ".4f"), "confidence": ("confidence", ".3f"),
            "lift": ("lift", ".2f"), "count": ("baskets", ",d")}
    _print_frame(frame, f"{found['n_rules']:,} rules at the {level} level from "
                        f"{found['n_baskets']:,} baskets (support >= {min_support:g}, "
                        f"confidence >= {min_confidence:g}); the first {len(frame)} by lift",
                 spec)
    print(f"Method: {found['method']}. Source: {found['source']}"
          + (f", up to {found['as_of']}." if found["as_of"] else "."))


def _offers(ctx: typer.Context, kind: str, route: str, params: dict[str, Any],
            view: Any, out: str | None, as_json: bool, what: str,
            spec: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """Run a list command: ``--out`` streams the whole list to the file (DuckDB's ``COPY``,
    or the server's export), ``--json`` prints it a page at a time, else the first 20 rows;
    the first page of the view."""
    from valuecrm.views.cross_sell import export_offers

    if out:
        _check_out(out)
    with options_named(**NAMES):
        written = None
        if out:
            rows, _ = write_list_file(
                ctx, f"/api/exports/{kind}", _params(**params), out,
                lambda database, target: (export_offers(database, kind, target, **params),
                                          None))
            written = str(Path(out).expanduser())
        found, pages = read_list(ctx, route, _params(**params),
                                 lambda database, offset, limit: view(
                                     database, offset=offset, limit=limit, **params))
    if as_json:
        emit_json_rows({**found, "offset": 0, "limit": None, "written": written},
                       "customers", pages)
    elif written:
        print(f"Wrote {rows:,} {what} offers for {found['customers_reached']:,} "
              f"customers to {written}.")
    elif not found["rows"]:
        print(f"No customer gets a {what} offer at these settings.")
    else:
        import pandas as pd

        frame = _name_products(pd.DataFrame(found["customers"][:20], columns=found["columns"]),
                               {"product": "product_name", "instead_of": "instead_of_name",
                                "because": "because_names"})
        _print_frame(frame, f"{what.capitalize()} offers: {found['rows']:,} for "
                            f"{found['customers_reached']:,} customers (the first 20)", spec)
    return found


def cross_sell(
    ctx: typer.Context,
    level: LevelOption = "product",
    min_support: Annotated[float, typer.Option(
        "--min-support", help="Least share of baskets of the rules used, in (0, 1].")] = 0.001,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", help="Least confidence of the rules used, in [0, 1].")] = 0.1,
    max_len: MaxLenOption = 3,
    top: TopOption = 3,
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """The next best products of each customer: what the rules whose items they bought
    suggest and they have not bought, scored by confidence x margin (one-purchase customers:
    what is most often bought with theirs).

    Example: valuecrm cross-sell --top 3 --out cross_sell.csv
    """
    from valuecrm.views import cross_sell as views

    spec = {"customer_id": ("customer", None), "rank": ("rank", "d"),
            "product": ("offer", None), "because": ("because they bought", None),
            "confidence": ("confidence", ".3f"), "lift": ("lift", ".2f"),
            "margin": ("margin / unit", ",.2f"), "score": ("score", ",.3f"),
            "source": ("from", None)}
    found = _offers(ctx, "next-best", "/api/cross-sell/next-best",
                    {"level": level, "min_support": min_support,
                     "min_confidence": min_confidence, "max_len": max_len, "top": top},
                    views.next_best, out, as_json, "cross-sell", spec)
    if not as_json and not out:
        print(f"Method: {found['method']}.")


def up_sell(
    ctx: typer.Context,
    top: TopOption = 3,
    max_step: Annotated[float, typer.Option(
        "--max-step", help="Most an offer may cost, as a multiple of the dearest product "
                           "the customer bought in its category (> 1).")] = 2.0,
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Up-sell offers: in a category the customer buys, a dearer product with a higher unit
    margin than the dearest one they bought there.

    Example: valuecrm up-sell --max-step 1.5 --out up_sell.parquet
    """
    from valuecrm.views import cross_sell as views

    spec = {"customer_id": ("customer", None), "rank": ("rank", "d"),
            "product": ("offer", None), "category": ("category", None),
            "unit_price": ("price", ",.2f"), "instead_of": ("instead of", None),
            "reference_price": ("its price", ",.2f"), "margin_gain": ("margin gain", ",.2f")}
    found = _offers(ctx, "up-sell", "/api/cross-sell/up-sell",
                    {"top": top, "max_step": max_step}, views.up_sell, out, as_json, "up-sell",
                    spec)
    if not as_json and not out:
        print(f"Rule: {found['rule']}.")


def cross_buying(
    ctx: typer.Context,
    snapshot: Annotated[str | None, typer.Option(
        "--snapshot", help="Snapshot id or as-of date (default: the latest).")] = None,
    by: Annotated[str, typer.Option("--by", help="Grouping: rfm_segment, rfm_class, status, "
                                    "stage, quadrant, tier, value_class.")] = "rfm_segment",
    as_json: JsonOption = False,
) -> None:
    """Cross-buying and category share (more, deeper: 多、深): categories bought per customer,
    the share buying two or more, and the share of spend in the main category, by segment.

    Example: valuecrm cross-buying --by tier --json
    """
    from valuecrm.views import cross_sell as views

    with options_named(**NAMES):
        found = read_view(ctx, "/api/cross-sell/cross-buying",
                          _params(snapshot=snapshot, by=by),
                          lambda database: views.cross_buying(database, snapshot, by=by))
    if as_json:
        emit_json(found)
        return
    import pandas as pd

    figures = found["figures"]
    print(f"Snapshot {found['snapshot_id']} as of {found['as_of']}: "
          f"{figures['mean_categories']:.2f} of {found['n_categories']} categories per "
          f"customer; {figures['multi_category_share']:.1%} bought two or more; "
          f"{(figures['main_category_share'] or 0):.1%} of spend in the main category.")
    spec = {"group": (by, None), "customers": ("customers", ",d"),
            "mean_categories": ("categories", ".2f"),
            "multi_category_share": ("2+ categories", ".1%"),
            "main_category_share": ("main-category share", ".1%")}
    _print_frame(pd.DataFrame(found["by_segment"], columns=list(spec)),
                 f"Cross-buying by {by}", spec)
    for name, method in found["methods"].items():
        print(f"{name}: {method}")


def register(app: typer.Typer) -> None:
    app.command()(rules)
    app.command("cross-sell")(cross_sell)
    app.command("up-sell")(up_sell)
    app.command("cross-buying")(cross_buying)
