"""/api/voice/surveys, /quadrants and /perceived-value over FastAPI's TestClient on a real
DuckDB file: analysts import and list customers, viewers get aggregates with no respondent
identity and no free text; the answers are those of the views the CLI prints."""

from __future__ import annotations

import io
import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from valuecrm.store import connect
from valuecrm.store.csv_export import BOM
from valuecrm.store.users import add_user
from valuecrm.views.voice_survey import quadrant_summary

# a generated and analysed database once per module (about 15 s)
pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "mobi"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from valuecrm.analysis import analyze
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("voice-api") / "crm.duckdb"
    generate(400, db=path, seed=3, survey_share=1.0)
    with connect(path) as database:
        analyze(database)
    return path


@pytest.fixture
def served(template, tmp_path):
    from valuecrm.interfaces.server import create_app

    path = tmp_path / "crm.duckdb"
    shutil.copy(template, path)
    with connect(path) as database:
        tokens = {role: add_user(database.raw, f"t-{role}", role)[1]
                  for role in ("viewer", "analyst", "admin")}
        expected = quadrant_summary(database)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        yield client, tokens, expected


def _as(tokens, role):
    return {"Authorization": f"Bearer {tokens[role]}"}


def _upload(client, headers, csv: bytes, **form):
    return client.post("/api/voice/surveys", headers=headers, data=form, files={
        "file": ("mobi.csv", csv, "text/csv"),
        "model": ("ecsi.yaml", (DATA / "ecsi.yaml").read_bytes(), "application/yaml")})


def test_analysts_import_viewers_may_not_and_the_stored_model_fits(served):
    client, tokens, _ = served
    mobi = (DATA / "mobi.csv").read_bytes()
    refused = _upload(client, _as(tokens, "viewer"), mobi)
    assert refused.status_code == 403
    loaded = _upload(client, _as(tokens, "analyst"), mobi)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["answers_stored"] == 6000 and loaded.json()["source"] == "mobi.csv"
    listed = client.get("/api/voice/surveys", headers=_as(tokens, "viewer")).json()
    assert {"survey": "mobi", "respondents": 250} .items() <= next(
        s for s in listed["surveys"] if s["survey"] == "mobi").items()
    import yaml

    model = yaml.safe_load((DATA / "ecsi.yaml").read_text(encoding="utf-8"))
    model["date"] = str(model["date"])
    fitted = client.post("/api/voice/surveys/mobi/pls", headers=_as(tokens, "viewer"),
                         json=model)
    assert fitted.status_code == 200, fitted.text
    assert fitted.json()["r_squared"]["Satisfaction"] == pytest.approx(0.681078, abs=1e-4)


def test_a_refused_upload_names_the_row_and_writes_nothing(served):
    client, tokens, _ = served
    frame = pd.read_csv(DATA / "mobi.csv")
    frame.loc[0, "CUEX1"] = 12
    answer = _upload(client, _as(tokens, "analyst"), frame.to_csv(index=False).encode())
    assert answer.status_code == 422
    body = answer.json()
    assert "row 2, column 'CUEX1', value '12'" in body["message"]
    assert body["report"]["bad_rows"][0]["row"] == 2
    listed = client.get("/api/voice/surveys", headers=_as(tokens, "viewer")).json()
    assert "mobi" not in {s["survey"] for s in listed["surveys"]}


def test_viewers_get_quadrant_aggregates_without_customers(served):
    client, tokens, expected = served
    answer = client.get("/api/voice/quadrants", headers=_as(tokens, "viewer"))
    assert answer.status_code == 200
    assert answer.json() == json.loads(json.dumps(expected))
    assert '"C0' not in answer.text and "customer_id" not in answer.text
    for path in ("/api/voice/quadrants/customers", "/api/voice/quadrants/export"):
        assert client.get(path, headers=_as(tokens, "viewer")).status_code == 403


def test_analysts_list_and_export_high_value_defectors(served):
    client, tokens, expected = served
    params = {"quadrant": "defector", "high_value": "true"}
    listed = client.get("/api/voice/quadrants/customers", params=params,
                        headers=_as(tokens, "analyst")).json()
    high = next(q["high_value"] for q in expected["quadrants"] if q["quadrant"] == "defector")
    assert listed["customers"] == high and {r["quadrant"] for r in listed["rows"]} <= {
        "defector"}
    csv = client.get("/api/voice/quadrants/export", params=params,
                     headers=_as(tokens, "analyst"))
    assert csv.status_code == 200 and csv.content.startswith(BOM)
    assert "quadrants_defector_high_value.csv" in csv.headers["content-disposition"]
    parquet = client.get("/api/voice/quadrants/export", params={**params, "format": "parquet"},
                         headers=_as(tokens, "analyst"))
    assert pd.read_parquet(io.BytesIO(parquet.content)).customer_id.tolist() == [
        r["customer_id"] for r in listed["rows"]]
    audit = client.get("/api/audit", headers=_as(tokens, "admin")).text
    assert audit.count('"loyalty_quadrants"') == 2  # both exports are in the audit log


def test_viewers_get_perceived_value(served):
    client, tokens, _ = served
    answer = client.get("/api/voice/perceived-value", params={"resamples": 50, "waves": False},
                        headers=_as(tokens, "viewer"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert {w["dimension"] for w in body["weights"]} == {
        "functional", "emotional", "social", "service", "money", "time", "energy", "psychic"}
    bad = client.get("/api/voice/perceived-value", params={"model": "[1]"},
                     headers=_as(tokens, "viewer"))
    assert bad.status_code == 400 and "JSON object" in bad.json()["message"]
