"""Masking personal data for viewers: names, e-mail addresses, phone numbers and free text.

``张三丰`` -> ``张**``, ``George Carter`` -> ``G***** C*****``, ``jane.doe@example.com`` ->
``j***@example.com``, ``13812345678`` -> ``138****5678``, ``+1 433 555 0100`` ->
``+1 433 *** 0100``.
"""

from __future__ import annotations

import re
from typing import Any

from valuecrm.store.users import User

PERSONAL_COLUMNS = ("name", "email", "phone")
FREE_TEXT_COLUMNS = ("answer_text",)
_DIGIT = re.compile(r"\d")


def mask_name(name: str) -> str:
    """The first character of each word kept, the rest starred."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split(" "))


def mask_email(email: str) -> str:
    """The first character of the mailbox and the domain kept."""
    local, at, domain = email.rpartition("@")
    if not at:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """The country code, the first three and the last four digits kept; the middle starred."""
    prefix, rest = "", phone
    if phone.startswith("+") and " " in phone:
        prefix, rest = phone.split(" ", 1)
        prefix += " "
    digits = len(_DIGIT.findall(rest))
    keep_head = 3 if digits >= 10 else 0
    seen, out = 0, []
    for char in rest:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep_head or seen > digits - 4 else "*")
        else:
            out.append(char)
    return prefix + "".join(out)


_MASKS = {"name": mask_name, "email": mask_email, "phone": mask_phone}


def shows_personal_data(user: User) -> bool:
    """Analysts and admins see personal data; viewers never do."""
    return user.may("analyst")


def mask_record(record: dict[str, Any], user: User) -> dict[str, Any]:
    """``record`` with its personal columns masked when ``user`` may not see them."""
    if shows_personal_data(user):
        return record
    masked = dict(record)
    for column, mask in _MASKS.items():
        if isinstance(masked.get(column), str):
            masked[column] = mask(masked[column])
    for column in FREE_TEXT_COLUMNS:
        if masked.get(column) is not None:
            masked[column] = "***"
    return masked
