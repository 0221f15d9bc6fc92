"""Satisfaction x loyalty quadrants (Jones & Sasser 1995, "Why satisfied customers defect",
Harvard Business Review 73(6)): apostles, mercenaries, hostages and defectors.

Each customer is placed by the answers of their **latest questionnaire that answers both
questions** (the satisfaction item and the loyalty item, e.g. repurchase intention):

============  ====================  ======================
quadrant      satisfaction          loyalty
============  ====================  ======================
apostle       high (>= threshold)   high (>= threshold)
mercenary     high                  low
hostage       low                   high
defector      low                   low
============  ====================  ======================

Thresholds are in the items' own units and settable. The defaults, 8 on a 1-10 item (9 on a
0-10 item such as the NPS question), follow Jones & Sasser's point that only the *completely*
satisfied are reliably loyal: "high" is the top of the scale (top-3 box of 1-10), not merely
above its middle.
"""

from __future__ import annotations

import pandas as pd

from valuecrm.errors import DataError, ParameterError, SchemaError

LOYALTY_QUADRANTS = ("apostle", "mercenary", "hostage", "defector")
DEFAULT_SATISFACTION, DEFAULT_LOYALTY = "satisfaction", "loyalty"
DEFAULT_THRESHOLD = 8.0  # on a 1-10 item
METHOD = ("Satisfaction x loyalty quadrants (Jones & Sasser 1995): each customer's latest "
          "questionnaire answering both items; high = at or above the threshold.")


def quadrant_of(satisfaction: pd.Series, loyalty: pd.Series, satisfaction_threshold: float,
                loyalty_threshold: float) -> pd.Series:
    """The quadrant of each pair of answers."""
    high_s = satisfaction >= satisfaction_threshold
    high_l = loyalty >= loyalty_threshold
    out = pd.Series("defector", index=satisfaction.index, dtype=object)
    out[high_s & high_l] = "apostle"
    out[high_s & ~high_l] = "mercenary"
    out[~high_s & high_l] = "hostage"
    return out


def loyalty_quadrants(answers: pd.DataFrame, *, satisfaction: str = DEFAULT_SATISFACTION,
                      loyalty: str = DEFAULT_LOYALTY,
                      satisfaction_threshold: float = DEFAULT_THRESHOLD,
                      loyalty_threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """One row per customer: ``customer_id, response_id, responded_at, survey, satisfaction,
    loyalty, quadrant`` from wide answers (:func:`.stored_answers.survey_answers`); anonymous
    answers (no customer) are left out."""
    for item in (satisfaction, loyalty):
        if item not in answers.columns:
            asked = [c for c in answers.columns if c not in
                     ("response_id", "customer_id", "responded_at", "survey")]
            raise SchemaError(f"No stored answers to the question {item!r}. Questions there: "
                              f"{', '.join(map(str, asked[:30])) or 'none'}.",
                              hint="Name the satisfaction and loyalty questions "
                                   "(--satisfaction, --loyalty).", column=item)
    for name, value in (("satisfaction_threshold", satisfaction_threshold),
                        ("loyalty_threshold", loyalty_threshold)):
        if not isinstance(value, int | float) or value != value:
            raise ParameterError.of(name, "loyalty_quadrants", "a number", value)
    both = answers.dropna(subset=["customer_id", satisfaction, loyalty])
    if both.empty:
        raise DataError(f"No customer answered both {satisfaction!r} and {loyalty!r} (anonymous "
                        "answers cannot be placed).",
                        hint="Load a survey linked to customers (a customer column in the "
                             "model file).")
    latest = (both.sort_values(["responded_at", "response_id"], kind="stable")
              .drop_duplicates("customer_id", keep="last"))
    out = pd.DataFrame({
        "customer_id": latest["customer_id"].astype(str), "response_id": latest["response_id"],
        "responded_at": latest["responded_at"], "survey": latest["survey"],
        "satisfaction": latest[satisfaction].astype(float),
        "loyalty": latest[loyalty].astype(float)})
    out["quadrant"] = quadrant_of(out["satisfaction"], out["loyalty"], satisfaction_threshold,
                                  loyalty_threshold)
    return out.sort_values("customer_id", ignore_index=True)
