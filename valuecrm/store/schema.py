"""The canonical customer database schema (CONCEPTS.md section 1), declared once.

Everything else is derived from these declarations: the DuckDB DDL, the ingestion checks and
``docs/schema.md`` (a test fails when the document and the code disagree).

Conventions: identifiers are text; money is a DOUBLE in the company's currency; timestamps are
stored without a time zone, in UTC (inputs with an offset are converted); ratings are numbers on
the scale named in the column's unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 4  # steps in valuecrm.store.migrations

# DuckDB SQL type of each logical type.
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column: its logical type, whether a row needs it, its unit and meaning."""

    name: str
    type: str
    doc: str
    required: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    references: str | None = None  # "table.column"

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    """One table of the customer database."""

    name: str
    doc: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    time_column: str | None = None
    notes: tuple[str, ...] = field(default=())
    # False: no PRIMARY KEY index; every load keeps the key unique itself (an index costs
    # more than half of a large load's writes: bench/RESULTS.md).
    key_index: bool = True

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def ddl(self) -> str:
        cols = [
            f'"{c.name}" {c.sql_type}' + (" NOT NULL" if c.required else "")
            for c in self.columns
        ]
        if self.key_index:
            cols.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.key) + ")")
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  ' + ",\n  ".join(cols) + "\n)"


def _c(name: str, type_: str, doc: str, **kw: object) -> Column:
    return Column(name, type_, doc, **kw)  # type: ignore[arg-type]


STAGES = ("information", "enquiry", "selection", "order", "delivery", "payment", "after_sales")
ATTRIBUTE_TYPES = ("string", "integer", "number", "boolean", "date")
LIKERT7 = {"minimum": 1, "maximum": 7, "unit": "1-7 rating"}

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
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
        Table(
            "interactions",
            "Contacts at touchpoints (接触点) along the journey, with their cost to serve.",
            key=("interaction_id",),
            time_column="occurred_at",
            columns=(
                _c("interaction_id", "string", "Interaction identifier.", required=True),
                _c("customer_id", "string", "The customer.", required=True,
                   references="customers.customer_id"),
                _c("occurred_at", "timestamp", "When it happened.", required=True, unit="UTC"),
                _c("stage", "string", "Touchpoint stage of the journey.", choices=STAGES),
                _c("channel", "string", "Channel (store, web, phone, email, chat, ...)."),
                _c("kind", "string", "What it was (visit, call, email, delivery, ...)."),
                _c("cost_to_serve", "money", "What serving this contact cost.",
                   unit="currency", minimum=0),
                _c("duration_minutes", "number", "Length of the contact.", unit="minutes",
                   minimum=0),
            ),
        ),
        Table(
            "complaints",
            "Complaints and service cases, with the service recovery (缺失补救) and its outcome.",
            key=("complaint_id",),
            time_column="opened_at",
            columns=(
                _c("complaint_id", "string", "Case identifier.", required=True),
                _c("customer_id", "string", "The customer.", required=True,
                   references="customers.customer_id"),
                _c("order_id", "string", "The order concerned, if any."),
                _c("opened_at", "timestamp", "When the complaint was made.", required=True,
                   unit="UTC"),
                _c("resolved_at", "timestamp", "When it was resolved.", unit="UTC"),
                _c("category", "string", "Subject (delivery, quality, price, staff, ...)."),
                _c("severity", "integer", "Severity.", unit="1 (minor) - 5 (critical)",
                   minimum=1, maximum=5),
                _c("compensation", "money", "Compensation given.", unit="currency", minimum=0),
                _c("resolution_hours", "number", "Time to resolve.", unit="hours", minimum=0),
                _c("outcome_justice", "number", "Distributive justice: was the outcome fair?",
                   **LIKERT7),
                _c("procedural_justice", "number", "Was the process fair and quick?", **LIKERT7),
                _c("interactional_justice", "number", "Was the attitude good?", **LIKERT7),
                _c("satisfaction_after", "number", "Satisfaction after the recovery.", **LIKERT7),
                _c("cost_to_serve", "money", "What handling the case cost.", unit="currency",
                   minimum=0),
            ),
        ),
        Table(
            "survey_responses",
            "Survey answers in long form: one row per question answered.",
            key=("response_id", "question"),
            time_column="responded_at",
            notes=(
                "Standard question codes: `nps` (0-10 likelihood to recommend), `satisfaction`, "
                "`expectations`, `perceived_quality`, `perceived_value`, `image`, `loyalty` "
                "(ACSI/ECSI items, 1-10).",
            ),
            columns=(
                _c("response_id", "string", "One filled-in questionnaire.", required=True),
                _c("question", "string", "Question code.", required=True),
                _c("customer_id", "string", "Who answered; empty for an anonymous survey.",
                   references="customers.customer_id"),
                _c("responded_at", "timestamp", "When.", required=True, unit="UTC"),
                _c("survey", "string", "Which survey (e.g. nps-2024q1)."),
                _c("score", "number", "Numeric answer.", unit="the question's scale"),
                _c("answer_text", "string", "Free-text answer."),
            ),
        ),
        Table(
            "campaigns",
            "Marketing and relationship campaigns.",
            key=("campaign_id",),
            time_column="started_at",
            columns=(
                _c("campaign_id", "string", "Campaign identifier.", required=True),
                _c("name", "string", "Campaign name."),
                _c("kind", "string", "Purpose.",
                   choices=("acquisition", "retention", "winback", "cross_sell", "up_sell",
                            "loyalty", "other")),
                _c("channel", "string", "Channel used."),
                _c("started_at", "timestamp", "Start.", unit="UTC"),
                _c("ended_at", "timestamp", "End.", unit="UTC"),
                _c("cost_per_contact", "money", "Cost of one contact.", unit="currency",
                   minimum=0),
                _c("offer", "string", "What was offered."),
                _c("target", "string", "Who was targeted (plan): a segment, a status, a tier or "
                   "a customer list."),
                _c("hypothesis", "string", "What the campaign should change and why (plan)."),
                _c("outcome", "string", "The outcome measured in the window (plan).",
                   choices=("purchase", "revenue", "margin")),
                _c("expected_effect", "number", "Expected difference treatment - control in "
                   "the outcome (plan).", unit="the outcome's unit"),
                _c("window_days", "integer", "Days after the start in which outcomes count.",
                   unit="days", minimum=1),
                _c("control_share", "number", "Share of the targeted customers held out.",
                   minimum=0, maximum=1),
                _c("seed", "integer", "Seed of the random assignment (reproducible)."),
                _c("stratify_by", "string", "Strata of the random assignment.",
                   choices=("none", "segment", "tier", "status")),
                _c("status", "string", "Where the campaign is in plan-do-check-act.",
                   choices=("planned", "assigned", "launched", "measured", "decided")),
                _c("planned_at", "timestamp", "When it was planned.", unit="UTC"),
                _c("decision", "string", "What was decided after the check (act).",
                   choices=("scale", "continue", "change", "stop")),
                _c("decision_note", "string", "Why (act)."),
                _c("decided_at", "timestamp", "When it was decided.", unit="UTC"),
            ),
        ),
        Table(
            "campaign_members",
            "Who was assigned to a campaign: the treatment group received it, the control group "
            "was held out so the effect can be measured.",
            key=("campaign_id", "customer_id"),
            columns=(
                _c("campaign_id", "string", "The campaign.", required=True,
                   references="campaigns.campaign_id"),
                _c("customer_id", "string", "The customer.", required=True,
                   references="customers.customer_id"),
                _c("group", "string", "Assignment.", required=True,
                   choices=("treatment", "control")),
                _c("assigned_at", "timestamp", "When assigned.", unit="UTC"),
                _c("contacted_at", "timestamp", "When contacted (treatment only).", unit="UTC"),
                _c("responded_at", "timestamp", "When the customer responded, if they did.",
                   unit="UTC"),
                _c("stratum", "string", "The stratum (segment, tier, status) the customer was "
                   "randomised within."),
            ),
        ),
        Table(
            "campaign_results",
            "The check of a campaign: the measured effect of the treatment against the control "
            "group on each outcome, with its 95% Welch interval.",
            key=("campaign_id", "outcome"),
            time_column="measured_at",
            columns=(
                _c("campaign_id", "string", "The campaign.", required=True,
                   references="campaigns.campaign_id"),
                _c("outcome", "string", "What was measured in the window.", required=True,
                   choices=("purchase", "revenue", "margin")),
                _c("measured_at", "timestamp", "When it was measured.", unit="UTC"),
                _c("window_end", "timestamp", "End of the window whose orders counted.",
                   unit="UTC"),
                _c("n_treatment", "integer", "Treated customers.", minimum=0),
                _c("n_control", "integer", "Control customers.", minimum=0),
                _c("treatment_mean", "number", "Mean outcome of the treated."),
                _c("control_mean", "number", "Mean outcome of the control group."),
                _c("difference", "number", "Treatment mean - control mean (the effect)."),
                _c("ci_low", "number", "Lower end of the 95% Welch interval."),
                _c("ci_high", "number", "Upper end of the 95% Welch interval."),
                _c("p_value", "number", "Welch t-test p-value (two-sided).", minimum=0,
                   maximum=1),
                _c("relative_lift", "number", "difference / control mean."),
                _c("incremental", "number", "difference x treated customers: extra buyers "
                   "(purchase) or extra money (revenue, margin).", unit="the outcome's unit"),
                _c("contact_cost", "money", "cost per contact x treated customers.",
                   unit="currency", minimum=0),
                _c("roi", "number", "(incremental - contact cost) / contact cost, for the "
                   "money outcomes.", unit="ratio"),
                _c("method", "string", "How the figure was computed."),
            ),
        ),
        Table(
            "coupon_redemptions",
            "Coupons redeemed by customers, and the campaign that issued them.",
            key=("redemption_id",),
            time_column="redeemed_at",
            columns=(
                _c("redemption_id", "string", "Redemption identifier.", required=True),
                _c("customer_id", "string", "Who redeemed it.", required=True,
                   references="customers.customer_id"),
                _c("coupon_id", "string", "The coupon (e.g. its UPC).", required=True),
                _c("campaign_id", "string", "The campaign that issued the coupon.",
                   references="campaigns.campaign_id"),
                _c("redeemed_at", "timestamp", "When it was redeemed.", required=True,
                   unit="UTC"),
            ),
        ),
        Table(
            "loyalty_ledger",
            "Loyalty points earned, redeemed and expired.",
            key=("entry_id",),
            time_column="occurred_at",
            columns=(
                _c("entry_id", "string", "Ledger entry identifier.", required=True),
                _c("customer_id", "string", "The member.", required=True,
                   references="customers.customer_id"),
                _c("occurred_at", "timestamp", "When.", required=True, unit="UTC"),
                _c("points", "integer", "Points (negative for redemption or expiry).",
                   required=True, unit="points"),
                _c("kind", "string", "Entry kind.",
                   choices=("earn", "redeem", "expire", "adjust")),
                _c("order_id", "string", "The order that earned the points, if any."),
                _c("tier", "string", "Member tier after the entry."),
            ),
        ),
        Table(
            "referrals",
            "Customers who brought other customers (referral value).",
            key=("referral_id",),
            time_column="referred_at",
            columns=(
                _c("referral_id", "string", "Referral identifier.", required=True),
                _c("referrer_id", "string", "The customer who referred.", required=True,
                   references="customers.customer_id"),
                _c("referred_customer_id", "string", "The new customer, once they joined."),
                _c("referred_at", "timestamp", "When.", required=True, unit="UTC"),
                _c("converted", "boolean", "Whether the referred person became a customer."),
                _c("reward", "money", "Reward paid to the referrer.", unit="currency",
                   minimum=0),
            ),
        ),
    ]
}


def get_table(name: str) -> Table:
    """The declaration of table ``name``, or a :class:`SchemaError` listing the tables."""
    from valuecrm.errors import SchemaError

    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(
            f"There is no table {name!r}.",
            hint="Tables: " + ", ".join(TABLES) + ".",
        ) from None
