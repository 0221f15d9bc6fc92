"""What each role sees of a customer: every interface (API answers, dashboard pages, searches)
masks through this module.

Viewers get personal data masked: ``张三丰`` -> ``张**``, ``George Carter`` -> ``G***** C*****``,
``jane.doe@example.com`` -> ``j***@example.com``, ``13812345678`` -> ``138****5678``,
``+1 433 555 0100`` -> ``+1 433 *** 0100``; free text -> ``***``. They also get the
quasi-identifiers coarsened, because birth year, gender and city together re-identify people:
the birth year becomes a 10-year age band (``age_band: "30-39"``), the gender is hidden, and the
city is hidden behind its region (the customer's region, or the city's where this module knows
it). Viewers search by customer id only; exports are for analysts and admins.
:data:`ROLE_TABLE` says all this as a table (the README and the API description show it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from valuecrm.store.users import User

PERSONAL_COLUMNS = ("name", "email", "phone")
QUASI_IDENTIFIERS = ("birth_year", "gender", "city")
FREE_TEXT_COLUMNS = ("answer_text",)
HIDDEN = "***"
AGE_BAND_YEARS = 10
_DIGIT = re.compile(r"\d")
# city -> region (province, state or country) for cities whose customers have no region on file
CITY_REGIONS: dict[str, str] = {
    **dict.fromkeys(("广州", "深圳", "佛山", "东莞", "珠海"), "广东"),
    **dict.fromkeys(("杭州", "宁波", "温州"), "浙江"),
    **dict.fromkeys(("南京", "苏州", "无锡"), "江苏"),
    **dict.fromkeys(("成都", "绵阳"), "四川"), **dict.fromkeys(("武汉", "宜昌"), "湖北"),
    **dict.fromkeys(("济南", "青岛"), "山东"), **dict.fromkeys(("福州", "厦门"), "福建"),
    **dict.fromkeys(("台北", "台中", "高雄"), "台湾"), **dict.fromkeys(("西安",), "陕西"),
    **dict.fromkeys(("长沙",), "湖南"), **dict.fromkeys(("郑州",), "河南"),
    **{city: city for city in ("北京", "上海", "天津", "重庆", "香港", "澳门", "Singapore")},
    **dict.fromkeys(("Los Angeles", "San Francisco", "San Diego"), "California"),
    **dict.fromkeys(("Houston", "Austin", "Dallas"), "Texas"), "New York": "New York",
    **dict.fromkeys(("London", "Manchester", "Bristol"), "England"),
    **dict.fromkeys(("Edinburgh", "Glasgow"), "Scotland"),
    **dict.fromkeys(("Toronto", "Ottawa"), "Ontario"), "Sydney": "New South Wales",
}
# (what, a viewer sees, an analyst or admin sees)
ROLE_TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("customer id, orders, value, segments", "shown", "shown"),
    ("name", "first character of each word: `张**`, `G***** C*****`", "shown"),
    ("e-mail", "first character and the domain: `j***@example.com`", "shown"),
    ("phone", "country code, first three and last four digits: `138****5678`", "shown"),
    ("birth year", "hidden (`birth_year: null`); `age_band` instead, 10-year bands of the age "
                   "this year: `30-39`", "shown"),
    ("gender", "hidden (`***`)", "shown"),
    ("city", "hidden (`***`); the region instead (the customer's, or the city's where known)",
     "shown"),
    ("region, sign-up channel and date, income band", "shown", "shown"),
    ("survey answers (free text)", "hidden (`***`)", "shown"),
    ("search (`q`)", "by customer id only", "by customer id, name or e-mail"),
    ("exports and action-list downloads", "refused (403)", "allowed, written to the audit log"),
)


def role_table() -> str:
    """:data:`ROLE_TABLE_ROWS` as a Markdown table (in the README and the API description)."""
    lines = ["| | viewer | analyst, admin |", "|---|---|---|"]
    lines += [f"| {what} | {viewer} | {analyst} |" for what, viewer, analyst in ROLE_TABLE_ROWS]
    return "\n".join(lines)


ROLE_TABLE = role_table()


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


def age_band(birth_year: Any, today: dt.date | None = None) -> str | None:
    """The 10-year band of the age reached this year (``"30-39"``); None if unknown or absurd."""
    if isinstance(birth_year, bool) or not isinstance(birth_year, int | float) \
            or birth_year != birth_year:
        return None
    age = (today or dt.date.today()).year - int(birth_year)
    if not 0 <= age < 130:
        return None
    low = age - age % AGE_BAND_YEARS
    return f"{low}-{low + AGE_BAND_YEARS - 1}"


def region_of(city: Any) -> str | None:
    """The region of a city this module knows, else None."""
    return CITY_REGIONS.get(city.strip()) if isinstance(city, str) else None


_MASKS = {"name": mask_name, "email": mask_email, "phone": mask_phone}


def shows_personal_data(user: User) -> bool:
    """Analysts and admins see personal data; viewers never do."""
    return user.may("analyst")


def search_columns(user: User) -> tuple[str, ...]:
    """The customer columns ``user`` may search by: viewers by customer id only (a search by
    e-mail, city or birth year would tell them whose it is)."""
    return ("customer_id", "name", "email") if shows_personal_data(user) else ("customer_id",)


def mask_record(record: dict[str, Any], user: User) -> dict[str, Any]:
    """``record`` with its personal columns masked and its quasi-identifiers coarsened when
    ``user`` may not see them (see the module docstring); unchanged for analysts and admins."""
    if shows_personal_data(user):
        return record
    masked = dict(record)
    for column, mask in _MASKS.items():
        if isinstance(masked.get(column), str):
            masked[column] = mask(masked[column])
    for column in FREE_TEXT_COLUMNS:
        if masked.get(column) is not None:
            masked[column] = HIDDEN
    if "birth_year" in masked:
        masked["age_band"] = age_band(masked["birth_year"])
        masked["birth_year"] = None
    if masked.get("gender") is not None:
        masked["gender"] = HIDDEN
    if "city" in masked:
        city = masked["city"]
        if city is not None and not masked.get("region"):
            masked["region"] = region_of(city)
        masked["city"] = None if city is None else HIDDEN
    return masked
