"""The models fitted on all orders outside a snapshot (``GET /api/models``): the summary stays
in the engine, the fit reads its distinct rows, and the answer is that of the fit on the
whole summary in pandas, the same on every run."""

from __future__ import annotations

import numpy as np

from valuecrm import models as catalogue
from valuecrm.analysis.orders_fit import fit_on_all_orders
from valuecrm.features import rfm_summary
from valuecrm.store import connect
from valuecrm.synthetic import generate


def test_the_fit_on_all_orders_is_the_fit_on_the_whole_summary(tmp_path) -> None:
    path = tmp_path / "crm.duckdb"
    generate(400, db=path, seed=11)
    with connect(path, read_only=True) as database:
        runs = [fit_on_all_orders(database, "ParetoNBD", "W") for _ in range(3)]
        orders = database.table("orders")
        whole = rfm_summary(orders, observation_end=runs[0].observation_end,
                            freq="W").to_pandas()
    repeat = whole[(whole["frequency"] > 0) & (whole["monetary_value"] > 0)]
    purchase = catalogue.ParetoNBD().fit(whole)
    spend = catalogue.GammaGamma().fit(repeat)
    first = runs[0]
    assert (first.customers, first.repeat_buyers) == (len(whole), len(repeat))
    for fitted, expected in ((first.purchase, purchase), (first.spend, spend)):
        got, want = fitted.params_, expected.params_
        assert got.keys() == want.keys()
        np.testing.assert_allclose([got[k] for k in got], [want[k] for k in got], rtol=1e-4)
    # the same on every run, to the last digit
    assert len({(tuple(r.purchase.params_.values()), tuple(r.spend.params_.values()))
                for r in runs}) == 1
