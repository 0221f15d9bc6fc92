"""The two languages of what valuecrm shows people: English and 简体中文 (Simplified Chinese).

:class:`Words` is one language's view of a catalogue (key -> (English, 简体中文)), with the
names of the customer value table's labels (segments, statuses, stages... from
:mod:`valuecrm.segments.rfm_names` and :mod:`valuecrm.segments.value_table_names`) and the
formats of numbers (``1,234.5``, thousands separated in both languages) and dates
(``Jan 5, 2024`` or ``2024年1月5日``). The dashboard (:mod:`valuecrm.interfaces.web.i18n`) and
the report (:mod:`valuecrm.report.words`) each bind their own catalogue to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from valuecrm.errors import ParameterError
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
from valuecrm.segments.value_table_names import VALUE_LABELS

LANGUAGES = ("en", "zh-CN")
LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _label_names() -> dict[str, str]:
    names = {s.name_en: s.name_zh for s in SEGMENTS}
    for labels in VALUE_LABELS.values():
        names.update({x.name_en: x.name_zh for x in labels})
    names.update({c.name_en: c.name_zh for c in RFM_CLASSES})
    return names


LABELS_ZH = _label_names()


def check_language(lang: str, owner: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a ParameterError naming ``owner``."""
    if lang not in LANGUAGES:
        raise ParameterError.of("lang", owner, "one of " + ", ".join(LANGUAGES), lang)
    return lang


@dataclass(frozen=True)
class Words:
    """Labels and formats of one language (``en`` or ``zh-CN``) over ``catalogue``."""

    lang: str
    catalogue: ClassVar[Mapping[str, tuple[str, str]]] = {}

    @property
    def zh(self) -> bool:
        return self.lang == "zh-CN"

    def __call__(self, key: str, **values: Any) -> str:
        english, chinese = self.catalogue[key]
        text = chinese if self.zh else english
        return text.format(**values) if values else text

    def label(self, value: Any) -> str:
        """A value of a label column (segment, status, stage...) in this language."""
        if value is None:
            return "–"
        text = str(value)
        if not self.zh:
            return text[:1].upper() + text[1:] if text.islower() else text
        return LABELS_ZH.get(text, text)

    def number(self, value: Any, digits: int = 0) -> str:
        """``1,234.5``: thousands separated by commas (the same in both languages)."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        return f"{float(value):,.{digits}f}"

    def percent(self, value: Any, digits: int = 1) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        return f"{100 * float(value):.{digits}f}%"

    def date(self, value: Any) -> str:
        """``Jan 5, 2024`` or ``2024年1月5日``."""
        if value is None:
            return "–"
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = value.date()
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime().date()
        if self.zh:
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def paragraphs(*texts: tuple[str, str]) -> tuple[str, str]:
    """Catalogue entries (English, 简体中文) as one text of paragraphs (a blank line between
    them; the report shows each as its own paragraph)."""
    return "\n\n".join(t[0] for t in texts), "\n\n".join(t[1] for t in texts)


def joined(*texts: tuple[str, str]) -> tuple[str, str]:
    """Catalogue entries (English, 简体中文) as one: English sentences joined by a space,
    Chinese ones run together (as Chinese is written)."""
    return " ".join(t[0] for t in texts), "".join(t[1] for t in texts)
