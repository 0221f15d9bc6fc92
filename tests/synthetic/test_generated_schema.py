"""Every generated table conforms to the canonical schema: names, types, required values,
choices, bounds, unique keys and references; and the rows are consistent with each other."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from valuecrm.store.schema import TABLES
from valuecrm.synthetic.writer import arrow_schema

# references the schema states in words (documented ids that must exist when present)
EXTRA_REFERENCES = {
    ("complaints", "order_id"): ("orders", "order_id"),
    ("loyalty_ledger", "order_id"): ("orders", "order_id"),
    ("referrals", "referred_customer_id"): ("customers", "customer_id"),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_and_types_are_the_schema(generated, name):
    table = generated.arrow[name]
    assert table.column_names == TABLES[name].column_names
    expected = arrow_schema(name)
    for field in expected:
        assert table.schema.field(field.name).type == field.type, (name, field.name)


# tables the generator leaves empty: its shop knows every buyer (guest orders come only from
# line-level files; valuecrm.store.ingest.line_items), its customers have no attributes beyond
# the fixed columns (they come from customers files with extra columns, and from the Complete
# Journey's demographics), and its campaigns hand out no coupons (the Complete Journey's do)
EMPTY = {"guest_orders", "customer_attributes", "coupon_redemptions"}


@pytest.mark.parametrize("name", [t for t in TABLES if t not in EMPTY])
def test_every_table_has_rows(generated, name):
    assert len(generated.frames[name]) > 0, name


@pytest.mark.parametrize("name", [t for t in TABLES if t not in EMPTY])
def test_no_integer_or_boolean_column_is_all_null(generated, name):
    """A column of integers or booleans with no value at all has no type once it is a pandas
    object column: Spark then infers VOID and refuses to store the table (the portability
    check loads generated tables into Spark from pandas)."""
    frame = generated.frames[name]
    empty = [c.name for c in TABLES[name].columns
             if c.type in ("integer", "boolean") and frame[c.name].isna().all()]
    assert empty == [], (name, empty)


@pytest.mark.parametrize("name", list(TABLES))
def test_required_choices_and_bounds(generated, name):
    frame = generated.frames[name]
    for column in TABLES[name].columns:
        values = frame[column.name]
        if column.required:
            assert values.notna().all(), (name, column.name)
        present = values.dropna()
        if column.choices:
            assert set(present) <= set(column.choices), (name, column.name)
        if column.minimum is not None:
            assert (present >= column.minimum).all(), (name, column.name)
        if column.maximum is not None:
            assert (present <= column.maximum).all(), (name, column.name)


@pytest.mark.parametrize("name", list(TABLES))
def test_keys_are_unique(generated, name):
    frame = generated.frames[name]
    key = list(TABLES[name].key)
    assert not frame.duplicated(key).any(), name


def _references():
    for table in TABLES.values():
        for column in table.columns:
            if column.references:
                target, target_column = column.references.split(".")
                yield table.name, column.name, target, target_column
    for (table, column), (target, target_column) in EXTRA_REFERENCES.items():
        yield table, column, target, target_column


@pytest.mark.parametrize(("table", "column", "target", "target_column"), list(_references()))
def test_references_hold(generated, table, column, target, target_column):
    values = generated.frames[table][column].dropna()
    assert len(values) > 0 or table in EMPTY
    known = set(generated.frames[target][target_column])
    missing = set(values) - known
    assert not missing, f"{table}.{column}: {sorted(missing)[:5]}"


@pytest.mark.parametrize("name", [t.name for t in TABLES.values()])
def test_timestamps_are_inside_the_window_and_in_the_past(generated, name):
    cfg = generated.result.config
    low = pd.Timestamp(cfg.start_date)
    high = pd.Timestamp(cfg.end) + pd.Timedelta(days=1)
    assert high <= pd.Timestamp(datetime.combine(date.today(), datetime.min.time())) \
        + pd.Timedelta(days=1)
    frame = generated.frames[name]
    for column in TABLES[name].columns:
        if column.type == "timestamp":
            values = frame[column.name].dropna()
            assert (values >= low).all() and (values < high).all(), (name, column.name)


def test_negative_amounts_only_on_returns(generated):
    orders = generated.frames["orders"]
    assert (orders.loc[orders.amount < 0, "status"] == "returned").all()
    assert (orders.loc[orders.status == "returned", "amount"] < 0).all()
    assert set(orders.status) == {"completed", "returned", "cancelled"}


def test_order_lines_add_up_to_completed_orders(generated):
    orders = generated.frames["orders"].set_index("order_id")
    lines = generated.frames["order_lines"]
    sums = lines.groupby("order_id")[["amount", "cost", "quantity"]].sum()
    completed = orders[orders.status == "completed"]
    assert set(sums.index) == set(completed.index)
    joined = completed.join(sums.add_suffix("_lines"))
    assert np.allclose(joined.amount, joined.amount_lines, atol=0.006)
    assert np.allclose(joined.cost, joined.cost_lines, atol=0.006)
    assert (joined.quantity == joined.quantity_lines).all()
    assert np.allclose(joined.margin, joined.amount - joined.cost, atol=0.006)
    # the lines number 1..k and their list value covers the amount paid
    first = lines.groupby("order_id").line_no.agg(["min", "max", "count"])
    assert (first["min"] == 1).all() and (first["max"] == first["count"]).all()
    products = generated.frames["products"].set_index("product_id")
    price = products.loc[lines.product_id, "unit_price"].to_numpy()
    assert np.allclose(lines.discount, np.maximum(lines.quantity * price - lines.amount, 0),
                       atol=0.006)


def test_products_have_categories_and_costs_below_prices(generated):
    products = generated.frames["products"]
    assert products.category.nunique() >= 5
    assert (products.unit_cost < products.unit_price).all()


def test_names_mix_chinese_and_english(generated):
    names = generated.frames["customers"]["name"]
    chinese = names.str.contains(r"[\u4e00-\u9fff]").mean()
    assert 0.5 < chinese < 0.7
    assert generated.frames["customers"].email.str.fullmatch(
        r"[a-z.]+\d+@(mail\.)?example\.(com|net|org)").all()
    assert generated.frames["customers"].phone.str.startswith("+").all()


def test_customer_ids_follow_signup_order(generated):
    customers = generated.frames["customers"]
    assert customers.signup_at.is_monotonic_increasing


def test_referrers_joined_before_the_referral(generated):
    refs = generated.frames["referrals"]
    signup = generated.frames["customers"].set_index("customer_id").signup_at
    assert (signup.loc[refs.referrer_id].to_numpy() <= refs.referred_at.to_numpy()).all()
    converted = refs[refs.converted]
    assert (signup.loc[converted.referred_customer_id].to_numpy()
            >= converted.referred_at.to_numpy()).all()
    assert refs.loc[~refs.converted, "referred_customer_id"].isna().all()


def test_loyalty_points_follow_orders(generated):
    ledger = generated.frames["loyalty_ledger"]
    orders = generated.frames["orders"].set_index("order_id")
    earn = ledger[ledger.kind == "earn"]
    assert (earn.points == np.floor(orders.loc[earn.order_id, "amount"]).to_numpy()).all()
    assert (ledger.loc[ledger.kind != "earn", "points"] < 0).all()
    assert set(ledger.kind) >= {"earn", "redeem", "adjust"}


def test_survey_scores_are_on_their_scales(generated):
    survey = generated.frames["survey_responses"]
    nps = survey[survey.question == "nps"].score
    acsi = survey[survey.question != "nps"].score
    assert nps.between(0, 10).all() and acsi.between(1, 10).all()
    cpv = survey[survey.question.str.startswith("cpv_")].score
    assert cpv.between(1, 7).all()
    assert set(survey.question) == {"nps", "satisfaction", "expectations", "perceived_quality",
                                    "perceived_value", "image", "loyalty", "cpv_functional",
                                    "cpv_emotional", "cpv_social", "cpv_service", "cpv_money",
                                    "cpv_time", "cpv_energy", "cpv_psychic"}
