"""The generator's planted campaign effects are recovered by ``measure_campaign``: on a
generated base (3,000 customers, half of them targeted by each of the six campaigns, seed 1),
each 95% interval of the purchase-rate difference covers truth.json's expected lift, and the
measured difference is the realised one (truth's treatment - control buyer rates, counted from
each member's contact day, so it differs by the few days the windows are shifted)."""

from __future__ import annotations

import json

import pytest

from valuecrm import generate
from valuecrm.actions.campaigns import measure_campaign
from valuecrm.store import connect


@pytest.mark.slow
def test_planted_campaign_effects_are_recovered(tmp_path):
    result = generate(3000, db=tmp_path / "crm.duckdb", seed=1, campaign_target_share=0.5)
    truth = json.loads(result.truth_json_path.read_text(encoding="utf-8"))["campaigns"]
    with connect(tmp_path / "crm.duckdb") as database:
        for planted in truth:
            found = measure_campaign(database, planted["campaign_id"]).set_index("outcome")
            purchase = found.loc["purchase"]
            assert purchase["ci_low"] <= planted["expected_lift"] <= purchase["ci_high"], planted
            assert purchase["difference"] == pytest.approx(planted["observed_lift"], abs=0.02)
            assert (purchase["n_treatment"], purchase["n_control"]) == (
                planted["treatment"], planted["control"])
