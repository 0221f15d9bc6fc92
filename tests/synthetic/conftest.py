"""One small generated database shared by the synthetic tests (2,000 customers, Parquet)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from valuecrm.store.schema import TABLES
from valuecrm.synthetic import GenerationResult, generate

N_CUSTOMERS = 2_000


@dataclass
class Generated:
    result: GenerationResult
    arrow: dict[str, Any]        # table -> pyarrow.Table
    frames: dict[str, pd.DataFrame]
    truth: pd.DataFrame
    truth_json: dict[str, Any]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out: Path = tmp_path_factory.mktemp("synthetic")
    # small chunks, so that identifiers and references across chunks are exercised
    result = generate(N_CUSTOMERS, out=out, seed=7, chunk_size=700)
    arrow = {name: pq.read_table(result.paths[name]) for name in TABLES}
    frames = {name: table.to_pandas() for name, table in arrow.items()}
    truth = pd.read_parquet(result.truth_path)
    return Generated(result, arrow, frames, truth,
                     json.loads(result.truth_json_path.read_text(encoding="utf-8")))
