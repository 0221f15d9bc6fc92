"""Who they are (客户画像): the customers profiled by an attribute, and what sets a segment
apart; the same answers as ``valuecrm profile`` (:mod:`valuecrm.views.profiles`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.params import SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.views.privacy import QUASI_IDENTIFIERS, shows_personal_data
from valuecrm.views.profiles import customer_profile, segment_profile

router = APIRouter(tags=["actions and reports"])
Measure = Literal["orders", "spend", "clv", "p_alive"]
Grouping = Literal[tuple(GROUPINGS)]  # type: ignore[valid-type]
PROFILE_EXAMPLE = {
    "by": "age", "attributes": ["income_band", "age", "household_size"],
    "groups": [{"age": "19-24", "customers": 46, "share": 0.0574, "mean_orders": 104.98,
                "median_orders": 82.5, "mean_spend": 2732.02, "median_spend": 2395.57}],
    "mix": [{"age": "19-24", "rfm_class_code": "HHH", "rfm_class_en": "Important value",
             "rfm_class": "重要价值", "customers": 27, "share": 0.587}],
    "tests": [{"measure": "spend", "method": "Kruskal-Wallis H test (mid-ranks, tie-corrected)",
               "statistic": 20.33, "df": 5, "p_value": 0.0011, "effect_size": 0.0254,
               "effect_size_name": "epsilon squared", "n": 801}],
    "customers": 801, "left_out": 1668, "measures": ["orders", "spend", "clv", "p_alive"],
    "snapshot_id": 1, "as_of": "2018-01-01", "method": "Customers grouped by age ...",
}


@router.get("/profile", responses={200: {"content": {"application/json": {
    "example": PROFILE_EXAMPLE}}}})
def profile(
    user: Viewer,
    request: Request,
    by: Annotated[str | None, Query(max_length=100, description=(
        "The customer attribute to group by: a fixed column (gender, region, city, "
        "signup_channel, income_band, birth_year) or an extra attribute (e.g. age); default: "
        "age if known."))] = None,
    measures: Annotated[list[Measure] | None, Query(description=(
        "Measures to compare (repeat the parameter); default all: orders, spend, clv, "
        "p_alive."))] = None,
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """Customers, mean and median orders, spend, CLV and P(alive), and the RFM class mix per
    group of an attribute, with a test of difference per measure (Kruskal-Wallis, epsilon
    squared; chi-square and Cramér's V for the mix): what `valuecrm profile --json` prints.
    Viewers may not group by birth year, gender or city (403)."""
    hidden = () if shows_personal_data(user) else QUASI_IDENTIFIERS
    with server_state(request).session() as database:
        return customer_profile(database, by, measures=measures, snapshot=snapshot_key(snapshot),
                                hidden=hidden)


@router.get("/profile/segment/{segment}")
def profile_of_segment(
    user: Viewer,
    request: Request,
    segment: Annotated[str, Path(max_length=100, description=(
        "A label of the customer value table: an RFM segment (Champions), RFM class, status, "
        "stage, quadrant or tier, in English or Chinese."))],
    column: Annotated[Grouping | None, Query(description=(
        "Which grouping the label belongs to, when it is ambiguous."))] = None,
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """Which attribute values are over- or under-represented in a segment: lift and Fisher's
    exact test with Benjamini-Hochberg adjusted p-values: what `valuecrm profile --segment
    NAME --json` prints. Birth year, gender and city are left out for viewers."""
    hidden = () if shows_personal_data(user) else QUASI_IDENTIFIERS
    with server_state(request).session() as database:
        return segment_profile(database, segment, column=column,
                               snapshot=snapshot_key(snapshot), hidden=hidden)
