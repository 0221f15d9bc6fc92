"""Who they are (客户画像): the profile of the customers by one attribute, for every interface.

``valuecrm profile``, ``GET /api/v1/profile``, the dashboard's "Who they are" page and the
report's section all show what :func:`customer_profile` returns
(:func:`valuecrm.reports.profiles.profile` underneath).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from valuecrm.errors import PermissionDeniedError
from valuecrm.reports.profiles import attribute_values, profile
from valuecrm.store.snapshots import list_snapshots
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept

SnapshotKey = int | str | None
PREFERRED = ("age", "income_band", "gender", "region", "signup_channel")


def default_attribute(values: dict[str, int]) -> str | None:
    """The attribute a profile shows when none is asked for, among those with two values or
    more (``values``: attribute -> distinct values): age if there, else the first of income
    band, gender, region, signup channel, else the first; None when none has two values."""
    varied = [name for name, n in values.items() if n >= 2]
    for name in PREFERRED:
        if name in varied:
            return name
    return varied[0] if varied else None


def _check_hidden(by: str | None, hidden: Sequence[str]) -> None:
    if by in hidden:
        raise PermissionDeniedError(
            f"Your role may not group customers by {by}: it is a personal detail "
            "(birth year, gender and city are hidden from viewers).",
            hint="Ask an analyst or an admin, or profile by another attribute.")


def customer_profile(database: Any, by: str | None = None, *,
                     measures: Sequence[str] | None = None, snapshot: SnapshotKey = None,
                     hidden: Sequence[str] = ()) -> dict[str, Any]:
    """The profile of the customers by attribute ``by`` (:func:`default_attribute` when None).

    Keys: ``by``, ``attributes`` (what a profile can be made by), ``groups`` (one record per
    group: the attribute's value, customers, share, mean and median per measure), ``mix`` (RFM
    class mix: group, class code, English and Chinese names, customers, share of the group),
    ``tests`` (measure, method, statistic, df, p_value, effect_size, effect_size_name, n),
    ``customers``, ``left_out``, ``measures``, ``method``, ``snapshot_id``, ``as_of``. With
    no ``by`` and no attribute of two values or more, ``by`` is None and ``groups`` empty.
    ``hidden`` attributes (a viewer's quasi-identifiers) are neither listed nor profiled by:
    asking for one is a PermissionDeniedError. Kept per snapshot (:mod:`.answer_cache`): the
    attributes known are part of the key, so a new attribute shows at once; new values of known
    ones after the next analysis.
    """
    _check_hidden(by, hidden)
    values = {k: n for k, n in attribute_values(database).items() if k not in hidden}
    known = list(values)
    chosen = by or default_attribute(values)
    if chosen is None:
        return {"by": None, "attributes": known, "groups": [], "mix": [], "tests": [],
                "customers": 0, "left_out": 0, "measures": [], "snapshot_id": None,
                "as_of": None, "method": "No customer attribute with two values or more is "
                "stored: load customers with demographic columns (age band, income ...) to "
                "profile them."}

    def compute() -> dict[str, Any]:
        found = profile(database, chosen, measures, snapshot=snapshot)
        return plain({"by": chosen, "attributes": known, "groups": records(found.table),
                      "mix": records(found.mix) if not found.mix.empty else [],
                      "tests": [t.to_dict() for t in found.tests],
                      "customers": found.customers, "left_out": found.left_out,
                      "measures": found.measures, "snapshot_id": found.snapshot_id,
                      "as_of": found.as_of, "method": found.method})

    if not list_snapshots(database):  # nothing to keep the answer by: a load changes it
        return compute()
    return kept(database, "customer_profile", compute, chosen,
                None if measures is None else tuple(measures), str(snapshot), tuple(known))


def segment_profile(database: Any, segment: str, *, column: str | None = None,
                    snapshot: SnapshotKey = None, hidden: Sequence[str] = ()) -> dict[str, Any]:
    """Which attribute values are over- or under-represented in ``segment``
    (:func:`valuecrm.reports.segment_profile.profile_segment`): ``segment``, ``column``,
    ``segment_size``, ``snapshot_id``, ``method`` and ``items`` (attribute, value,
    segment_customers, segment_share, base_customers, base_share, lift, p_value, p_adjusted,
    significant, direction), most significant first; ``hidden`` attributes are left out."""
    from valuecrm.reports.segment_profile import profile_segment

    shown = [a for a in attribute_values(database) if a not in hidden]
    table = profile_segment(database, segment, column=column, snapshot=snapshot,
                            attributes=shown)
    return plain({**table.attrs, "items": records(table)})
