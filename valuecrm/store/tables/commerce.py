"""The commerce tables of the schema: customers and their attributes, products, orders, order
lines and guest orders (declared with :mod:`valuecrm.store.tables.declaration`)."""

from __future__ import annotations

from valuecrm.store.tables.declaration import Table, _c

ATTRIBUTE_TYPES = ("string", "integer", "number", "boolean", "date")

COMMERCE_TABLES: tuple[Table, ...] = (
    Table(
        "customers",
        "One row per customer: profile and demographics.",
        key=("customer_id",),
        time_column="signup_at",
        columns=(
            _c("customer_id", "string", "The company's customer identifier.", required=True),
            _c("name", "string", "Full name (personal data: masked for viewers)."),
            _c("email", "string", "E-mail address (personal data)."),
            _c("phone", "string", "Telephone number (personal data)."),
            _c("gender", "string", "Gender as recorded.", choices=("female", "male", "other")),
            _c("birth_year", "integer", "Year of birth.", minimum=1900, maximum=2100),
            _c("region", "string", "Region, province or state."),
            _c("city", "string", "City."),
            _c("signup_channel", "string", "Channel through which the customer joined."),
            _c("signup_at", "timestamp", "When the customer joined.", unit="UTC"),
            _c("income_band", "string", "Income band, if known."),
        ),
        notes=(
            "Other columns of a customers file (age band, household size, ...) are kept as "
            "typed extra attributes in `customer_attributes`, named by the column's name "
            "in lower case with `_` for spaces and punctuation.",
        ),
    ),
    Table(
        "customer_attributes",
        "Extra attributes of customers beyond the fixed columns (demographics, "
        "preferences): one row per customer and attribute, typed.",
        key=("customer_id", "name"),
        notes=(
            "A customers file with columns the customers table lacks fills this table "
            "(one row per non-empty value); a column loaded again replaces its values, an "
            "empty value removes the attribute. It can also be loaded directly.",
            "`type` is inferred per column on ingest: `integer` or `number` when every "
            "value parses as one, `boolean` for true/false, `date` for ISO dates, else "
            "`string`. Profiles, lists and filters read `value` as that type.",
        ),
        columns=(
            _c("customer_id", "string", "The customer.", required=True,
               references="customers.customer_id"),
            _c("name", "string", "Attribute name (e.g. age, household_size).", required=True),
            _c("value", "string", "The value, as text.", required=True),
            _c("type", "string", "How to read the value.",
               choices=ATTRIBUTE_TYPES),
        ),
    ),
    Table(
        "products",
        "One row per product: category and unit economics.",
        key=("product_id",),
        columns=(
            _c("product_id", "string", "The company's product identifier.", required=True),
            _c("name", "string", "Product name."),
            _c("department", "string", "Department (the level above the category)."),
            _c("category", "string", "Product category (for cross-buying and cross-sell)."),
            _c("subcategory", "string", "Sub-category."),
            _c("brand", "string", "Brand."),
            _c("unit_price", "money", "List price per unit.", unit="currency", minimum=0),
            _c("unit_cost", "money", "Cost per unit.", unit="currency", minimum=0),
        ),
    ),
    Table(
        "orders",
        "One row per order (transaction).",
        key=("order_id",),
        key_index=False,
        time_column="ordered_at",
        notes=(
            "The key is kept unique by the loads, not by an index: a load updates the "
            "stored orders of its ids and adds the others.",
            "A negative `amount` is allowed only on a row whose `status` is `returned`.",
            "`margin` defaults to `amount - cost` when `cost` is given and `margin` is not.",
            "Purchases (`valuecrm.features.purchases`): an order whose `status` is "
            "`completed` or missing is a purchase; a `returned` row is not a purchase, and "
            "its value counts negative in revenue and margin (net spend); a `cancelled` "
            "order counts nowhere. `rfm_summary`, `analyze`, the lists, the dashboard and the "
            "report all follow this rule.",
            "Money sums that are ranked or cut (RFM, pyramid, value matrix) are exact: "
            "amounts are rounded to the currency's precision (`money_decimals`, 2 by "
            "default) and summed in whole minor units (`valuecrm.features.money`).",
        ),
        columns=(
            _c("order_id", "string", "Order identifier.", required=True),
            _c(
                "customer_id", "string", "Who ordered.", required=True,
                references="customers.customer_id",
            ),
            _c("ordered_at", "timestamp", "When the order was placed.", required=True,
               unit="UTC"),
            _c("amount", "money", "Order value paid by the customer.", required=True,
               unit="currency"),
            _c("cost", "money", "Cost of goods and fulfilment.", unit="currency", minimum=0),
            _c("margin", "money", "Gross margin (amount - cost).", unit="currency"),
            _c("quantity", "integer", "Number of items.", unit="items"),
            _c("channel", "string", "Sales channel (store, web, app, phone, ...)."),
            _c("status", "string", "Order status.",
               choices=("completed", "returned", "cancelled")),
        ),
    ),
    Table(
        "order_lines",
        "One row per product on an order.",
        key=("order_id", "line_no"),
        key_index=False,
        notes=(
            "The key is kept unique by the loads, not by an index: a line-level file "
            "replaces the stored lines of each order it holds, and a file of `order_lines` "
            "updates the stored rows of its keys and adds the others.",
        ),
        columns=(
            _c("order_id", "string", "The order (of `orders`, or of `guest_orders`).",
               required=True, references="orders.order_id"),
            _c("line_no", "integer", "Line number within the order.", required=True,
               minimum=1),
            _c("product_id", "string", "The product.", required=True,
               references="products.product_id"),
            _c("quantity", "integer", "Units.", unit="items"),
            _c("unit_price", "money", "Price per unit paid.", unit="currency"),
            _c("amount", "money", "Line value paid.", unit="currency"),
            _c("cost", "money", "Line cost.", unit="currency", minimum=0),
            _c("discount", "money", "Discount given on the line.", unit="currency",
               minimum=0),
        ),
    ),
    Table(
        "guest_orders",
        "Orders without a customer (guest checkouts), from line-level files: kept for "
        "basket and product analysis, never a customer's purchase.",
        key=("order_id",),
        time_column="ordered_at",
        notes=(
            "Their lines are in `order_lines` (an `order_lines.order_id` is an order of "
            "`orders` or of `guest_orders`). No customer, RFM score or model reads them.",
        ),
        columns=(
            _c("order_id", "string", "Order identifier.", required=True),
            _c("ordered_at", "timestamp", "When the order was placed.", required=True,
               unit="UTC"),
            _c("amount", "money", "Order value (negative for a return).", required=True,
               unit="currency"),
            _c("quantity", "integer", "Number of items.", unit="items"),
            _c("channel", "string", "Sales channel (store, web, app, phone, ...)."),
            _c("status", "string", "Order status.",
               choices=("completed", "returned", "cancelled")),
        ),
    ),
)
