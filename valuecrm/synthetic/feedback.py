"""Survey responses: NPS (0-10), the ACSI/ECSI items (1-10) and customer perceived value items
(1-7), all driven by one latent satisfaction per customer (which is correlated with the BG/NBD
dropout probability, lowered for costly customers and by a poor complaint recovery), plus item
noise; the overall perceived value and the satisfaction items have planted weights (``TRUTH``).

ACSI structure: Fornell et al. (1996), "The American Customer Satisfaction Index", Journal of
Marketing 60(4). NPS: Reichheld (2003), "The one number you need to grow", HBR.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.customers import Traits
from valuecrm.synthetic.writer import TimeAxis, format_ids, to_arrow

# question -> (mean, loading on the latent satisfaction); 1-10 scale
ACSI_ITEMS = {
    "satisfaction": (7.0, 1.5),
    "expectations": (7.2, 0.6),
    "perceived_quality": (7.3, 1.2),
    "perceived_value": (6.8, 1.2),
    "image": (7.4, 0.9),
    "loyalty": (6.9, 1.4),
}
NPS_MEAN, NPS_LOADING = 7.4, 1.8
# Customer perceived value (Zeithaml 1988; Sheth, Newman & Gross 1991; Sweeney & Soutar 2001):
# one 1-7 item per benefit and sacrifice dimension, each loading on the latent satisfaction
# (sacrifices negatively); the overall ``perceived_value`` item (1-10) is planted as
# 6.8 + sum(weight x (item - 4)) + N(0, CPV_NOISE), rounded and clipped to 1-10.
CPV_BENEFITS = {"cpv_functional": 0.35, "cpv_emotional": 0.25, "cpv_social": 0.10,
                "cpv_service": 0.20}
CPV_SACRIFICES = {"cpv_money": -0.30, "cpv_time": -0.15, "cpv_energy": -0.10,
                  "cpv_psychic": -0.05}
CPV_LOADING, CPV_NOISE = 0.8, 0.7
# Planted drivers of satisfaction: the ``satisfaction`` item is 7.0 + sum(weight x (item -
# item mean)) + N(0, DRIVER_NOISE), rounded and clipped to 1-10 (expectations: no effect).
SATISFACTION_DRIVERS = {"perceived_quality": 0.45, "perceived_value": 0.30, "image": 0.15,
                        "expectations": 0.0}
DRIVER_NOISE = 0.8
TRUTH = {
    "perceived_value": {
        "model": f"perceived_value = 6.8 + sum(weight x (item - 4)) + N(0, {CPV_NOISE}), "
                 "rounded, clipped to 1-10; items 1-7, one per dimension",
        "benefit_weights": CPV_BENEFITS, "sacrifice_weights": CPV_SACRIFICES},
    "satisfaction_drivers": {
        "model": "satisfaction = 7.0 + sum(weight x (item - item mean)) + "
                 f"N(0, {DRIVER_NOISE}), rounded, clipped to 1-10",
        "weights": SATISFACTION_DRIVERS},
}
# canned comments of detractors (0-6), passives (7-8) and promoters (9-10)
COMMENTS = np.array([
    ("Delivery was late.", "Support did not solve my problem."),
    ("Fine overall.", "Prices could be better."),
    ("Great service, will buy again.", "Fast delivery and friendly staff."),
], dtype=object)


def survey_rows(rng: np.random.Generator, traits: Traits, share: float, satisfaction: np.ndarray,
                active_until: np.ndarray, first_response: int, axis: TimeAxis
                ) -> tuple[pa.Table, int]:
    """Survey answers of a chunk (long form) and the number of questionnaires used."""
    who = np.flatnonzero(rng.random(traits.n) < share)
    lo = traits.first_purchase[who] + 1.0
    hi = np.maximum(active_until[who], lo)
    ok = lo < hi
    who, lo, hi = who[ok], lo[ok], hi[ok]
    day = lo + rng.random(len(who)) * (hi - lo)
    latent = satisfaction[who]
    cpv = {**CPV_BENEFITS, **CPV_SACRIFICES}
    questions = ["nps", *ACSI_ITEMS, *cpv]
    q = len(questions)
    n = len(who)
    scores = np.empty((n, q))
    scores[:, 0] = np.clip(np.round(NPS_MEAN + NPS_LOADING * latent + rng.normal(0, 1.2, n)),
                           0, 10)
    for j, (mean, loading) in enumerate(ACSI_ITEMS.values(), start=1):
        scores[:, j] = np.clip(np.round(mean + loading * latent + rng.normal(0, 1.0, n)), 1, 10)
    column = {question: j for j, question in enumerate(questions)}
    value = np.full(n, ACSI_ITEMS["perceived_value"][0])
    for item, weight in cpv.items():
        sign = 1.0 if item in CPV_BENEFITS else -1.0
        answers = np.clip(np.round(4 + sign * CPV_LOADING * latent + rng.normal(0, 1.1, n)), 1, 7)
        scores[:, column[item]] = answers
        value += weight * (answers - 4)
    scores[:, column["perceived_value"]] = np.clip(
        np.round(value + rng.normal(0, CPV_NOISE, n)), 1, 10)
    satisfaction_item = np.full(n, ACSI_ITEMS["satisfaction"][0])
    for item, weight in SATISFACTION_DRIVERS.items():
        satisfaction_item += weight * (scores[:, column[item]] - ACSI_ITEMS[item][0])
    scores[:, column["satisfaction"]] = np.clip(
        np.round(satisfaction_item + rng.normal(0, DRIVER_NOISE, n)), 1, 10)
    nps = scores[:, 0]
    band = (nps >= 7).astype(np.int64) + (nps >= 9)
    comment = COMMENTS[band, rng.integers(0, 2, len(who))]
    comment[rng.random(len(who)) < 0.7] = None

    stamps = np.asarray(axis(day).cast(pa.int64()))  # microseconds, for the survey label
    when = stamps.astype("datetime64[us]")
    year = when.astype("datetime64[Y]").astype(np.int64) + 1970
    quarter = (when.astype("datetime64[M]").astype(np.int64) % 12) // 3 + 1
    label = np.char.add(np.char.add("nps-", year.astype(str)),
                        np.char.add("q", quarter.astype(str))).astype(object)

    response_no = first_response + np.arange(len(who))
    rows = np.repeat(np.arange(len(who)), q)
    question = np.tile(np.array(questions, dtype=object), len(who))
    text = np.full(len(rows), None, dtype=object)
    text[::q] = comment
    table = to_arrow("survey_responses", {
        "response_id": format_ids("S", response_no[rows], 9),
        "question": question,
        "customer_id": format_ids("C", traits.index[who][rows], 8),
        "responded_at": axis(day[rows]),
        "survey": label[rows],
        "score": scores.reshape(-1),
        "answer_text": text,
    })
    return table, len(who)
