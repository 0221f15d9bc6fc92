"""Cross-sell and up-sell (:mod:`valuecrm.views.cross_sell`): viewers read the association
rules and the cross-buying figures (no personal data); analysts and admins also get the
per-customer lists (customer ids with what to offer them), the documents that `valuecrm
cross-sell --json` and `valuecrm up-sell --json` print."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.params import (
    PAGE_LIMIT,
    LimitQuery,
    OffsetQuery,
    SnapshotQuery,
    snapshot_key,
)
from valuecrm.interfaces.api.state import server_state
from valuecrm.views import cross_sell

router = APIRouter(prefix="/cross-sell", tags=["cross-sell"])

Level = Literal["product", "type", "subcategory", "category", "brand", "department"]
LevelQuery = Annotated[Level, Query(description="The level of the catalogue: product, type "
                                    "(the sub-category), category, brand or department.")]
Support = Annotated[float, Query(gt=0, le=1, description="Least share of baskets holding a "
                                 "rule's items, in (0, 1], inclusive.")]
Confidence = Annotated[float, Query(ge=0, le=1, description="Least confidence, in [0, 1], "
                                    "inclusive.")]
MaxLen = Annotated[int | None, Query(ge=2, le=10, description="Most items in a rule (2: "
                                     "one-to-one rules); none: no bound.")]
Grouping = Literal["rfm_segment", "rfm_class", "status", "stage", "quadrant", "tier",
                   "value_class"]


@router.get("/rules")
def rules(user: Viewer, request: Request, level: LevelQuery = "category",
          min_support: Support = 0.01, min_confidence: Confidence = 0.0,
          max_len: MaxLen = 2,
          top: Annotated[int, Query(ge=1, le=100_000, description="Rules returned (the "
                                    "first by lift).")] = 50) -> dict[str, Any]:
    """Association rules of the baskets (every purchase order, guests included) at a level
    of the catalogue: the first `top` by lift, the number of rules and baskets, the method
    (`valuecrm rules --json`). No personal data."""
    with server_state(request).session() as database:
        return cross_sell.rules(database, level=level, min_support=min_support,
                                min_confidence=min_confidence, max_len=max_len, top=top)


@router.get("/cross-buying")
def cross_buying(user: Viewer, request: Request, snapshot: SnapshotQuery = "latest",
                 by: Grouping = "rfm_segment") -> dict[str, Any]:
    """Cross-buying and category share (more, deeper: 多、深) of a snapshot: categories bought
    per customer, the share buying two or more, the share of spend in the main category,
    overall and by group (`valuecrm cross-buying --json`). No personal data."""
    with server_state(request).session() as database:
        return cross_sell.cross_buying(database, snapshot_key(snapshot), by=by)


@router.get("/next-best")
def next_best(user: Analyst, request: Request, level: LevelQuery = "product",
              min_support: Support = 0.001, min_confidence: Confidence = 0.1,
              max_len: MaxLen = 3,
              top: Annotated[int, Query(ge=1, le=100, description="Offers per customer.")]
              = 3, offset: OffsetQuery = 0, limit: LimitQuery = PAGE_LIMIT,
              ) -> dict[str, Any]:
    """The next best products of every customer (analysts and admins): rules whose items
    they bought and whose consequent they did not, scored by confidence x margin
    (`valuecrm cross-sell --json`). `customers` holds one page (`offset`, `limit`); `rows`
    counts them all."""
    with server_state(request).session() as database:
        return cross_sell.next_best(database, level=level, min_support=min_support,
                                    min_confidence=min_confidence, max_len=max_len, top=top,
                                    offset=offset, limit=limit)


@router.get("/up-sell")
def up_sell(user: Analyst, request: Request,
            top: Annotated[int, Query(ge=1, le=100, description="Offers per customer.")] = 3,
            max_step: Annotated[float, Query(gt=1, le=100, description="Most an offer may "
                                             "cost, as a multiple of the dearest product "
                                             "bought in its category.")] = 2.0,
            offset: OffsetQuery = 0, limit: LimitQuery = PAGE_LIMIT,
            ) -> dict[str, Any]:
    """Up-sell offers per customer (analysts and admins), with the rule that made them
    (`valuecrm up-sell --json`). `customers` holds one page (`offset`, `limit`); `rows`
    counts them all."""
    with server_state(request).session() as database:
        return cross_sell.up_sell(database, top=top, max_step=max_step, offset=offset,
                                  limit=limit)
