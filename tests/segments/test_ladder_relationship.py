"""Loyalty ladder rungs and Kotler's relationship levels."""

from __future__ import annotations

import ibis
import pandas as pd

from valuecrm.analysis import AnalysisConfig
from valuecrm.segments.ladder import loyalty_stage
from valuecrm.segments.relationship import KOTLER, relationship_level


def test_ladder_rungs_highest_first():
    frame = pd.DataFrame({
        "i": range(7),
        "n_purchases": [5, 5, 3, 4, 3, 2, 1],
        "status": ["active", "active", "lost", "active", "lapsed", "active", "new"],
        "tier": ["VIP", "small", "small", "small", "small", "key", "VIP"],
        "loyalty_member": [True, True, True, False, False, False, True],
        "referrals": [1, 2, 0, 0, 0, 0, 0],
    })
    out = loyalty_stage(ibis.memtable(frame), AnalysisConfig()).order_by("i").to_pandas()
    assert out["loyalty_stage"].tolist() == [
        "partner", "advocate", "member", "client", "repeat buyer", "repeat buyer",
        "first-time buyer"]


def test_kotler_matrix_is_complete():
    assert len(KOTLER) == 9 and set(KOTLER.values()) == {
        "basic", "reactive", "accountable", "proactive", "partnership"}


def test_relationship_level_from_group_size_and_margin_without_clv():
    # 100 customers: group A 80 with margin 1 (many, low), B 17 with margin 10 (medium, high-ish),
    # C 3 with margin 100 (few, high); no purchase model, so no CLV: the margin stands in
    groups = ["A"] * 80 + ["B"] * 17 + ["C"] * 3
    margins = [1.0] * 80 + [10.0] * 17 + [100.0] * 3
    table = ibis.memtable(pd.DataFrame({"g": groups, "margin": margins,
                                        "clv": pd.Series([None] * 100, dtype="float64")}))
    out = relationship_level(table, "g", AnalysisConfig()).to_pandas()
    level = out.groupby("g")["relationship_level"].agg(set).to_dict()
    # overall mean margin 5.5: A 0.18x (low), B 1.8x (high), C 18x (high)
    assert level == {"A": {"basic"}, "B": {"accountable"}, "C": {"partnership"}}


def test_relationship_level_weighs_the_value_still_to_come():
    """Trust 12: a few customers with a large past margin who have left (CLV near 0) are not
    partners; a few with a large CLV are. The past margin decides only with relationship_value
    set to "margin"."""
    groups = ["A"] * 80 + ["B"] * 17 + ["C"] * 3
    frame = pd.DataFrame({"g": groups,
                          "margin": [1.0] * 80 + [10.0] * 17 + [100.0] * 3,
                          "clv": [1.0] * 80 + [10.0] * 17 + [0.01] * 3})
    table = ibis.memtable(frame)

    def levels(config: AnalysisConfig) -> dict[str, set[str]]:
        out = relationship_level(table, "g", config).to_pandas()
        return out.groupby("g")["relationship_level"].agg(set).to_dict()

    # mean CLV 2.5: A 0.4x (low), B 6.8x (high), C 0.004x (low); B holds 17% ("many")
    assert levels(AnalysisConfig()) == {"A": {"basic"}, "B": {"accountable"},
                                        "C": {"accountable"}}
    assert levels(AnalysisConfig(relationship_value="margin"))["C"] == {"partnership"}
