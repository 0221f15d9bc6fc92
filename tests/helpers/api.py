"""What the API tests look for: a value for each path parameter, and personal data in a text."""

from __future__ import annotations

import re

# a value for each path parameter that exists in the test database
PATH_VALUES = {"customer_id": None, "table": "orders", "name": "nobody-at-all",
               "snapshot": "latest", "by": "rfm_segment", "group": "Champions",
               "job_id": "000000000000", "kind": "retention", "campaign_id": "K0001",
               "segment": "Champions", "survey": "nps-2024q1"}

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
# 7 or more digits in a row, allowing the separators phone numbers are written with; not part
# of an identifier (C00000012) or a number (1234567.5)
PHONE = re.compile(r"(?<![\w.])\+?\d(?:[ \-()]?\d){6,}(?![\w.])")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?")


def phone_in(text: str) -> re.Match[str] | None:
    """The first phone number in ``text`` (ISO dates and timestamps are not phone numbers)."""
    return PHONE.search(DATE.sub("DATE", text))
