"""Do, part 1: assign the targeted customers to treatment or control at random, with a stated
control share and seed, within strata (segment, value tier or status of the latest analysis).

Within each stratum the customers (sorted by id) are shuffled with ``numpy``'s PCG64 seeded
by ``seed``, and the first ``round(n * control_share)`` go to the control group: the same seed
gives the same assignment, and every stratum keeps the control share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.actions.campaigns.plan import LIST_TARGET, TARGET_COLUMN
from valuecrm.errors import DataError, ParameterError
from valuecrm.store.campaigns import get_campaign, replace_members
from valuecrm.store.snapshots import get_snapshot, list_snapshots, read_snapshot

OWNER = "assign_campaign"
STRATA = {"none": None, "segment": "rfm_segment", "tier": "tier", "status": "status"}


def _latest(database: Any) -> Any:
    """The latest snapshot's value rows (an Ibis table: read in the engine, never whole)."""
    return read_snapshot(database, get_snapshot(database).snapshot_id)


def _targeted(database: Any, campaign: dict[str, Any], customers: Iterable[str] | None,
              stratum_column: str | None) -> pd.DataFrame:
    """customer_id and stratum of everyone the campaign targets. The engine picks them (a
    segment's customers, the list's with their stratum): only the targeted rows are read."""
    import ibis

    kind, _, value = str(campaign["target"]).partition(": ")
    extra = [stratum_column] if stratum_column else []
    if kind == LIST_TARGET:
        if customers is None:
            raise ParameterError(f"Campaign {campaign['campaign_id']} targets a customer list: "
                                 "give the customers to assign.",
                                 hint="Pass the list of customer ids (--customers FILE).")
        ids = pd.Series(list(dict.fromkeys(str(c).strip() for c in customers)), dtype=object)
        listed = ibis.memtable(pd.DataFrame({"customer_id": ids}))
        known = database.table("customers").select("customer_id")
        unknown = listed.anti_join(known, "customer_id")
        missing = int(unknown.count().to_pyarrow().as_py())
        if missing:
            shown = unknown.order_by("customer_id").limit(3).to_pandas()["customer_id"]
            raise ParameterError(f"{missing:,} customer ids of the list are not in the "
                                 f"customers table, e.g. {shown.tolist()}.",
                                 hint="Check the list, or load those customers first.")
        frame = pd.DataFrame({"customer_id": ids})
        if stratum_column:
            if not list_snapshots(database):
                raise DataError("Stratifying needs an analysis (segments, tiers).",
                                hint="Run 'valuecrm analyze' first, or assign with strata "
                                     "'none'.")
            rows = _latest(database).select("customer_id", *extra)
            found = rows.semi_join(listed, "customer_id").to_pandas()
            frame = frame.merge(found, on="customer_id", how="left")
    else:
        if customers is not None:
            raise ParameterError(f"Campaign {campaign['campaign_id']} targets "
                                 f"{campaign['target']}; a customer list is not used.",
                                 hint="Leave the list out, or plan the campaign with target "
                                      "'list'.")
        column = TARGET_COLUMN[kind]
        rows = _latest(database)
        frame = rows.filter(rows[column] == value).select(
            "customer_id", *dict.fromkeys([column, *extra])).to_pandas()
        if frame.empty:
            present = rows.select(column).distinct().to_pandas()[column]
            shown = sorted(present.dropna().unique().tolist())
            raise DataError(f"No customer is in {kind} {value!r} in the latest analysis.",
                            hint=f"The {kind}s there: {', '.join(map(str, shown))}.")
    stratum = frame[stratum_column].fillna("unknown").astype(str) if stratum_column else "all"
    return pd.DataFrame({"customer_id": frame["customer_id"].astype(str).to_numpy(),
                         "stratum": stratum if isinstance(stratum, str) else stratum.to_numpy()})


def random_assignment(frame: pd.DataFrame, control_share: float, seed: int) -> pd.Series:
    """``"treatment"``/``"control"`` for each row of ``frame`` (customer_id, stratum)."""
    rng = np.random.default_rng(seed)
    group = pd.Series("treatment", index=frame.index, dtype=object)
    for _, rows in frame.sort_values(["stratum", "customer_id"]).groupby("stratum", sort=True):
        order = rng.permutation(len(rows))
        n_control = round(len(rows) * control_share)
        group.loc[rows.index[order[:n_control]]] = "control"
    return group


def assign_campaign(database: Any, campaign_id: str, *, control_share: float, seed: int,
                    stratify_by: str = "segment",
                    customers: Iterable[str] | None = None) -> dict[str, Any]:
    """Assign the campaign's targeted customers to treatment and control and write them to
    ``campaign_members`` (replacing an earlier assignment that was not launched).

    Raises ParameterError for a control share outside (0, 1) and DataError when either group
    would have fewer than 2 customers; nothing is written then. Returns the counts by group.
    """
    if isinstance(control_share, bool) or not isinstance(control_share, int | float) or \
            not 0 < control_share < 1:
        raise ParameterError.of("control_share", OWNER, "a share strictly between 0 and 1 (a "
                                "control group and a treated group are both needed)",
                                control_share)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError.of("seed", OWNER, "a whole number >= 0", seed)
    if stratify_by not in STRATA:
        raise ParameterError.of("stratify_by", OWNER, "one of " + ", ".join(STRATA),
                                stratify_by)
    campaign = get_campaign(database.raw, campaign_id)
    if campaign["status"] not in (None, "planned", "assigned"):
        raise ParameterError(f"Campaign {campaign_id} is {campaign['status']}: its assignment "
                             "can no longer change.",
                             hint="Plan a new campaign to assign other customers.")
    frame = _targeted(database, campaign, customers, STRATA[stratify_by])
    frame["group"] = random_assignment(frame, float(control_share), int(seed))
    counts = frame["group"].value_counts()
    for group in ("treatment", "control"):
        if counts.get(group, 0) < 2:
            raise DataError(
                f"The {group} group of campaign {campaign_id} would have "
                f"{counts.get(group, 0)} customers ({len(frame):,} targeted, control share "
                f"{control_share:g}); each group needs at least 2. Nothing was written.",
                hint="Target more customers, or choose a control share nearer 0.5.")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    frame["assigned_at"] = now
    replace_members(database.raw, campaign_id, frame, control_share=float(control_share),
                    seed=int(seed), stratify_by=stratify_by, status="assigned")
    return {"campaign_id": campaign_id, "treatment": int(counts["treatment"]),
            "control": int(counts["control"]), "control_share": float(control_share),
            "seed": int(seed), "stratify_by": stratify_by,
            "strata": int(frame["stratum"].nunique())}
