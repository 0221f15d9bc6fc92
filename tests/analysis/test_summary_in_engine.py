"""The summary stays in the engine (issue 16, point 7): the models are fitted on the distinct
histories grouped by the engine with their counts, which are the rows, weights and order the
models made of the whole summary in pandas (the seeded samples included), so the estimates are
the same to the last digit; analyze brings no per-customer result bigger than a chunk of
customers to Python."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest

from tests.helpers.summaries import daily_summary
from valuecrm.analysis import AnalysisConfig, analyze, pipeline, read_snapshot
from valuecrm.analysis.predict import Scorer
from valuecrm.analysis.summary_rows import EngineSummary
from valuecrm.models import BetaGeo
from valuecrm.models.input_columns import grouped_columns
from valuecrm.store import connect


@pytest.fixture
def engine_summary() -> tuple[pd.DataFrame, EngineSummary]:
    summary = daily_summary()
    summary.insert(0, "customer_id", [f"C{i:05d}" for i in range(len(summary))])
    con = ibis.duckdb.connect()
    shuffled = con.create_table("summary", summary.sample(frac=1.0, random_state=1))
    tables: dict[str, Any] = {}

    def keep(name: str, table: Any) -> Any:
        tables[name] = con.create_table(name, table)
        return tables[name]

    def frame(name: str, data: pd.DataFrame) -> Any:
        return con.create_table(name, data)

    return summary, EngineSummary.of(shuffled, list(summary.columns), keep, frame)


@pytest.mark.parametrize("sample", [None, 700])
def test_grouped_rows_are_the_models_own_grouping(engine_summary, sample):
    summary, engine = engine_summary
    rows = summary if sample is None else summary.sample(sample, random_state=3)
    expected = grouped_columns(rows, ["frequency", "recency", "T"], "test", True)
    got = engine.grouped(["frequency", "recency", "T"], sample=sample, seed=3)
    for name in ("frequency", "recency", "T", "weights"):
        np.testing.assert_array_equal(got[name].to_numpy(dtype=float), expected[name])
    assert (engine.customers, engine.repeat_buyers) == (
        len(summary), int((summary["n_purchases"] > 1).sum()))


def test_the_fits_on_grouped_rows_are_the_fits_on_the_summary(engine_summary):
    summary, engine = engine_summary
    config = AnalysisConfig(fit_sample=1_000)
    whole = Scorer.fit(summary, BetaGeo, "", margin_ratio=0.3, config=config).prediction()
    histories = engine.grouped(["frequency", "recency", "T"], sample=1_000, seed=config.seed)
    spend = engine.grouped(["frequency", "monetary_value"], sample=1_000, seed=config.seed,
                           where=lambda t: (t.frequency > 0) & (t.monetary_value > 0))
    histories["recency"] = histories["recency"] / 7.0
    histories["T"] = histories["T"] / 7.0
    grouped = Scorer.fit_rows(histories, spend, len(summary), BetaGeo, "", margin_ratio=0.3,
                              config=config).prediction()
    assert grouped.parameters == whole.parameters  # every digit, the intervals included
    assert grouped.reason == whole.reason and "1,000 of 2,357" in whole.reason


def test_analyze_brings_no_whole_summary_to_python(synthetic, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from ibis.backends.duckdb import Backend

    path = tmp_path / "copy.duckdb"
    shutil.copyfile(synthetic.path, path)
    sizes: list[int] = []
    for name in ("execute", "to_pyarrow"):
        original = getattr(Backend, name)

        def counted(self: Any, expr: Any, *args: Any, _original: Any = original,
                    **kwargs: Any) -> Any:
            result = _original(self, expr, *args, **kwargs)
            if "customer_id" in getattr(expr, "columns", ()):
                sizes.append(len(result))
            return result

        monkeypatch.setattr(Backend, name, counted)
    monkeypatch.setattr(pipeline, "SCORE_CHUNK", 1_500)
    with connect(path) as database:
        snapshot = analyze(database, config=AnalysisConfig(
            candidates=("BetaGeo", "ModifiedBetaGeo"), selection_sample=1_000))
        monkeypatch.undo()
        rows = read_snapshot(database, snapshot.snapshot_id).to_pandas()
    # chunks of 1,500 customers, the 1,000 of the model choice's sample and their purchases
    # in the holdout period (about 3,000 rows): never the summary of the 10,000 customers
    assert sizes.count(1_500) == len(synthetic.rows) // 1_500
    assert max(sizes) < len(synthetic.rows) / 2, sizes
    assert len(rows) == len(synthetic.rows)
