"""The voice of the customer's and service recovery's method texts have one definition
(:mod:`valuecrm.i18n.voice`, :mod:`valuecrm.i18n.service`): the dashboard shows each beside
its figure, the report joins them into its method notes, in both languages."""

from __future__ import annotations

import pytest

from valuecrm.i18n.service import SERVICE_METHODS, SERVICE_NAMES
from valuecrm.i18n.voice import REPORT_VOICE_METHOD, VOICE_CONSTRUCTS, VOICE_METHODS
from valuecrm.interfaces.web.i18n import TEXT as PAGE
from valuecrm.report.words import TEXT as REPORT


@pytest.mark.parametrize("lang", [0, 1], ids=["en", "zh-CN"])
def test_the_page_and_the_report_show_the_same_voice_methods(lang):
    for key, text in VOICE_METHODS.items():
        assert PAGE[key][lang].startswith(text[lang]), key  # the NPS note adds its source
    report = REPORT["voice_method"][lang]
    for key in REPORT_VOICE_METHOD:
        assert VOICE_METHODS[key][lang] in report, key
    for key, name in VOICE_CONSTRUCTS.items():
        assert PAGE[key] == REPORT[key] == name


@pytest.mark.parametrize("lang", [0, 1], ids=["en", "zh-CN"])
def test_the_page_and_the_report_show_the_same_service_methods(lang):
    page = " ".join(PAGE[k][lang] for k in ("svc_justice_note", "svc_retention_note",
                                            "svc_paradox_method", "svc_funnel_note",
                                            "svc_complaint_stages_note"))
    report = REPORT["svc_recovery_method"][lang] + REPORT["svc_journey_method"][lang]
    for key, text in SERVICE_METHODS.items():
        assert text[lang] in page and text[lang] in report, key
    for key, name in SERVICE_NAMES.items():
        assert PAGE[key] == REPORT[key] == name
