"""Ready model specifications: the ECSI and ACSI satisfaction indices.

Items follow the ECSI questionnaire's names, as in the mobi survey (Tenenhaus et al. 2005):
IMAG (image), CUEX (customer expectations), PERQ (perceived quality), PERV (perceived value),
CUSA (customer satisfaction), CUSCO (complaints), CUSL (loyalty). A survey that names its items
otherwise renames them with :meth:`Specification.with_items`.

- **ECSI** (European Customer Satisfaction Index; Eklöf & Westlund 2002, Total Quality
  Management 13(8); Tenenhaus et al. 2005, Computational Statistics & Data Analysis 48): 7
  constructs, 12 paths, Image as the exogenous driver.
- **ECSI, one question per construct** (:data:`SINGLE_ITEM_ECSI`): the ECSI paths without
  Complaints, on the question codes valuecrm stores (:data:`STORED_QUESTIONS`). A construct
  measured by one question has weight and loading 1: its score is the standardised answer, the
  paths are the standardised regressions of each construct on its predecessors (no measurement
  error is modelled, and alpha, rho and AVE are trivially 1), and its 0-100 index is the mean
  answer rescaled to 0-100.
- **ACSI** (American Customer Satisfaction Index; Fornell, Johnson, Anderson, Cha & Bryant 1996,
  Journal of Marketing 60(4)): 6 constructs (no Image), 9 paths, Expectation exogenous.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.voice.pls import PLSPathModel


@dataclass(frozen=True)
class Specification:
    """A named PLS path model: ``blocks`` (construct -> items) and ``paths``."""

    name: str
    blocks: dict[str, tuple[str, ...]]
    paths: tuple[tuple[str, str], ...]
    source: str

    def model(self, **options: Any) -> PLSPathModel:
        """A PLSPathModel of this specification (options: scheme, modes, scale, missing...)."""
        return PLSPathModel({c: list(i) for c, i in self.blocks.items()}, list(self.paths),
                            **options)

    def with_items(self, renames: Mapping[str, str]) -> Specification:
        """The same model with items renamed (old name -> the survey's column)."""
        unknown = [old for old in renames if not any(old in b for b in self.blocks.values())]
        if unknown:
            raise ParameterError(f"{self.name} has no item {unknown[0]!r} to rename.")
        blocks = {c: tuple(renames.get(i, i) for i in items) for c, items in self.blocks.items()}
        return Specification(self.name, blocks, self.paths, self.source)


def _items(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, count + 1))


_ACSI_PATHS = (
    ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
    ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty"),
)

ECSI = Specification(
    name="ECSI",
    blocks={"Image": _items("IMAG", 5), "Expectation": _items("CUEX", 3),
            "Quality": _items("PERQ", 7), "Value": _items("PERV", 2),
            "Satisfaction": _items("CUSA", 3), "Complaints": ("CUSCO",),
            "Loyalty": _items("CUSL", 3)},
    paths=(("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
           *_ACSI_PATHS),
    source="Tenenhaus, Esposito Vinzi, Chatelin & Lauro (2005), CSDA 48, 159-205",
)

ACSI = Specification(
    name="ACSI",
    blocks={c: items for c, items in ECSI.blocks.items() if c != "Image"},
    paths=_ACSI_PATHS,
    source="Fornell, Johnson, Anderson, Cha & Bryant (1996), Journal of Marketing 60(4)",
)

# the question codes valuecrm stores (``survey_responses.question``) -> the ECSI construct each
# measures; one question per construct
STORED_QUESTIONS = {"image": "Image", "expectations": "Expectation",
                    "perceived_quality": "Quality", "perceived_value": "Value",
                    "satisfaction": "Satisfaction", "loyalty": "Loyalty"}

SINGLE_ITEM_ECSI = Specification(
    name="ECSI, one question per construct",
    blocks={construct: (question,) for question, construct in STORED_QUESTIONS.items()},
    paths=tuple((a, b) for a, b in ECSI.paths if "Complaints" not in (a, b)),
    source="The ECSI structure of Tenenhaus et al. (2005) without the Complaints construct "
           "(no complaint question is asked); each construct measured by one question",
)

SPECIFICATIONS = {"ecsi": ECSI, "acsi": ACSI}
