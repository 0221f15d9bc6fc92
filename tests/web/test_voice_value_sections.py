"""The perceived value and satisfaction x loyalty sections of the "Voice of the customer / 客户之声"
page, in both languages, over FastAPI's TestClient on a copy of the generated voice database:
their charts carry the read layer's figures (views.voice_survey)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.helpers.web import signed_in
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.voice_value_sections import PAGE_RESAMPLES, PAGE_SEED
from valuecrm.store import connect
from valuecrm.views.voice_survey import perceived_value_summary, quadrant_summary

LANGS = ("en", "zh-CN")


def figures_of(html: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="figure-([\w-]+)">(.*?)</script>', html, re.S)}


@pytest.fixture(scope="module")
def pages(voice_db, tmp_path_factory) -> dict[str, str]:
    path = shutil.copy(voice_db, tmp_path_factory.mktemp("voice-value-page") / "crm.duckdb")
    for client, _ in signed_in(path, "value-viewer", role="viewer"):
        found = {lang: client.get("/voice", params={"lang": lang}) for lang in LANGS}
        assert all(p.status_code == 200 for p in found.values())
        return {k: p.text for k, p in found.items()}


@pytest.fixture(scope="module")
def views(voice_db):
    with connect(voice_db, read_only=True) as database:
        return (perceived_value_summary(database, n_boot=PAGE_RESAMPLES, seed=PAGE_SEED),
                quadrant_summary(database))


@pytest.mark.parametrize("lang", LANGS)
def test_the_perceived_value_section(pages, views, lang):
    html, t = pages[lang], Translator(lang)
    value, _ = views
    assert t("voice_value") in html and t("voice_value_dim_functional") in html
    assert t("voice_unavailable") not in html
    figures = figures_of(html)
    weights = figures["voice-value-weights"]["data"][0]
    assert weights["x"] == pytest.approx([w["coefficient"] for w in value["weights"]])
    assert len(weights["y"]) == 8 and t("voice_value_sacrifice") in weights["y"][-1]
    tiers = figures["voice-value-segments"]["data"][0]
    assert tiers["x"] == pytest.approx([s["value"] for s in value["segments"]])
    assert f"{value['mean_value']:.2f}" in html
    assert "Sweeney &amp; Soutar 2001" in html or "Sweeney & Soutar 2001" in html


@pytest.mark.parametrize("lang", LANGS)
def test_the_satisfaction_loyalty_section(pages, views, lang):
    html, t = pages[lang], Translator(lang)
    _, quadrants = views
    chart = figures_of(html)["voice-loyalty-chart"]["data"]
    names = [t(f"voice_loyalty_{q['quadrant']}") for q in quadrants["quadrants"]]
    assert chart[0]["x"] == names
    assert chart[0]["y"] == [q["high_value"] for q in quadrants["quadrants"]]
    assert [h + o for h, o in zip(chart[0]["y"], chart[1]["y"], strict=True)] == [
        q["customers"] for q in quadrants["quadrants"]]
    for q in quadrants["quadrants"]:
        assert t("voice_loyalty_cell", n=f"{q['customers']:,}",
                 share=t.percent(q["share"] or 0)) in html
    assert t("voice_loyalty_sat_high") in html
    assert "Jones &amp; Sasser" in html or "Jones & Sasser" in html
    # a viewer is told the defector list is for analysts, and gets no link to it
    assert t("voice_loyalty_for_analysts") in html
    assert "/voice/high-value-defectors." not in html
