"""Satisfaction x loyalty quadrants (Jones & Sasser 1995) per customer from their latest
answers, joined to the latest snapshot's value table, and the export of high-value defectors;
checked by hand on small answers and against the generator's planted latent satisfaction."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.helpers.cli import run
from valuecrm.errors import DataError, ParameterError, SchemaError
from valuecrm.store import connect
from valuecrm.store.csv_export import BOM
from valuecrm.views.voice_survey import (
    HIGH_VALUE_TIERS,
    export_quadrants,
    quadrant_frame,
    quadrant_summary,
)
from valuecrm.voice import loyalty_quadrants
from valuecrm.voice.quadrants import quadrant_of

WIDE = pd.DataFrame({
    "response_id": ["a", "b", "c", "d", "e", "f"],
    "customer_id": ["C1", "C1", "C2", "C3", None, "C4"],
    "responded_at": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-01-01", "2024-01-01",
                                    "2024-02-01", "2024-03-01"]),
    "survey": ["q1", "q2", "q1", "q1", "q1", "q1"],
    "satisfaction": [3.0, 9.0, 8.0, 5.0, 10.0, 2.0],
    "loyalty": [3.0, 10.0, 4.0, 9.0, 10.0, None],
})


def test_the_four_quadrants_at_their_thresholds():
    sat = pd.Series([8, 8, 7.9, 7.9])
    loy = pd.Series([8, 7.9, 8, 7.9])
    assert quadrant_of(sat, loy, 8, 8).tolist() == ["apostle", "mercenary", "hostage",
                                                   "defector"]
    assert quadrant_of(sat, loy, 7, 9).tolist() == ["mercenary"] * 4  # thresholds are settable


def test_each_customer_is_placed_by_the_latest_answers_to_both_questions():
    placed = loyalty_quadrants(WIDE).set_index("customer_id")
    # C1's latest questionnaire wins; the anonymous answer and C4 (no loyalty) are left out
    assert placed.quadrant.to_dict() == {"C1": "apostle", "C2": "mercenary", "C3": "hostage"}
    assert placed.loc["C1", "response_id"] == "b"
    assert loyalty_quadrants(WIDE, loyalty_threshold=11).quadrant.tolist() == [
        "mercenary", "mercenary", "defector"]


def test_bad_input_is_named():
    with pytest.raises(SchemaError, match="'repurchase'"):
        loyalty_quadrants(WIDE, loyalty="repurchase")
    with pytest.raises(DataError, match="anonymous"):
        loyalty_quadrants(WIDE.assign(customer_id=None))


@pytest.mark.slow  # the generated database of tests/voice/conftest.py
def test_quadrants_agree_with_the_generated_answers_and_the_planted_satisfaction(surveyed):
    """Independently of the views: each customer's latest answers read from the database with
    plain SQL, placed by hand, give the same quadrants; and the generator's planted latent
    satisfaction falls from apostles to defectors, whose planted dropout probability is higher."""
    with connect(surveyed.path, read_only=True) as database:
        summary = quadrant_summary(database)
        frame = quadrant_frame(database)
        latest = database.raw.execute("""
            WITH r AS (SELECT response_id, customer_id, responded_at,
                              max(score) FILTER (WHERE question = 'satisfaction') AS s,
                              max(score) FILTER (WHERE question = 'loyalty') AS l
                       FROM survey_responses GROUP BY ALL)
            SELECT customer_id, arg_max(s, (responded_at, response_id)) AS s,
                   arg_max(l, (responded_at, response_id)) AS l
            FROM r WHERE s IS NOT NULL AND l IS NOT NULL GROUP BY customer_id""").df()
    latest["quadrant"] = quadrant_of(latest.s, latest.l, 8, 8)
    expected = latest.set_index("customer_id").quadrant.sort_index()
    assert frame.set_index("customer_id").quadrant.sort_index().equals(expected)
    counts = {q["quadrant"]: q["customers"] for q in summary["quadrants"]}
    assert counts == expected.value_counts().to_dict()
    truth = surveyed.truth.set_index("customer_id")
    latent = frame.groupby("quadrant").customer_id.apply(
        lambda ids: truth.satisfaction.loc[ids].mean())
    assert latent["apostle"] > latent["mercenary"] and latent["apostle"] > latent["hostage"]
    assert min(latent["mercenary"], latent["hostage"]) > latent["defector"]
    dropout = frame.groupby("quadrant").customer_id.apply(lambda ids: truth.p.loc[ids].mean())
    assert dropout["defector"] > dropout["apostle"]


@pytest.mark.slow  # the generated database of tests/voice/conftest.py
def test_the_value_table_is_joined_and_high_value_defectors_exported(surveyed, tmp_path):
    with connect(surveyed.path, read_only=True) as database:
        summary = quadrant_summary(database)
        defectors = quadrant_frame(database, quadrant="defector", high_value=True)
        written = export_quadrants(database, tmp_path / "defectors.csv", quadrant="defector",
                                   high_value=True)
        parquet = export_quadrants(database, tmp_path / "defectors.parquet",
                                   quadrant="defector", high_value=True)
        snapshot_tiers = database.raw.execute(
            "SELECT customer_id, tier FROM customer_value").df().set_index("customer_id").tier
    assert summary["as_of"] and len(defectors) > 0
    assert set(defectors.quadrant) == {"defector"}
    assert set(defectors.tier) <= set(HIGH_VALUE_TIERS)
    assert (snapshot_tiers.loc[defectors.customer_id].to_numpy() == defectors.tier).all()
    assert defectors.clv.is_monotonic_decreasing
    high = {q["quadrant"]: q["high_value"] for q in summary["quadrants"]}
    assert high["defector"] == len(defectors) == written["rows"] == parquet["rows"]
    raw = (tmp_path / "defectors.csv").read_bytes()
    assert raw.startswith(BOM)
    read_back = pd.read_csv(tmp_path / "defectors.csv", encoding="utf-8-sig")
    assert read_back.customer_id.tolist() == defectors.customer_id.tolist()
    assert pd.read_parquet(tmp_path / "defectors.parquet").customer_id.tolist() == \
        defectors.customer_id.tolist()
    with pytest.raises(ParameterError, match="quadrant"):
        quadrant_frame(database, quadrant="terrorist")


@pytest.mark.slow  # the generated database of tests/voice/conftest.py
def test_the_cli_summary_list_and_export(surveyed, tmp_path, monkeypatch, capsys):
    db = str(surveyed.path)
    shown = run(monkeypatch, capsys, "--db", db, "voice", "quadrants", "--json")
    assert shown.code == 0, shown
    assert [q["quadrant"] for q in json.loads(shown.out)["quadrants"]] == [
        "apostle", "mercenary", "hostage", "defector"]
    strict = run(monkeypatch, capsys, "--db", db, "voice", "quadrants",
                 "--satisfaction-threshold", "10", "--json")
    assert json.loads(strict.out)["quadrants"][0]["customers"] < \
        json.loads(shown.out)["quadrants"][0]["customers"]
    out = tmp_path / "d.csv"
    done = run(monkeypatch, capsys, "--db", db, "voice", "quadrants", "--list", "defector",
               "--high-value", "--out", str(out))
    assert done.code == 0 and out.read_bytes().startswith(BOM)
    bad = run(monkeypatch, capsys, "--db", db, "voice", "quadrants", "--list", "terrorist")
    assert bad.code == 2 and "--list must be one of apostle" in bad.err
    value = run(monkeypatch, capsys, "--db", db, "voice", "value", "--resamples", "50",
                "--no-waves", "--json")
    assert value.code == 0, value
    assert {w["dimension"] for w in json.loads(value.out)["weights"]} >= {"functional", "money"}
