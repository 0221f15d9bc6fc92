"""Generated responses to a launched campaign, with a planted effect (the generator's truth).

Each member of the campaign buys once in the window with probability ``base_rate``, plus
``lift`` when treated (additive; a lift per stratum plants a heterogeneous effect for uplift
models): the planted effect on the purchase rate is the mean lift of the treated, and on
revenue that times ``mean_amount``. Orders are written to ``orders`` (status completed) at a
uniform time inside the window, with Gamma amounts of mean ``mean_amount`` (shape 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.store.campaigns import get_campaign, members, transaction

OWNER = "plant_campaign_responses"


def plant_campaign_responses(database: Any, campaign_id: str, *,
                             lift: float | Mapping[str, float],
                             base_rate: float = 0.1, mean_amount: float = 50.0,
                             seed: int = 0) -> dict[str, Any]:
    """Write the members' orders in the window of a launched campaign; return the truth
    (planted effects and the realised rates of both groups). ``lift``: one planted lift, or
    one per stratum of the assignment (``{"VIP": 0.3}``; strata not named get 0)."""
    lifts = dict(lift) if isinstance(lift, Mapping) else {None: float(lift)}
    for name, value in (*(("lift", v) for v in lifts.values()), ("base_rate", base_rate)):
        if not 0 <= value <= 1:
            raise ParameterError.of(name, OWNER, "a probability in [0, 1]", value)
    if base_rate + max(lifts.values(), default=0.0) > 1:
        raise ParameterError("base_rate + lift is more than 1.")
    campaign = get_campaign(database.raw, campaign_id)
    if campaign["started_at"] is None:
        raise ParameterError(f"Campaign {campaign_id} has not been launched: it has no window.",
                             hint="Launch it first.")
    start = pd.Timestamp(campaign["started_at"]).to_pydatetime()
    days = int(campaign["window_days"] or 30)
    frame = members(database.raw, campaign_id)
    rng = np.random.default_rng(seed)
    treated = (frame["group"] == "treatment").to_numpy()
    planted = np.array([lifts.get(None, lifts.get(s, 0.0)) for s in frame["stratum"]])
    bought = rng.random(len(frame)) < base_rate + planted * treated
    seconds = rng.uniform(0, days * 86400 - 1, len(frame))
    amount = np.round(rng.gamma(2.0, mean_amount / 2.0, len(frame)), 2)
    orders = pd.DataFrame({
        "order_id": [f"{campaign_id}-R{i:06d}" for i in range(len(frame))],
        "customer_id": frame["customer_id"].to_numpy(),
        "ordered_at": [start + dt.timedelta(seconds=float(s)) for s in seconds],
        "amount": amount, "status": "completed", "channel": str(campaign["channel"]),
    })[bought]
    with transaction(database.raw) as raw:
        raw.register("_valuecrm_planted_orders", orders)
        try:
            # orders has no key index (valuecrm.store.schema): planting again replaces.
            raw.execute("DELETE FROM orders WHERE order_id IN (SELECT order_id FROM "
                        "_valuecrm_planted_orders)")
            raw.execute("INSERT INTO orders (order_id, customer_id, ordered_at, amount, status, "
                        "channel) SELECT order_id, customer_id, ordered_at, amount, status, "
                        "channel FROM _valuecrm_planted_orders")
        finally:
            raw.unregister("_valuecrm_planted_orders")
    mean_lift = float(planted[treated].mean()) if treated.any() else 0.0
    return {"campaign_id": campaign_id, "planted_lift": mean_lift, "base_rate": base_rate,
            "planted_revenue_effect": mean_lift * mean_amount,
            "lift_by_stratum": {str(k): v for k, v in lifts.items()}, "orders": int(bought.sum()),
            "treatment_rate": float(bought[treated].mean()),
            "control_rate": float(bought[~treated].mean()),
            "model": "P(buy in window) = base_rate + lift x treated; amount ~ Gamma(2, "
                     "mean_amount / 2)"}
