"""RFM scores on hand-made examples: ties, fixed cut points, weights, classes, edge cases."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

import valuecrm
from valuecrm.errors import InputError, ParameterError, SchemaError
from valuecrm.segments import rfm_scores

COLUMNS = ["customer_id", "time_since_last", "n_purchases", "total_spend"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def run(data, **kwargs) -> pd.DataFrame:
    return rfm_scores(data, **kwargs).execute().sort_values("customer_id").reset_index(drop=True)


# Ten customers with ties in every dimension, scores worked out by hand with
# score = 1 + floor(5 * (rank_min - 1) / 10), ranks from worst (1) to best (10).
HAND = frame([
    ("c01", 1, 10, 500.0),   # R rank 10 -> 5;  F rank 10 -> 5;  M rank 10 -> 5
    ("c02", 3, 4, 200.0),    # R ranks 8-9 tie at 8 -> 4; F ranks 8-9 tie at 8 -> 4; M 8-9 -> 4
    ("c03", 3, 4, 200.0),
    ("c04", 7, 2, 80.0),     # R rank 7 -> 4;   F ranks 6-7 tie at 6 -> 3; M rank 7 -> 4
    ("c05", 20, 2, 40.0),    # R ranks 5-6 tie at 5 -> 3;   F 6 -> 3;  M ranks 5-6 tie at 5 -> 3
    ("c06", 20, 1, 40.0),    # R ranks 5-6 tie at 5 -> 3; F ranks 1-5 tie at 1 -> 1; M 5 -> 3
    ("c07", 60, 1, 30.0),    # R rank 4 -> 2;   F 1 -> 1;  M rank 4 -> 2
    ("c08", 90, 1, 10.0),    # R ranks 2-3 tie at 2 -> 1; F 1; M ranks 1-3 tie at 1 -> 1
    ("c09", 90, 1, 10.0),
    ("c10", 400, 1, 10.0),   # R rank 1 -> 1;   F 1;  M 1
])
HAND_R = [5, 4, 4, 4, 3, 3, 2, 1, 1, 1]
HAND_F = [5, 4, 4, 3, 3, 1, 1, 1, 1, 1]
HAND_M = [5, 4, 4, 4, 3, 3, 2, 1, 1, 1]


def test_hand_example_with_ties():
    out = run(HAND)
    assert out.r_score.tolist() == HAND_R
    assert out.f_score.tolist() == HAND_F
    assert out.m_score.tolist() == HAND_M
    assert out.rfm_cell.tolist()[:4] == ["555", "444", "444", "434"]
    assert out.rfm_total.tolist() == [r + f + m for r, f, m in zip(HAND_R, HAND_F, HAND_M,
                                                                   strict=True)]
    # the input values come back unchanged
    pd.testing.assert_frame_equal(out[COLUMNS], HAND, check_dtype=False)


def test_hand_example_segments():
    out = run(HAND)
    # (R, F): 55 Champions, 44 Loyal, 43 Potential Loyalist, 33 Need Attention,
    # 31 About To Sleep, 21 Hibernating, 11 Lost
    assert out.rfm_segment.tolist() == [
        "Champions", "Loyal", "Loyal", "Potential Loyalist", "Need Attention",
        "About To Sleep", "Hibernating", "Lost", "Lost", "Lost"]


def test_scores_agree_with_pandas_min_rank_formula():
    data = HAND.copy()
    n = len(data)
    worst_to_best = {"time_since_last": -data.time_since_last, "n_purchases": data.n_purchases,
                     "total_spend": data.total_spend}
    out = run(data)
    for score, col in zip(["r_score", "f_score", "m_score"], worst_to_best, strict=True):
        rank = worst_to_best[col].rank(method="min").astype(int)
        assert out[score].tolist() == (1 + 5 * (rank - 1) // n).tolist()


def test_best_fifth_gets_five_and_each_score_a_fifth():
    data = frame([(f"c{i:03d}", 100 - i, i, float(i)) for i in range(100)])
    out = run(data)
    for score in ["r_score", "f_score", "m_score"]:
        assert out[score].value_counts().to_dict() == {s: 20 for s in range(1, 6)}
    best = out.loc[out.n_purchases >= 80]
    assert (best.f_score == 5).all() and (best.r_score == 5).all()


def test_other_number_of_bins():
    data = frame([(f"c{i}", i, i, float(i)) for i in range(1, 7)])
    out = run(data, bins=3)
    assert out.f_score.tolist() == [1, 1, 2, 2, 3, 3]
    assert out.r_score.tolist() == [3, 3, 2, 2, 1, 1]
    assert set(out.rfm_segment) <= {s.name_en for s in valuecrm.SEGMENTS}


def test_fixed_breakpoints_value_on_a_cut_point_gets_the_better_score():
    data = frame([("a", 30, 1, 10.0), ("b", 31, 2, 49.99), ("c", 90, 3, 50.0),
                  ("d", 365, 8, 500.0), ("e", 366, 20, 1000.0), ("f", 0, 5, 100.0)])
    breakpoints = {"r": [30, 90, 180, 365], "f": [2, 3, 5, 8], "m": [50, 100, 500, 1000]}
    out = run(data, method="fixed", breakpoints=breakpoints)
    assert out.r_score.tolist() == [5, 4, 4, 2, 1, 5]
    assert out.f_score.tolist() == [1, 2, 3, 5, 5, 4]
    assert out.m_score.tolist() == [1, 1, 2, 4, 5, 3]


def test_fixed_breakpoints_with_four_bins():
    data = frame([("a", 5, 1, 1.0), ("b", 50, 4, 10.0), ("c", 500, 9, 100.0)])
    out = run(data, bins=4, method="fixed",
              breakpoints={"r": [7, 30, 365], "f": [2, 4, 8], "m": [5, 10, 50]})
    assert out.rfm_cell.tolist() == ["411", "233", "144"]


@pytest.mark.parametrize("breakpoints", [
    None,
    {"r": [1, 2, 3], "f": [1, 2, 3, 4], "m": [1, 2, 3, 4]},      # too few for R
    {"r": [4, 3, 2, 1], "f": [1, 2, 3, 4], "m": [1, 2, 3, 4]},   # not ascending
    {"r": [1, 2, 2, 3], "f": [1, 2, 3, 4], "m": [1, 2, 3, 4]},   # repeated
    {"f": [1, 2, 3, 4], "m": [1, 2, 3, 4]},                      # R missing
    {"r": [1, 2, "x", 4], "f": [1, 2, 3, 4], "m": [1, 2, 3, 4]},
])
def test_fixed_breakpoints_are_validated(breakpoints):
    with pytest.raises(ParameterError, match="breakpoints"):
        rfm_scores(HAND, method="fixed", breakpoints=breakpoints)


def test_breakpoints_need_method_fixed():
    with pytest.raises(ParameterError, match="'fixed'"):
        rfm_scores(HAND, breakpoints={"r": [1, 2, 3, 4], "f": [1, 2, 3, 4], "m": [1, 2, 3, 4]})


def test_weighted_total():
    out = run(HAND, weights={"r": 0.5, "f": 0.3, "m": 0.2})
    expected = [0.5 * r + 0.3 * f + 0.2 * m for r, f, m in zip(HAND_R, HAND_F, HAND_M,
                                                               strict=True)]
    assert out.rfm_total.tolist() == pytest.approx(expected)


@pytest.mark.parametrize("weights", [{"r": 1, "f": 1}, {"r": -1, "f": 1, "m": 1},
                                     {"r": 0, "f": 0, "m": 0}, [1, 1, 1]])
def test_bad_weights(weights):
    with pytest.raises(ParameterError, match="weights"):
        rfm_scores(HAND, weights=weights)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"bins": 1}, "bins"), ({"bins": 10}, "bins"), ({"bins": 5.0}, "bins"),
    ({"method": "kmeans"}, "method"), ({"class_cut": "mode"}, "class_cut"),
])
def test_bad_parameters(kwargs, name):
    with pytest.raises(ParameterError, match=f"'{name}' parameter of rfm_scores"):
        rfm_scores(HAND, **kwargs)


def test_classes_against_the_mean():
    # means: R 10, F 3, M 100; a value equal to the mean is low
    data = frame([("a", 1, 5, 150.0), ("b", 1, 1, 150.0), ("c", 19, 5, 150.0),
                  ("d", 19, 1, 150.0), ("e", 1, 5, 50.0), ("f", 1, 1, 50.0),
                  ("g", 19, 5, 50.0), ("h", 19, 1, 50.0), ("i", 10, 3, 100.0)])
    out = run(data)
    assert out.rfm_class_code.tolist() == ["HHH", "HLH", "LHH", "LLH", "HHL", "HLL", "LHL",
                                           "LLL", "LLL"]
    assert out.rfm_class.tolist() == ["重要价值", "重要发展", "重要保持", "重要挽留",
                                      "一般价值", "一般发展", "一般保持", "一般挽留", "一般挽留"]
    assert out.rfm_class_en.tolist()[:4] == ["Important value", "Important development",
                                             "Important retention", "Important win-back"]


def test_classes_against_the_median():
    # F: 1, 1, 1, 2, 30 -> mean 7 (only 'e' high), median 1 (all above 1 high)
    data = frame([("a", 5, 1, 1.0), ("b", 5, 1, 1.0), ("c", 5, 1, 1.0), ("d", 5, 2, 1.0),
                  ("e", 5, 30, 1.0)])
    assert run(data).rfm_class_code.str[1].tolist() == ["L", "L", "L", "L", "H"]
    assert run(data, class_cut="median").rfm_class_code.str[1].tolist() == [
        "L", "L", "L", "H", "H"]


def test_empty_table():
    out = rfm_scores(frame([]).astype({"time_since_last": float, "n_purchases": int,
                                       "total_spend": float})).execute()
    assert len(out) == 0
    assert "rfm_segment" in out.columns


def test_one_customer_gets_ones():
    out = run(frame([("a", 3, 2, 50.0)]))
    assert out.loc[0, ["r_score", "f_score", "m_score"]].tolist() == [1, 1, 1]
    assert out.loc[0, "rfm_segment"] == "Lost"
    assert out.loc[0, "rfm_class_code"] == "LLL"


def test_all_customers_equal_get_ones():
    out = run(frame([(f"c{i}", 7, 3, 20.0) for i in range(6)]))
    assert set(out.rfm_cell) == {"111"}
    assert set(out.rfm_class_code) == {"LLL"}


def test_missing_values_get_no_score_and_are_left_out_of_the_ranking():
    data = pd.concat([HAND, frame([("c11", None, 3, 5.0)])], ignore_index=True)
    out = run(data)
    assert out.r_score.iloc[:10].tolist() == HAND_R
    assert pd.isna(out.r_score.iloc[10]) and pd.isna(out.rfm_segment.iloc[10])
    assert pd.isna(out.rfm_class.iloc[10])


def test_missing_columns_are_named():
    with pytest.raises(SchemaError, match="'total_spend'") as info:
        rfm_scores(HAND.drop(columns="total_spend"))
    assert info.value.details["missing"] == ["total_spend"]
    assert isinstance(info.value, InputError)


def test_non_numeric_column():
    with pytest.raises(SchemaError, match="numeric"):
        rfm_scores(HAND.astype({"n_purchases": str}))


def test_column_names_can_be_overridden():
    renamed = HAND.rename(columns={"customer_id": "id", "time_since_last": "days",
                                   "n_purchases": "orders", "total_spend": "spend"})
    out = rfm_scores(renamed, id_col="id", recency_col="days", frequency_col="orders",
                     monetary_col="spend").execute().sort_values("id")
    assert out.r_score.tolist() == HAND_R
    assert out.columns.tolist()[:4] == ["id", "days", "orders", "spend"]


def test_not_a_table():
    with pytest.raises(ParameterError, match="Ibis table or a pandas DataFrame"):
        rfm_scores([1, 2, 3])


def test_runs_on_a_duckdb_connection_and_a_database_file(db):
    con = ibis.duckdb.connect()
    expr = rfm_scores(con.create_table("rfm_view", ibis.memtable(HAND)))
    assert expr.get_backend() is con
    assert con.execute(expr).sort_values("customer_id").r_score.tolist() == HAND_R

    db.con.create_table("rfm_view", ibis.memtable(HAND))
    out = db.con.execute(rfm_scores(db.con.table("rfm_view"))).sort_values("customer_id")
    assert out.f_score.tolist() == HAND_F


def test_public_names():
    assert valuecrm.rfm_scores is rfm_scores
    assert callable(valuecrm.segment_summary)
    assert len(valuecrm.SEGMENTS) == 11
