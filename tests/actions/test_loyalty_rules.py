"""The loyalty rules file: read from YAML or JSON, every problem named by file, key and value
before anything is computed; and the figures of a small hand-written ledger."""

from __future__ import annotations

import json

import pytest

from tests.helpers.loyalty import loyalty_database
from valuecrm.actions.loyalty import (
    default_rules,
    load_rules,
    loyalty_balances,
    loyalty_tiers,
    loyalty_what_if,
    point_rates,
    points_liability,
    rules_from_dict,
)
from valuecrm.errors import SourceError
from valuecrm.store import connect

LEVELS = [{"name": "bronze", "min": 0}, {"name": "silver", "min": 1000},
          {"name": "gold", "min": 5000}]


def _rules(**changes):
    document = {"value_per_point": 0.01, "earn": {"points_per_unit": 1},
                "tiers": {"basis": "points", "levels": LEVELS}}
    document.update(changes)
    return document


def test_yaml_and_json_files_give_the_same_rules(tmp_path):
    yaml_file = tmp_path / "rules.yaml"
    yaml_file.write_text("value_per_point: 0.02\nearn:\n  points_per_unit: 2\n"
                         "  bonus_categories: {Electronics: 3}\ntiers:\n  basis: spend\n"
                         "  window_months: 12\n  levels:\n    - {name: basic, min: 0}\n"
                         "    - {name: vip, min: 500, benefits: [free delivery]}\n"
                         "visit_rules:\n  - {name: fee waived, visits: 5, value: 20}\n",
                         encoding="utf-8")
    rules = load_rules(yaml_file)
    json_file = tmp_path / "rules.json"
    json_file.write_text(json.dumps(rules.to_dict()), encoding="utf-8")
    again = load_rules(json_file)
    assert again.to_dict() == rules.to_dict()
    assert rules.bonus_categories == {"Electronics": 3.0} and rules.tier_basis == "spend"
    assert rules.tiers[1].benefits == ("free delivery",)
    assert rules.visit_rules[0].visits == 5 and rules.visit_rules[0].window_months == 12


@pytest.mark.parametrize(("document", "key", "value", "words"), [
    (_rules(tiers={"levels": [*LEVELS[:2], {"name": "gold", "min": 800}]}),
     "tiers.levels[2].min", 800, "overlap or are out of order"),
    (_rules(tiers={"levels": [LEVELS[0], {"name": "silver", "min": 1000, "max": 6000},
                              LEVELS[2]]}), "tiers.levels[1].max", 6000, "overlap"),
    (_rules(tiers={"levels": [{"name": "bronze", "min": 10}]}), "tiers.levels[0].min", 10,
     "must start at 0"),
    (_rules(earn={"points_per_unit": -1}), "earn.points_per_unit", -1, "at least 0"),
    (_rules(value_per_point=-0.5), "value_per_point", -0.5, "at least 0"),
    (_rules(earn={"bonus_categories": {"Books": -2}}), "earn.bonus_categories.Books", -2,
     "at least 0"),
    (_rules(earn={"points_per_unt": 1}), "earn.points_per_unt", 1, "not known"),
    (_rules(tiers={"basis": "visits", "levels": LEVELS}), "tiers.basis", "visits",
     "'points' or 'spend'"),
    (_rules(visit_rules=[{"name": "fee", "visits": 0}]), "visit_rules[0].visits", 0,
     "greater than 0"),
])
def test_a_bad_rule_is_named_by_file_key_and_value(tmp_path, document, key, value, words):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_rules(path)
    error = caught.value
    assert str(path) in error.message and key in error.message and words in error.message
    assert error.details["file"] == str(path) and error.details["key"] == key
    assert error.details["value"] == value and error.status == 400 and error.hint


def test_unreadable_and_missing_files_are_reported(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("tiers: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot be read"):
        load_rules(broken)
    with pytest.raises(SourceError, match="does not exist"):
        load_rules(tmp_path / "nope.yaml")


def test_an_unknown_bonus_category_is_refused_against_the_products(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    rules = rules_from_dict(_rules(earn={"bonus_categories": {"Electronix": 2}}), "my.yaml")
    with connect(path, read_only=True) as database, pytest.raises(SourceError) as caught:
        loyalty_what_if(database, rules)
    assert "my.yaml: earn.bonus_categories has 'Electronix'" in caught.value.message
    assert "Books, Electronics" in caught.value.hint


def test_the_figures_of_a_hand_written_ledger(tmp_path):
    path = loyalty_database(tmp_path / "crm.duckdb")
    rules = rules_from_dict(_rules())
    with connect(path, read_only=True) as database:
        balances = loyalty_balances(database).set_index("customer_id")
        assert balances["balance"].to_dict() == {"A": 300, "B": 0, "C": 100}
        assert balances.loc["A", "redeemed"] == 1000 and balances.loc["B", "expired"] == 300
        liability = points_liability(database, rules)
        assert (liability["outstanding"], liability["liability"]) == (400, 4.0)
        assert points_liability(database, rules, "2024-12-31")["outstanding"] == 900
        # A's 1,000 redeemed points: 600 of 2024, then 400 of 2025; B's 300 of 2024 expired
        cohorts = point_rates(database)["cohorts"].set_index("cohort")
        assert cohorts.loc[2024, ["issued", "redeemed", "expired"]].tolist() == [900, 600, 300]
        assert cohorts.loc[2025, ["issued", "redeemed", "adjusted", "outstanding"]].tolist() == [
            820, 400, 20, 400]
        assert bool(cohorts.loc[2024, "closed"]) and not bool(cohorts.loc[2025, "closed"])
        rates = point_rates(database)
        assert rates["breakage"] == pytest.approx(300 / 900)
        assert rates["redemption_rate"] == pytest.approx(600 / 900)
        tiers = loyalty_tiers(database, rules).set_index("customer_id")["tier"].to_dict()
        assert tiers == {"A": "silver", "B": "bronze", "C": "bronze"}  # D is no member
        windowed = rules_from_dict(_rules(tiers={"window_months": 12, "levels": LEVELS}))
        assert loyalty_tiers(database, windowed).loc[0, "tier"] == "bronze"  # A: 700 in 2025
        spend = rules_from_dict(_rules(tiers={"basis": "spend", "levels": [
            LEVELS[0], {"name": "silver", "min": 1300}]}))
        assert loyalty_tiers(database, spend).set_index("customer_id")["qualifying"].round(
            2).to_dict() == {"A": 1301.39, "B": 300.0, "C": 100.5}


def test_the_what_if_counts_bonus_category_lines_and_returns(tmp_path):
    """o2 (700.99 with a 200.00 Electronics line) earns floor(700.99 + 200 x (3 - 1)) =
    1,100 under a triple-Electronics rule, against 700 today; the return takes back 20."""
    path = loyalty_database(tmp_path / "crm.duckdb")
    document = default_rules().to_dict()
    document["earn"]["bonus_categories"] = {"Electronics": 3}
    with connect(path, read_only=True) as database:
        found = loyalty_what_if(database, rules_from_dict(document), as_of="2025-12-31",
                                months=12)
    totals = found.totals.set_index("rules")
    assert totals.loc["current", "points_earned"] == 700 + 120
    assert totals.loc["changed", "points_earned"] == 1100 + 120
    assert totals.loc["changed", "points_taken_back"] == 20
    assert found.movers.empty  # A: 1,300 then 1,700 points, silver either way
    document["tiers"]["levels"][2]["min"] = 1500  # gold from 1,500 points
    with connect(path, read_only=True) as database:
        moved = loyalty_what_if(database, rules_from_dict(document), as_of="2025-12-31")
    assert moved.movers.to_dict("records") == [{
        "customer_id": "A", "tier_current": "silver", "tier_changed": "gold",
        "qualifying_current": 1300.0, "qualifying_changed": 1700.0}]
    keep = 1 - found.breakage
    assert totals.loc["changed", "expected_cost"] == pytest.approx(
        round((1100 + 120 - 20) * 0.01 * keep, 2))


def test_spend_for_tiers_is_an_exact_sum_of_cents():
    """0.1 + 0.2 + 0.3 is 0.6000000000000001 in doubles: a tier starting at 0.6 must hold it."""
    import ibis
    import pandas as pd

    from valuecrm.actions.loyalty.ledger import qualifying_spend

    orders = ibis.memtable(pd.DataFrame({
        "customer_id": ["A"] * 3, "ordered_at": pd.to_datetime(["2025-01-01"] * 3),
        "amount": [0.1, 0.2, 0.3], "status": ["completed"] * 3}))
    found = qualifying_spend(orders, "2025-12-31", None).execute()
    assert found["qualifying"].tolist() == [0.6]
