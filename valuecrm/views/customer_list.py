"""One page of a snapshot's customers, filtered by status, RFM segment and pyramid tier.

Read by the dashboard's Customers page: the customers of highest CLV first (ties by id), with
their names, and how many match in all. Filters take the stored (English) label values of the
customer value table (:mod:`valuecrm.segments.rfm_names`,
:mod:`valuecrm.segments.value_table_names`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.segments.rfm_names import SEGMENTS
from valuecrm.segments.value_table_names import STATUSES, TIERS
from valuecrm.store.snapshots import VALUE_TABLE

# filter name -> (column of the value table, the values it may take, in display order)
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("status", tuple(x.name_en for x in STATUSES)),
    "segment": ("rfm_segment", tuple(x.name_en for x in SEGMENTS)),
    "tier": ("tier", tuple(x.name_en for x in TIERS)),
}
COLUMNS = ("customer_id", "rfm_segment", "status", "tier", "clv", "p_alive")
PAGE_SIZE = 50


@dataclass(frozen=True)
class CustomerPage:
    """Rows ``offset + 1`` to ``offset + len(rows)`` of the ``total`` customers that match."""

    rows: list[dict[str, Any]]
    total: int
    offset: int
    limit: int
    filters: dict[str, str] = field(default_factory=dict)


def customer_page(raw: Any, snapshot_id: int, *, filters: dict[str, str | None] | None = None,
                  limit: int = PAGE_SIZE, offset: int = 0,
                  attributes: tuple[tuple[str, str], ...] = ()) -> CustomerPage:
    """The customers of snapshot ``snapshot_id`` whose labels equal ``filters`` (``status``,
    ``segment``, ``tier``; empty values are ignored) and who have each (attribute, value) of
    ``attributes`` (checked by :func:`valuecrm.views.customers.attribute_filters`), highest
    CLV first, ``limit`` of them from ``offset``. ``raw`` is a DuckDB connection or cursor.

    Raises ParameterError for an unknown filter or value, naming the filter and its choices."""
    from valuecrm.views.customers import attribute_conditions

    chosen = {name: value for name, value in (filters or {}).items() if value}
    where, params = ["snapshot_id = ?"], [int(snapshot_id)]
    conditions, values = attribute_conditions(attributes, f"{VALUE_TABLE}.customer_id")
    where += conditions
    params += values
    for name, value in chosen.items():
        if name not in FILTERS:
            raise ParameterError(f"There is no filter {name!r}.",
                                 hint="Filter by " + ", ".join(FILTERS) + ".")
        column, choices = FILTERS[name]
        if value not in choices:
            raise ParameterError(f"The {name} {value!r} does not exist.",
                                 hint=f"Choose one of: {', '.join(choices)}.")
        where.append(f"{column} = ?")
        params.append(value)
    condition = " AND ".join(where)
    total = int(raw.execute(f"SELECT count(*) FROM {VALUE_TABLE} WHERE {condition}",
                            params).fetchone()[0])
    # the page's rows first, then their names: joining every customer first is slow
    found = raw.execute(
        f"SELECT v.*, c.name FROM (SELECT {', '.join(COLUMNS)} FROM {VALUE_TABLE} "
        f"WHERE {condition} ORDER BY clv DESC NULLS LAST, customer_id LIMIT ? OFFSET ?) v "
        "LEFT JOIN customers c USING (customer_id) "
        "ORDER BY v.clv DESC NULLS LAST, v.customer_id",
        [*params, int(limit), int(offset)])
    names = [d[0] for d in found.description]
    rows = [dict(zip(names, row, strict=True)) for row in found.fetchall()]
    return CustomerPage(rows, total, int(offset), int(limit), chosen)
