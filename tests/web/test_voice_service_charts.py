"""The recovery and journey sections of the voice page: their charts built from the views'
answers, every label in the page's language, none for an empty database (the sections then say
how to load), and the sections on the page (also without survey answers)."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.web import signed_in, stray_english
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.voice_service import journey_figures, recovery_figures
from valuecrm.store import connect
from valuecrm.synthetic import generate
from valuecrm.views.voice_service import journey, recovery


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    path = tmp_path_factory.mktemp("svc-charts") / "crm.duckdb"
    generate(200, db=path, seed=4)
    with connect(path, read_only=True) as database:
        return recovery(database), journey(database)


def _labels(figure) -> list[str]:
    texts = []
    for trace in figure["data"]:
        for key in ("x", "y", "labels"):
            texts += [v for v in trace.get(key, []) if isinstance(v, str)]
        texts.append(trace.get("name", ""))
    layout = figure["layout"]
    for axis in ("xaxis", "yaxis"):
        texts.append(layout.get(axis, {}).get("title", {}).get("text", ""))
    return texts


def test_every_chart_in_both_languages(views):
    found_recovery, found_journey = views
    for lang in ("en", "zh-CN"):
        t = Translator(lang)
        figures = {**recovery_figures(found_recovery, t), **journey_figures(found_journey, t)}
        assert set(figures) == {"svc_trend", "svc_justice", "svc_retention", "svc_stages",
                                "svc_channels", "svc_cost_stage", "svc_funnel",
                                "svc_complaint_stages"}
        if lang == "zh-CN":
            for name, figure in figures.items():
                months = [w for w in _labels(figure) if w[:2] != "20"]  # month labels
                assert not [w for text in months for w in stray_english(text)], name
    retention = recovery_figures(found_recovery, Translator("en"))["svc_retention"]["data"][0]
    groups = found_recovery["retention"]["groups"]
    assert retention["y"] == [g["share"] for g in groups.values() if g["n"]]
    funnel = journey_figures(found_journey, Translator("en"))["svc_funnel"]["data"][0]
    assert funnel["x"] == [s["customers"] for s in found_journey["funnel"]["steps"]]


def test_no_chart_without_data(empty_db):
    with connect(empty_db, read_only=True) as database:
        t = Translator("en")
        assert recovery_figures(recovery(database), t) == {}
        assert journey_figures(journey(database), t) == {}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_voice_page_shows_recovery_and_the_journey(voice_db, tmp_path, lang):
    """On the generated base (complaints, interactions): both sections with their charts and
    the paradox verdict in the page's language, as a viewer."""
    path = shutil.copy(voice_db, tmp_path / "crm.duckdb")
    t = Translator(lang)
    for client, _ in signed_in(path, "svc-viewer", role="viewer"):
        html = client.get("/voice", params={"lang": lang}).text
    for name in ("recovery", "journey"):
        assert f'<div id="voice-{name}" class="voice-section">' in html
        assert f'<a href="#voice-{name}">{t("voice_" + name)}</a>' in html
    for chart in ("svc_trend", "svc_justice", "svc_retention", "svc_stages", "svc_funnel",
                  "svc_complaint_stages"):
        assert f'id="figure-{chart}"' in html, chart
    assert t("svc_paradox") in html and t("voice_unavailable") not in html


def test_without_answers_or_complaints_each_section_says_how_to_load(empty_db):
    for client, _ in signed_in(empty_db, "svc-empty"):
        html = client.get("/voice").text
    assert "No survey answers are stored yet." in html
    assert "No complaints yet" in html and "valuecrm ingest complaints FILE" in html
    assert "No interactions yet" in html and "valuecrm ingest interactions FILE" in html
