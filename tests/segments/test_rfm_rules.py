"""Segment rules: the default table, user tables from lists, JSON and YAML, and validation."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from valuecrm.errors import InputError, ParameterError, SourceError
from valuecrm.segments import DEFAULT_RULES, SEGMENTS, rfm_scores, segment_grid
from valuecrm.segments.rfm_rules import parse_rules, parse_scores, to_default_level

# The default grid, written out by hand from the rules (rows R5..R1, columns F1..F5).
EXPECTED_DEFAULT = {
    5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
    4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
    3: ["About To Sleep", "About To Sleep", "Need Attention", "Loyal", "Loyal"],
    2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
    1: ["Lost", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
}

TWO_SEGMENTS = [{"segment": "Active", "r": "4-5"}, {"segment": "Inactive", "r": "1-3", "f": "*"}]


def test_default_grid_cell_by_cell():
    grid = segment_grid(None, 5)
    assert grid == {(r, f): EXPECTED_DEFAULT[r][f - 1] for r in range(1, 6) for f in range(1, 6)}


def test_default_rules_cover_each_cell_once_except_lost_inside_hibernating():
    rules = parse_rules(DEFAULT_RULES, 5)
    for r in range(1, 6):
        for f in range(1, 6):
            matching = [rule.segment for rule in rules if rule.matches(r, f)]
            expected = ["Lost", "Hibernating"] if (r, f) == (1, 1) else matching[:1]
            assert matching == expected, (r, f, matching)


def test_every_default_segment_has_labels():
    names = {rule["segment"] for rule in DEFAULT_RULES}
    assert names == {s.name_en for s in SEGMENTS}
    assert len(SEGMENTS) == 11
    champions = next(s for s in SEGMENTS if s.name_en == "Champions")
    assert champions.name_zh == "冠军客户"
    assert all(s.name_zh and s.description_zh and s.action_en and s.action_zh for s in SEGMENTS)
    assert pd.DataFrame(SEGMENTS).columns.tolist() == [
        "name_en", "name_zh", "description_en", "description_zh", "action_en", "action_zh"]


@pytest.mark.parametrize(("spec", "scores"), [
    ("5", {5}), (5, {5}), ("4-5", {4, 5}), ("1-2,5", {1, 2, 5}), ("*", {1, 2, 3, 4, 5}),
    (None, {1, 2, 3, 4, 5}), ([1, "3"], {1, 3}), (" 2 - 3 ", {2, 3}),
])
def test_parse_scores(spec, scores):
    assert parse_scores(spec, 5, where="r") == scores


@pytest.mark.parametrize("spec", ["6", "0", "3-2", "a", "1-", 2.5, True, "1-6"])
def test_parse_scores_refuses(spec):
    with pytest.raises(ParameterError, match=r"scores in 1\.\.5"):
        parse_scores(spec, 5, where="r")


def test_first_match_wins():
    rules = [{"segment": "Top", "r": "5", "f": "5"}, {"segment": "Rest"}]
    grid = segment_grid(rules, 5)
    assert grid[(5, 5)] == "Top"
    assert set(grid.values()) == {"Top", "Rest"}


def test_uncovered_cells_are_named():
    rules = [rule for rule in DEFAULT_RULES if rule["segment"] != "Need Attention"]
    with pytest.raises(ParameterError, match=r"1 of the 25 .* R3F3\.") as info:
        segment_grid(rules, 5)
    assert info.value.details["uncovered"] == ["R3F3"]
    assert isinstance(info.value, InputError)


def test_several_uncovered_cells():
    with pytest.raises(ParameterError, match="R1F1, R1F2, R1F3, R2F1, R2F2, R2F3"):
        segment_grid([{"segment": "Active", "r": "3", "f": "1-3"}], 3)


@pytest.mark.parametrize("rules", [
    [], [{"r": "1"}], [{"segment": "", "r": "1"}], [{"segment": "A", "R": "1"}], ["Champions"],
    {"segment": "A"}, 42,
])
def test_malformed_rules(rules):
    with pytest.raises(ParameterError, match="rules"):
        segment_grid(rules, 5)


def test_rules_from_a_json_file(tmp_path: Path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": TWO_SEGMENTS}), encoding="utf-8")
    grid = segment_grid(path, 5)
    assert grid[(5, 1)] == "Active" and grid[(3, 5)] == "Inactive"
    assert segment_grid(str(path), 5) == grid


def test_rules_from_a_yaml_file(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "# my segments\n"
        "- {segment: 冠军客户, r: 5, f: 4-5}\n"
        "- segment: Others\n"
        "  r: '*'\n", encoding="utf-8")
    grid = segment_grid(path, 5)
    assert grid[(5, 4)] == "冠军客户" and grid[(5, 3)] == "Others"


def test_missing_or_unreadable_rules_file(tmp_path: Path):
    with pytest.raises(SourceError, match="does not exist"):
        segment_grid(tmp_path / "nope.json", 5)
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot be read"):
        segment_grid(bad, 5)


def test_user_rules_in_rfm_scores():
    data = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"],
                         "time_since_last": [1, 2, 3, 4, 5], "n_purchases": [1, 1, 1, 1, 1],
                         "total_spend": [1.0, 1, 1, 1, 1]})
    out = rfm_scores(data, rules=TWO_SEGMENTS).execute().sort_values("customer_id")
    assert out.r_score.tolist() == [5, 4, 3, 2, 1]
    assert out.rfm_segment.tolist() == ["Active", "Active", "Inactive", "Inactive", "Inactive"]
    with pytest.raises(ParameterError, match="R1F1"):
        rfm_scores(data, rules=[{"segment": "Active", "r": "2-5"}])


def test_user_rules_must_fit_the_number_of_bins():
    rules = [{"segment": "Top", "r": "3"}, {"segment": "Rest", "r": "1-2"}]
    assert set(segment_grid(rules, 3).values()) == {"Top", "Rest"}
    with pytest.raises(ParameterError, match=r"scores in 1\.\.3"):
        segment_grid([{"segment": "Top", "r": "4-5"}, {"segment": "Rest"}], 3)


def test_default_rules_scaled_to_other_bins():
    assert [to_default_level(s, 5) for s in range(1, 6)] == [1, 2, 3, 4, 5]
    assert [to_default_level(s, 3) for s in range(1, 4)] == [1, 3, 5]
    assert [to_default_level(s, 10) for s in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    grid3 = segment_grid(None, 3)
    assert len(grid3) == 9
    assert grid3[(3, 3)] == "Champions" and grid3[(1, 1)] == "Lost"
    assert grid3[(2, 2)] == "Need Attention" and grid3[(3, 1)] == "New"
    grid10 = segment_grid(None, 10)
    assert grid10[(10, 9)] == "Champions" and grid10[(2, 2)] == "Lost"
