"""The voice-of-the-customer tables of the schema: interactions at touchpoints, complaints and
survey responses (declared with :mod:`valuecrm.store.tables.declaration`)."""

from __future__ import annotations

from valuecrm.store.tables.declaration import Table, _c

STAGES = ("information", "enquiry", "selection", "order", "delivery", "payment", "after_sales")
LIKERT7 = {"minimum": 1, "maximum": 7, "unit": "1-7 rating"}

VOICE_TABLES: tuple[Table, ...] = (
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
)
