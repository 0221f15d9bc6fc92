"""The "Voice of the customer / 客户之声" page over FastAPI's TestClient on real DuckDB files: its
sections in both languages, the IPMA's four quadrants, a database without answers (how to load
them), too few answers for the model (the section says why), and no respondent identity."""

from __future__ import annotations

import io
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from tests.helpers.web import signed_in
from valuecrm.errors import DataError
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.voice_page import SECTIONS, Section, build_sections
from valuecrm.store import connect

QUADRANTS = {"en": ("Keep up the good work", "Concentrate here", "Low priority",
                    "Possible overkill"),
             "zh-CN": ("继续保持", "重点改进", "次要改进", "可能过度投入")}


def figures_of(html: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="figure-([\w-]+)">(.*?)</script>', html, re.S)}


@pytest.fixture(scope="module")
def pages(voice_db, tmp_path_factory) -> dict[str, str]:
    path = shutil.copy(voice_db, tmp_path_factory.mktemp("voice-page") / "crm.duckdb")
    for client, _ in signed_in(path, "voice-viewer", role="viewer"):
        found = {lang: client.get("/voice", params={"lang": lang}) for lang in QUADRANTS}
        found["waves"] = client.get("/voice", params={"trend": "wave", "ipma": "Loyalty",
                                                    "lang": "en"})
        assert all(p.status_code == 200 for p in found.values())
        return {k: p.text for k, p in found.items()}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_section_in_both_languages(pages, lang):
    html = pages[lang]
    t = Translator(lang)
    assert f"<h1>{t('voice')}</h1>" in html
    anchors = re.findall(r'<div id="voice-(\w+)" class="voice-section">', html)
    assert anchors == ["nps", "index", "ipma", "drivers", "value", "loyalty", "recovery",
                       "journey"] == [
        s.name for s in SECTIONS]
    assert t("voice_unavailable") not in html  # every section computed
    figures = figures_of(html)
    assert {"voice-nps-trend", "voice-nps-segments", "voice-index-chart",
            "voice-ipma-map"} <= set(figures)
    band = figures["voice-nps-trend"]["data"]
    assert band[1]["fill"] == "tonexty" and len(band[2]["y"]) == 12  # 12 quarters
    annotations = [a["text"] for a in figures["voice-ipma-map"]["layout"]["annotations"]]
    assert [a.strip("</b>") for a in annotations] == list(QUADRANTS[lang])
    index = figures["voice-index-chart"]["data"][0]
    assert len(index["x"]) == 6 and all(0 < v < 100 for v in index["x"])
    assert t("voice_c_Satisfaction") in html and t("voice_drivers") in html


def test_the_trend_by_wave_and_the_ipma_of_loyalty(pages):
    figures = figures_of(pages["waves"])
    assert figures["voice-nps-trend"]["data"][2]["x"][0] == "nps-2023q1"
    points = figures["voice-ipma-map"]["data"][0]["text"]
    assert "Satisfaction" in points  # a driver of Loyalty


def test_a_viewer_sees_no_respondent_or_free_text(voice_db, pages):
    with connect(voice_db, read_only=True) as db:
        ids = [r[0] for r in db.raw.execute(
            "SELECT DISTINCT customer_id FROM survey_responses").fetchall()]
        texts = [r[0] for r in db.raw.execute(
            "SELECT DISTINCT answer_text FROM survey_responses "
            "WHERE answer_text IS NOT NULL").fetchall()]
    for html in pages.values():
        assert not any(i in html for i in ids) and not any(x in html for x in texts)


@pytest.mark.parametrize(("lang", "phrase"), [("en", "No survey answers are stored yet."),
                                              ("zh-CN", "尚未导入问卷回答。")])
def test_a_database_without_answers_says_how_to_load_them(empty_db, lang, phrase):
    for client, _ in signed_in(empty_db, f"empty-{lang}"):
        page = client.get("/voice", params={"lang": lang})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert phrase in page.text and "valuecrm ingest survey_responses" in page.text
        assert "voice-nps" not in page.text


def test_too_few_answers_for_the_model_the_section_says_why(db_path):
    rng = np.random.default_rng(4)
    with connect(db_path) as db:  # answers, no snapshot
        db.ingest("customers", pd.DataFrame({"customer_id": ["c1"]}))
        rows = [(f"R{i}", q, float(rng.integers(1, 11))) for i in range(15)
                for q in ("nps", "image", "expectations", "perceived_quality",
                          "perceived_value", "satisfaction", "loyalty")]
        db.ingest("survey_responses", pd.DataFrame(
            rows, columns=["response_id", "question", "score"]).assign(
            responded_at=pd.Timestamp("2025-03-02"), survey="s1", customer_id="c1"))
    for client, _ in signed_in(db_path, "few"):
        page = client.get("/voice")
        assert page.status_code == 200
        assert "Net Promoter Score" in page.text and "voice-nps-trend" in page.text
        assert "This section cannot be shown" in page.text
        assert "15 respondents; it needs at least 40" in page.text
        assert "voice-nps-segments" not in page.text  # no snapshot to join


def test_a_section_that_fails_is_replaced_by_its_reason(voice_db):
    def broken(page, database):
        raise DataError("Not enough answers for this section.")

    def fine(page, database):
        return {"figures": {"voice-extra-chart": {"data": [], "layout": {}}}, "value": 1}

    extra = (Section("broken", "voice/_broken.html", broken),
             Section("extra", "voice/_extra.html", fine))
    with connect(voice_db, read_only=True) as db:
        built, figures = build_sections(None, db, extra)
    assert built[0].error == "Not enough answers for this section."
    assert built[1].context["value"] == 1 and "voice-extra-chart" in figures


@pytest.fixture(scope="module")
def chooser_db(voice_db, tmp_path_factory):
    return shutil.copy(voice_db, tmp_path_factory.mktemp("voice-chooser") / "crm.duckdb")


@pytest.mark.parametrize(("lang", "label", "every"), [("en", "Survey", "All surveys"),
                                                      ("zh-CN", "调查", "全部调查")])
def test_the_survey_chooser_and_every_section_follows_it(chooser_db, lang, label, every):
    from valuecrm.views.voice_scores import survey_status, voice_nps

    with connect(chooser_db, read_only=True) as db:
        names = survey_status(db)["names"]
        chosen = names[-1]
        whole, one = voice_nps(db)["nps"], voice_nps(db, survey=chosen)["nps"]
        status = survey_status(db, chosen)
    assert len(names) == 12 and whole != one
    t = Translator(lang)
    intro = t("voice_intro_survey", name=chosen, n=t.number(status["questionnaires"]),
              first=t.date(status["first"]), last=t.date(status["last"]))
    for client, _ in signed_in(chooser_db, f"chooser-{lang}", role="viewer"):
        html = client.get("/voice", params={"lang": lang}).text
        options = re.findall(r'<option value="([^"]*)"( selected)?>', html)
        assert [v for v, _ in options if v.startswith("nps-")] == names
        assert ("", " selected") in options and f"{label}\n" in html and every in html
        assert t.number(whole, 1) in html
        page = client.get("/voice", params={"lang": lang, "survey": chosen, "trend": "wave",
                                            "ipma": "Loyalty"})
        assert page.status_code == 200
        html = page.text
        assert f'<option value="{chosen}" selected>' in html
        assert intro in html and status["questionnaires"] < 100
        kpi = re.search(r'<span>NPS</span><strong>([^<]+)</strong>', html).group(1)
        assert kpi == t.number(one, 1)
        figures = figures_of(html)
        assert figures["voice-nps-trend"]["data"][2]["x"] == [chosen]  # one wave: the chosen
        # the choices keep each other: the trend link keeps the survey, the chooser the rest
        assert f"?survey={chosen}&amp;trend=quarter&amp;ipma=Loyalty#voice-nps" in html
        assert '<input type="hidden" name="trend" value="wave">' in html
        assert '<input type="hidden" name="ipma" value="Loyalty">' in html
        # 17 complete respondents in one quarter: too few for the index, said in its place
        assert "The model has 17 respondents; it needs at least 40" in html


def test_a_survey_not_stored_is_a_404_naming_those_that_are(chooser_db):
    for client, _ in signed_in(chooser_db, "chooser-404", role="viewer"):
        page = client.get("/voice", params={"survey": "nope", "lang": "en"})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "No survey named &#39;nope&#39; is stored." in page.text
        assert "nps-2023q1" in page.text


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_viewers_get_no_defector_download(chooser_db, lang):
    t = Translator(lang)
    for client, _ in signed_in(chooser_db, f"defector-viewer-{lang}", role="viewer"):
        html = client.get("/voice", params={"lang": lang}).text
        assert "/voice/high-value-defectors." not in html
        assert t("voice_loyalty_for_analysts") in html
        for suffix in ("csv", "parquet"):
            refused = client.get(f"/voice/high-value-defectors.{suffix}")
            assert refused.status_code == 403
            assert refused.headers["content-type"].startswith("text/html")


def test_analysts_download_the_high_value_defectors_audit_logged(chooser_db):
    from valuecrm.views.voice_survey import quadrant_frame

    with connect(chooser_db, read_only=True) as db:
        expected = quadrant_frame(db, quadrant="defector", high_value=True)
        survey = "nps-2025q4"
        of_survey = quadrant_frame(db, quadrant="defector", high_value=True, survey=survey)
    assert len(expected) > len(of_survey) > 0
    for client, _ in signed_in(chooser_db, "defector-analyst", role="analyst"):
        for lang in ("en", "zh-CN"):
            html = client.get("/voice", params={"lang": lang, "survey": survey}).text
            t = Translator(lang)
            assert t("voice_loyalty_download") in html
            assert f'href="/voice/high-value-defectors.csv?survey={survey}"' in html
            assert f'href="/voice/high-value-defectors.parquet?survey={survey}"' in html
        csv = client.get("/voice/high-value-defectors.csv")
        assert csv.status_code == 200 and csv.text.startswith("\ufeffcustomer_id,")
        assert 'filename="high-value-defectors.csv"' in csv.headers["content-disposition"]
        frame = pd.read_csv(io.StringIO(csv.text.lstrip("\ufeff")), dtype={"customer_id": str})
        assert list(frame.customer_id) == list(expected.customer_id)
        assert set(frame.quadrant) == {"defector"} and frame.high_value.all()
        parquet = client.get("/voice/high-value-defectors.parquet", params={"survey": survey})
        chosen = pd.read_parquet(io.BytesIO(parquet.content))
        assert list(chosen.customer_id) == list(of_survey.customer_id)
        assert set(chosen.survey) == {survey}
    with connect(chooser_db, read_only=True) as db:
        audit = db.raw.execute("SELECT actor, target, detail FROM _valuecrm_audit WHERE "
                               "action = 'export' AND target = 'loyalty_quadrants'").fetchall()
    details = [json.loads(d) for _, _, d in audit]
    assert {a for a, _, _ in audit} == {"defector-analyst"}
    assert sorted((d["format"], d["survey"]) for d in details) == [
        ("csv", None), ("parquet", survey)]
    assert all(d["via"] == "dashboard" and d["quadrant"] == "defector" and d["high_value"]
               for d in details)
