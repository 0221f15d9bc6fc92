"""The mobi ECSI survey (tests/data/mobi, GPL-3, see its NOTICE.md) and its fitted model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.surveys import MOBI


@pytest.fixture(scope="session")
def mobi() -> pd.DataFrame:
    return pd.read_csv(MOBI)


@pytest.fixture(scope="session")
def ecsi(mobi):
    from valuecrm.voice import ECSI

    return ECSI.model().fit(mobi)


@dataclass
class Surveyed:
    """A generated database with every customer surveyed (planted CPV weights and satisfaction
    drivers in ``truth_json``), analysed once: ``path``, ``truth`` (one row per customer)."""

    path: Path
    truth: pd.DataFrame
    truth_json: dict


@pytest.fixture(scope="session")
def surveyed(tmp_path_factory: pytest.TempPathFactory) -> Surveyed:
    from valuecrm.analysis import analyze
    from valuecrm.store import connect
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("surveyed") / "crm.duckdb"
    result = generate(2500, db=path, seed=5, survey_share=1.0)
    with connect(path) as database:
        analyze(database)
    return Surveyed(path, pd.read_parquet(result.truth_path),
                    json.loads(result.truth_json_path.read_text(encoding="utf-8")))
