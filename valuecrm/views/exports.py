"""What the exports write: the queries of the customers and customer value exports (the files
are written by :mod:`valuecrm.store.csv_export` and :mod:`valuecrm.store.parquet_export`)."""

from __future__ import annotations

__all__ = ["customer_value_sql", "customers_sql"]


def customers_sql() -> str:
    """Every customer with their profile (personal data included), ordered by id."""
    return "SELECT * FROM customers ORDER BY customer_id"


def customer_value_sql(snapshot_id: int, *, segment: str | None = None,
                       status: str | None = None, tier: str | None = None,
                       search: str | None = None,
                       attributes: tuple[tuple[str, str], ...] = ()) -> str:
    """The customer value table of one snapshot, its rows filtered as ``valuecrm customers
    export`` filters them (:class:`valuecrm.views.customers.ValueQuery`, which validates the
    names; ``attributes``: (attribute, value) pairs that must all hold, as
    :func:`valuecrm.views.customers.attribute_filters` reads ``--where``), in stored order: no
    sort, so DuckDB streams it however many rows there are, and the CLI and the API write the
    same file."""
    from valuecrm.views.customers import ValueQuery

    return ValueQuery(int(snapshot_id), segment, status, tier, search,
                      attributes=tuple(attributes)).export_sql()
