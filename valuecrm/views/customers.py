"""Customers and their value: one snapshot of the customer value table filtered, searched,
sorted and paged; the 360 view of one customer; the table written to a file.

Used by ``valuecrm customers list|show|export`` and by ``GET /api/customer-values`` and
``GET /api/customers/{id}``. Label filters accept the English name stored in the table or the
Chinese name (``--status 流失客户`` = ``--status lost``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.views._plain import plain

VALUE_TABLE = "customer_value"  # valuecrm.store.snapshots.VALUE_TABLE (imported late: slow)

# --sort name -> (column, largest first by default)
SORTS: dict[str, tuple[str, bool]] = {
    "clv": ("clv", True), "p_alive": ("p_alive", True), "revenue": ("revenue", True),
    "margin": ("margin", True), "current_value": ("current_value", True),
    "net_value": ("net_value", True), "expected_purchases": ("expected_purchases", True),
    "expected_spend": ("expected_spend", True), "rfm_total": ("rfm_total", True),
    "orders": ("n_orders", True), "purchases": ("n_purchases", True),
    "days_since_last": ("days_since_last", False), "tenure_days": ("tenure_days", True),
    "customer_id": ("customer_id", False),
}


def _label_map(*pairs: tuple[str, str]) -> dict[str, str]:
    """lower-cased English or Chinese name -> stored value."""
    found: dict[str, str] = {}
    for stored, other in pairs:
        found[stored.lower()] = stored
        found[other.lower()] = stored
    return found


@cache
def _names(option: str) -> tuple[dict[str, str], list[str]]:
    """Accepted names -> stored value, and the choices to list, of a label option."""
    from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
    from valuecrm.segments.value_table_names import STATUSES, TIERS

    if option == "segment":
        return (_label_map(*((s.name_en, s.name_zh) for s in SEGMENTS)),
                [s.name_en for s in SEGMENTS] + [c.name_zh for c in RFM_CLASSES])
    if option == "class":
        return ({**_label_map(*((c.name_zh, c.name_en) for c in RFM_CLASSES)),
                 **{c.code.lower(): c.name_zh for c in RFM_CLASSES}}, [])
    labels = STATUSES if option == "status" else TIERS
    return _label_map(*((x.name_en, x.name_zh) for x in labels)), [x.name_en for x in labels]


def label_names(option: str) -> list[str]:
    """Every name a label option accepts as written (English and Chinese; for ``segment`` the
    RFM segments and the RFM classes with their codes): for a strict API contract."""
    if option == "segment":
        from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS

        names = [n for s in SEGMENTS for n in (s.name_en, s.name_zh)]
        return names + [n for c in RFM_CLASSES for n in (c.name_zh, c.name_en, c.code)]
    from valuecrm.segments.value_table_names import STATUSES, TIERS

    return [n for x in (STATUSES if option == "status" else TIERS) for n in (x.name_en, x.name_zh)]


def _resolve(value: str, option: str, names: dict[str, str] | None = None,
             choices: list[str] | None = None) -> str:
    known, listed = _names(option)
    found = (names or known).get(value.strip().lower())
    if found is None:
        raise ParameterError.of(option, "valuecrm customers",
                                "one of " + ", ".join(choices or listed), value)
    return found


@dataclass
class ValueQuery:
    """Which rows of snapshot ``snapshot_id`` to read, and in which order."""

    snapshot_id: int
    segment: str | None = None
    status: str | None = None
    tier: str | None = None
    search: str | None = None
    sort: str = "clv"
    ascending: bool = False
    search_fields: tuple[str, ...] = ("v.customer_id", "c.name", "c.email")
    # (attribute, value): a fixed customers column or an extra attribute equal to the value
    attributes: tuple[tuple[str, str], ...] = ()
    where: list[str] = field(default_factory=list, init=False)
    params: list[Any] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.where.append("v.snapshot_id = ?")
        self.params.append(self.snapshot_id)
        if self.segment:
            segments, choices = _names("segment")
            key = self.segment.strip().lower()
            if key in segments:
                self._equal("v.rfm_segment", segments[key])
            else:
                self._equal("v.rfm_class", _resolve(self.segment, "segment",
                                                    _names("class")[0], choices))
        if self.status:
            self._equal("v.status", _resolve(self.status, "status"))
        if self.tier:
            self._equal("v.tier", _resolve(self.tier, "tier"))
        if self.search:
            escaped = (self.search.lower().replace("\\", "\\\\").replace("%", "\\%")
                       .replace("_", "\\_"))
            fields = self.search_fields
            self.where.append("(" + " OR ".join(f"lower({f}) LIKE ? ESCAPE '\\'"
                                                for f in fields) + ")")
            self.params += [f"%{escaped}%"] * len(fields)
        conditions, params = attribute_conditions(self.attributes)
        self.where += conditions
        self.params += params
        if self.sort not in SORTS:
            raise ParameterError.of("sort", "valuecrm customers", "one of " + ", ".join(SORTS),
                                    self.sort)

    def _equal(self, column: str, value: str) -> None:
        self.where.append(f"{column} = ?")
        self.params.append(value)

    @property
    def source(self) -> str:
        return (f"{VALUE_TABLE} AS v LEFT JOIN customers AS c ON c.customer_id = v.customer_id "
                f"WHERE {' AND '.join(self.where)}")

    @property
    def order_by(self) -> str:
        column, descending = SORTS[self.sort]
        direction = "ASC" if descending == self.ascending else "DESC"
        return f'v."{column}" {direction} NULLS LAST, v.customer_id'

    def count(self, raw: Any) -> int:
        return int(raw.execute(f"SELECT count(*) FROM {self.source}", self.params).fetchone()[0])

    def page(self, limit: int, offset: int) -> tuple[str, list[Any]]:
        """SQL and parameters of one page: every value column and the customer's name."""
        return (f"SELECT v.*, c.name FROM {self.source} ORDER BY {self.order_by} "
                "LIMIT ? OFFSET ?", [*self.params, limit, offset])

    def export_sql(self) -> str:
        """Every column of the value table (as this database has it) of every matching row, in
        stored order, parameters inlined (COPY takes none)."""
        sql = self.source
        parts = sql.split("?")
        inlined = parts[0]
        for value, rest in zip(self.params, parts[1:], strict=True):
            inlined += _literal(value) + rest
        return f"SELECT v.* FROM {inlined}"  # no ORDER BY: a sort would hold every row


def attribute_conditions(pairs: Sequence[tuple[str, str]], customer_id: str = "v.customer_id",
                         ) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) keeping the rows whose customer (the column
    ``customer_id``) has each (attribute, value) of ``pairs``: a fixed customers column equal
    to the value (compared as text) or an extra attribute of that name and value."""
    from valuecrm.reports.profiles import FIXED

    where: list[str] = []
    params: list[Any] = []
    for name, value in pairs:
        if name in FIXED:
            where.append(f"EXISTS (SELECT 1 FROM customers f WHERE f.customer_id = "
                         f'{customer_id} AND CAST(f."{name}" AS VARCHAR) = ?)')
            params.append(value)
        else:
            where.append("EXISTS (SELECT 1 FROM customer_attributes a WHERE a.customer_id = "
                         f"{customer_id} AND a.name = ? AND a.value = ?)")
            params += [name, value]
    return where, params


def customers_with(database: Any, pairs: Sequence[tuple[str, str]],
                   among: Sequence[str]) -> set[str]:
    """The ids among ``among`` (a list's customers) of the customers that have every
    (attribute, value) of ``pairs``: only the list's ids travel, never the whole base."""
    where, params = attribute_conditions(pairs, "c.customer_id")
    found = database.raw.execute(
        "SELECT c.customer_id FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS customer_id) c "
        "WHERE " + " AND ".join(where or ["true"]), [list(among), *params]).fetchall()
    return {row[0] for row in found}


def _literal(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def attribute_filters(database: Any, where: Sequence[str] | None) -> tuple[tuple[str, str], ...]:
    """``["age=45-54", ...]`` as (attribute, value) pairs, each attribute known to the
    database (a fixed customers column or an extra attribute); ParameterError otherwise."""
    from valuecrm.reports.profiles import attributes

    pairs = []
    known: list[str] | None = None
    for text in where or ():
        name, sep, value = str(text).partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ParameterError.of("where", "valuecrm customers",
                                    "ATTRIBUTE=VALUE (e.g. age=45-54)", text)
        known = attributes(database) if known is None else known
        if name not in known:
            raise ParameterError(f"There is no customer attribute {name!r} to filter by.",
                                 hint=("Filter by one of: " + ", ".join(known) + ".") if known
                                 else "Load customers with more columns first.")
        pairs.append((name, value))
    return tuple(pairs)


def customer_page(database: Any, snapshot: int | str | None = None, *, segment: str | None = None,
                  status: str | None = None, tier: str | None = None, search: str | None = None,
                  sort: str = "clv", ascending: bool = False, limit: int = 20, offset: int = 0,
                  personal_search: bool = True,
                  where: Sequence[str] | None = None) -> dict[str, Any]:
    """One page of a snapshot's value rows (every column, and the customer's name), filtered
    and sorted: ``snapshot_id``, ``as_of``, ``total`` (rows matching), ``offset``, ``limit``,
    ``items``. Without ``personal_search`` the search matches customer ids only. ``where``
    keeps the customers whose attributes have these values (``["age=45-54"]``: fixed
    customers columns or extra attributes, all must hold)."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.views.customer360 import rows

    found = get_snapshot(database, snapshot)
    fields = {} if personal_search else {"search_fields": ("v.customer_id",)}
    query = ValueQuery(found.snapshot_id, segment, status, tier, search, sort, ascending,
                       **fields, attributes=attribute_filters(database, where))
    total = query.count(database.raw)
    items = rows(database.raw, *query.page(limit, offset))
    return plain({"snapshot_id": found.snapshot_id, "as_of": found.as_of, "total": total,
                  "offset": offset, "limit": limit, "items": items})


def customer_view(database: Any, customer_id: str, *, limit: int = 100,
                  hint: str | None = None) -> dict[str, Any]:
    """The 360 view of one customer (:func:`valuecrm.views.customer360.customer_360`,
    unmasked), under ``settings`` the horizon, discount rate and interval level of the
    snapshot its value comes from and ``interval_method``, how its intervals of CLV, P(alive)
    and expected purchases were computed (empty when it was never analysed),
    ``margin_known`` (False when that snapshot saw no cost: its margin is revenue) and
    ``referral``: the customer's referral value in that snapshot (referrals, converted,
    referred_clv, rewards, crv, clv, clv_plus_crv, method;
    :func:`valuecrm.views.acquisition.customer_referral`), None when never analysed."""
    from valuecrm.views.acquisition import customer_referral
    from valuecrm.views.customer360 import customer_360
    from valuecrm.views.lookup_copy import snapshot_of

    view = customer_360(database.raw, customer_id, limit=limit, hint=hint)
    value = view["value"]
    found = None
    if value and value.get("snapshot_id") is not None:  # its snapshot, read once
        found = snapshot_of(database, value["snapshot_id"])
    config = found.config if found is not None else {}
    view["settings"] = {k: config[k] for k in SETTINGS if k in config}
    method = found.metadata.get("interval_method") if found is not None else None
    if method:
        view["settings"]["interval_method"] = method
    view["margin_known"] = found.margin_known if found is not None else True
    view["referral"] = (customer_referral(database, customer_id, found, own=value)
                        if found is not None else None)
    return plain(view)


SETTINGS = ("horizon_months", "discount_rate", "interval_level")


def value_page(database: Any, snapshot: int | str | None = None, *, page: int = 1,
               page_size: int = 50, sort_by: str = "clv", descending: bool = True,
               by: str | None = None, group: str | None = None) -> dict[str, Any]:
    """One page of a snapshot's value rows (``GET /api/snapshots/{snapshot}/customers``),
    optionally those of one group of ``by``: ``snapshot_id``, ``as_of``, ``items``, ``total``,
    ``page``, ``page_size``, ``pages``.

    Plain SQL rather than Ibis: a page is answered several times faster. ``sort_by`` must be a
    value column and ``by`` a grouping (the callers check both).
    """
    from valuecrm.analysis import get_snapshot
    from valuecrm.reports.group_figures import GROUPINGS
    from valuecrm.views.customer360 import rows

    found = get_snapshot(database, snapshot)
    where, params = "WHERE snapshot_id = ?", [found.snapshot_id]
    if by is not None:
        where += f' AND "{GROUPINGS[by]}" = ?'
        params.append(group)
    order = f'"{sort_by}" {"DESC NULLS LAST" if descending else "ASC NULLS LAST"}'
    if sort_by != "customer_id":
        order += ", customer_id"
    cur = database.raw
    total = int(cur.execute(f"SELECT count(*) FROM {VALUE_TABLE} {where}", params).fetchone()[0])
    items = rows(cur, f"SELECT * FROM {VALUE_TABLE} {where} ORDER BY {order} LIMIT ? OFFSET ?",
                 [*params, page_size, (page - 1) * page_size])
    return plain({"snapshot_id": found.snapshot_id, "as_of": found.as_of, "items": items,
                  "total": total, "page": page, "page_size": page_size,
                  "pages": -(-total // page_size)})


def search_customers(cursor: Any, q: str | None, fields: tuple[str, ...], *, page: int = 1,
                     page_size: int = 50) -> dict[str, Any]:
    """Customers (profile columns) whose ``fields`` contain ``q`` (case-insensitive; all
    customers without ``q``), ordered by id, one page: ``items``, ``total``, ``page``,
    ``page_size``, ``pages``. Unmasked: the API masks them for viewers."""
    from valuecrm.views.answer_cache import slow_work
    from valuecrm.views.customer360 import PROFILE_COLUMNS, clean, rows
    from valuecrm.views.lookup_copy import search_index

    offset = (page - 1) * page_size
    if not q:
        total = int(cursor.execute("SELECT count(*) FROM customers").fetchone()[0])
        items = rows(cursor, f"SELECT {', '.join(PROFILE_COLUMNS)} FROM customers "
                             "ORDER BY customer_id LIMIT ? OFFSET ?", [page_size, offset])
    elif ((copy := search_index(cursor)) is not None and copy.index is not None
          and set(fields) <= set(copy.index.texts)):
        # the server's index: the matching positions in id order, their profiles read from
        # its copy of the customers
        matched = copy.index.matches(q.lower(), fields)
        total = len(matched)
        chosen = matched[offset:offset + page_size].tolist()
        items = [{k: clean(v) for k, v in r.items()}
                 for r in copy.profiles(chosen, PROFILE_COLUMNS)] if chosen else []
    else:  # the matches found once, then counted and paged (one row with n if none);
        # contains(lower(...)) is several times faster than LIKE on a million customers
        slow_work("a search without the lookup copy's index")
        where = "WHERE " + " OR ".join(f"contains(lower({f}), ?)" for f in fields)
        columns = ", ".join(f"c.{c}" for c in PROFILE_COLUMNS)
        found = rows(cursor, f"WITH m AS MATERIALIZED (SELECT customer_id FROM customers "
                             f"{where}), p AS (SELECT customer_id FROM m ORDER BY customer_id "
                             f"LIMIT ? OFFSET ?) SELECT {columns}, t.n AS _total FROM (SELECT "
                             "count(*) AS n FROM m) t LEFT JOIN (customers c SEMI JOIN p USING "
                             "(customer_id)) ON true ORDER BY c.customer_id",
                     [*([q.lower()] * len(fields)), page_size, offset])
        total = int(found[0]["_total"])
        items = [{k: v for k, v in row.items() if k != "_total"} for row in found
                 if row["customer_id"] is not None]
    return plain({"items": items, "total": total, "page": page, "page_size": page_size,
                  "pages": -(-total // page_size)})


def warm_lookups(cursor: Any) -> None:
    """Compute once what every search and 360 view of the latest snapshot reads from the kept
    answers (:func:`~valuecrm.views.answer_cache.kept`): the snapshots, the latest one's
    referrers' table (about a second on a million customers; kept in a memory-mapped file,
    :mod:`valuecrm.views.keyed_rows`) and its fitted purchase model. The server
    calls it once its lookup copy is ready; its lookups then read only the copy."""
    from valuecrm.store import Database
    from valuecrm.views.acquisition import customer_referral
    from valuecrm.views.dashboard import snapshots
    from valuecrm.views.palive import fitted_model

    found = snapshots(cursor)
    if found:
        fitted_model(found[-1])
        customer_referral(Database.over_cursor(cursor), "", found[-1])
