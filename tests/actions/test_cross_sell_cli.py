"""``valuecrm rules``, ``cross-sell``, ``up-sell`` and ``cross-buying`` through the real CLI on
a generated, analysed base: the figures of the read layer, the lists exported as a campaign
list that a campaign planned on 'list' takes, and bad input refused in the CLI's words."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from tests.helpers.cli import run
from valuecrm.store import connect
from valuecrm.views import cross_sell


@pytest.fixture
def cli(two_snapshots, monkeypatch, capsys):
    def call(*args: str, code: int = 0):
        done = run(monkeypatch, capsys, "--db", str(two_snapshots.path), *args)
        assert done.code == code, (done.out, done.err)
        return done

    return call


def test_rules_at_a_level_of_the_catalogue(cli, two_snapshots):
    found = json.loads(cli("rules", "--level", "product", "--min-support", "0.002",
                           "--min-confidence", "0.2", "--json").out)
    assert found["n_rules"] >= 4 and found["as_of"] == "2025-12-31"
    assert {r["antecedent"][0] for r in found["rules"]}  # one-to-one by default
    assert all(len(r["antecedent"]) == 1 and r["confidence"] >= 0.2 and r["support"] >= 0.002
               for r in found["rules"])
    lifts = [r["lift"] for r in found["rules"]]
    assert lifts == sorted(lifts, reverse=True)
    with connect(two_snapshots.path, read_only=True) as database:
        assert found == cross_sell.rules(database, level="product", min_support=0.002,
                                         min_confidence=0.2, top=20)
    shown = cli("rules", "--level", "category", "--max-len", "3").out
    assert "rules at the category level" in shown and "Method: association rules" in shown


def test_bad_thresholds_and_levels_in_the_cli_words(cli):
    zero = cli("rules", "--min-support", "0", code=2)
    assert "--min-support must be a share of baskets in (0, 1]" in zero.err
    assert "association_rules" not in zero.err
    shelf = cli("cross-sell", "--level", "shelf", code=2)
    assert "--level must be one of product, type" in shelf.err and "'shelf'" in shelf.err
    assert "--max-step must be a number > 1" in cli("up-sell", "--max-step", "1", code=2).err


def test_the_cross_sell_list_becomes_a_campaign(cli, two_snapshots, tmp_path, monkeypatch,
                                                capsys):
    out = tmp_path / "cross_sell.csv"
    done = cli("cross-sell", "--top", "2", "--out", str(out))
    assert "cross-sell offers for" in done.out
    offers = pd.read_csv(out, encoding="utf-8-sig")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfcustomer_id,rank,product")
    assert offers.groupby("customer_id")["rank"].max().max() <= 2
    assert set(offers["source"]) <= {"rule", "co-occurrence"}
    db = tmp_path / "crm.duckdb"
    shutil.copy(two_snapshots.path, db)

    def on_copy(*args: str):
        result = run(monkeypatch, capsys, "--db", str(db), *args)
        assert result.code == 0, result.err
        return result

    on_copy("campaign", "plan", "--name", "Next best product", "--kind", "cross_sell",
            "--channel", "email", "--target", "list", "--id", "XS1")
    assigned = json.loads(on_copy("campaign", "assign", "XS1", "--control-share", "0.2",
                                  "--seed", "4", "--stratify-by", "none", "--customers",
                                  str(out), "--json").out)
    assert assigned["treatment"] + assigned["control"] == offers["customer_id"].nunique()


def test_up_sell_offers_follow_the_stated_rule(cli, two_snapshots, tmp_path):
    found = json.loads(cli("up-sell", "--max-step", "1.5", "--json").out)
    assert "at most 1.5 times its price" in found["rule"] and found["rows"] > 0
    offers = pd.DataFrame(found["customers"])
    assert (offers["unit_price"] > offers["reference_price"]).all()
    assert (offers["unit_price"] <= 1.5 * offers["reference_price"] + 1e-9).all()
    assert (offers["margin_gain"] > 0).all()
    parquet = tmp_path / "up.parquet"
    cli("up-sell", "--max-step", "1.5", "--out", str(parquet))
    assert len(pd.read_parquet(parquet)) == found["rows"]


def test_cross_buying_by_segment(cli, two_snapshots):
    found = json.loads(cli("cross-buying", "--json").out)
    figures = found["figures"]
    assert found["n_categories"] == 8 and 1 <= figures["mean_categories"] <= 8
    assert figures["category_coverage"] == pytest.approx(figures["mean_categories"] / 8)
    assert 0 < figures["multi_category_share"] <= 1 and 1 / 8 <= figures["main_category_share"] <= 1
    segments = found["by_segment"]
    assert sum(s["customers"] for s in segments) == figures["customers"]
    assert sum(d["customers"] for d in found["distribution"]) == figures["customers"]
    with connect(two_snapshots.path, read_only=True) as database:
        stored = database.raw.execute(
            "SELECT avg(categories_bought) FROM customer_value WHERE snapshot_id = 2").fetchone()
    assert figures["mean_categories"] == pytest.approx(stored[0])
    champions = next(s for s in segments if s["group"] == "Champions")
    hibernating = next(s for s in segments if s["group"] == "Hibernating")
    assert champions["mean_categories"] > hibernating["mean_categories"]  # more buy more
    shown = cli("cross-buying", "--by", "tier").out
    assert "Cross-buying by tier" in shown and "main_category_share:" in shown


def test_products_are_shown_by_name_with_their_id(cli, two_snapshots):
    with connect(two_snapshots.path, read_only=True) as database:
        names = dict(database.raw.execute("SELECT product_id, name FROM products").fetchall())
        found = cross_sell.rules(database, level="product", min_support=0.002, top=3)
        offers = cross_sell.next_best(database)
        up = cross_sell.up_sell(database)
    rule = found["rules"][0]
    assert rule["consequent_name"] == names[rule["consequent"]]
    assert rule["antecedent_names"] == [names[i] for i in rule["antecedent"]]
    first = offers["customers"][0]
    assert first["product_name"] == names[first["product"]]
    assert first["because_names"] == " + ".join(names[i] for i in first["because"].split(" + "))
    assert up["customers"][0]["instead_of_name"] == names[up["customers"][0]["instead_of"]]
    shown = cli("rules", "--level", "product", "--min-support", "0.002", "--top", "3").out
    assert f"{names[rule['consequent']]} ({rule['consequent']})" in shown
    listed = cli("cross-sell", "--top", "1").out
    assert f"{first['product_name']} ({first['product']})" in listed
    assert f"({up['customers'][0]['product']})" in cli("up-sell").out
    with connect(two_snapshots.path, read_only=True) as database:
        categories = cross_sell.rules(database, level="category", top=3)["rules"]
    assert all("consequent_name" not in r for r in categories)  # categories are names
