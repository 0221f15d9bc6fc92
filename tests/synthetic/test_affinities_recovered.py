"""The product affinities the generator plants are in truth.json and the association rules
recover them from the baskets (every purchase order, through ``basket_items`` in the engine).

On the shared 2,000-customer database (seed 7), rules at (support 0.001, confidence 0.15, one
to one) hold every planted pair read forwards (recall 1.0), and at least 85% of the rules are
planted pairs, read either way (precision; the others join products of nearby prices in one
category, a by-product of how lines pick products)."""

from __future__ import annotations

import ibis

from valuecrm import association_rules
from valuecrm.features.baskets import basket_items


def _engine(generated):
    con = ibis.duckdb.connect()
    for name in ("orders", "guest_orders", "order_lines", "products"):
        con.create_table(name, generated.arrow[name])
    return con


def test_truth_lists_the_planted_pairs(generated):
    planted = generated.truth_json["affinities"]
    config = generated.truth_json["config"]
    assert len(planted) == config["affinity_pairs"] == 8
    products = generated.frames["products"].set_index("product_id")
    for pair in planted:
        assert pair["strength"] == config["affinity_strength"]
        assert products.loc[pair["antecedent"], "category"] == pair["antecedent_category"]
        assert products.loc[pair["consequent"], "category"] == pair["consequent_category"]
        assert pair["antecedent_category"] != pair["consequent_category"]
    assert "affinities" in generated.truth_json["models"]


def test_rules_recover_the_planted_affinities(generated):
    baskets = basket_items(_engine(generated), "product_id")
    rules = association_rules(baskets, min_support=0.001, min_confidence=0.15, max_len=2)
    found = {(a[0], c) for a, c in zip(rules["antecedent"], rules["consequent"], strict=True)}
    planted = {(p["antecedent"], p["consequent"]) for p in generated.truth_json["affinities"]}
    pairs = {frozenset(p) for p in planted}
    recall = len(planted & found) / len(planted)
    precision = sum(frozenset(f) in pairs for f in found) / len(found)
    assert recall == 1.0, sorted(planted - found)
    assert precision >= 0.85, rules.head(30)
    # the planted rules are the strongest: the top lifts are all planted pairs
    top = rules.head(len(planted))
    assert all(frozenset((a[0], c)) in pairs
               for a, c in zip(top["antecedent"], top["consequent"], strict=True))


def test_no_affinity_is_planted_when_switched_off(tmp_path):
    import json

    from valuecrm.synthetic import generate

    result = generate(60, out=tmp_path, seed=1, affinity_pairs=0)
    assert json.loads(result.truth_json_path.read_text(encoding="utf-8"))["affinities"] == []
