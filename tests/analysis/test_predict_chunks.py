"""Customers are scored a chunk at a time (bounded memory at any size, issue 16 point 7), and
the scores of a chunk equal those of the whole base, bit for bit."""

from __future__ import annotations

import shutil
from pathlib import Path

import ibis
import pandas as pd
import pytest

import valuecrm
from tests.helpers.summaries import daily_summary
from valuecrm.analysis import AnalysisConfig, analyze, pipeline, read_snapshot
from valuecrm.analysis.predict import Scorer, predict
from valuecrm.models import BetaGeo, ParetoNBD
from valuecrm.store import connect


@pytest.mark.parametrize("model_class", [BetaGeo, ParetoNBD])
def test_scores_of_chunks_equal_the_scores_of_the_whole_base(model_class: type) -> None:
    summary = daily_summary()
    config = AnalysisConfig()
    whole = predict(summary, model_class, "", margin_ratio=0.3, config=config)
    scorer = Scorer.fit(summary, model_class, "", margin_ratio=0.3, config=config)
    chunks = list(scorer.chunks(summary, rows=500))
    assert [len(c) for c in chunks] == [500, 500, 500, 500, 357]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole.scores,
                                  check_exact=True)
    chunked = scorer.prediction()
    assert (chunked.parameters, chunked.reason, chunked.interval_method, chunked.warnings) == (
        whole.parameters, whole.reason, whole.interval_method, whole.warnings)


def test_analyze_stores_the_scores_chunk_by_chunk_and_the_snapshot_is_the_same(
        synthetic: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(synthetic.path, path)
    sizes: list[int] = []
    real = pipeline.TempTables.frames

    def spy(self: object, name: str, chunks: object) -> object:
        def counted():
            for chunk in chunks:
                sizes.append(len(chunk))
                yield chunk

        return real(self, name, counted())

    monkeypatch.setattr(pipeline, "SCORE_CHUNK", 1_500)
    monkeypatch.setattr(pipeline.TempTables, "frames", spy)
    with connect(path) as database:
        snapshot = analyze(database, config=AnalysisConfig(
            candidates=("BetaGeo", "ModifiedBetaGeo")))
        rows = read_snapshot(database, snapshot.snapshot_id).to_pandas()
    customers = len(synthetic.rows)
    assert max(sizes) == 1_500 and sum(sizes) == customers and len(sizes) == -(-customers // 1500)
    key = "customer_id"
    pd.testing.assert_frame_equal(
        rows.drop(columns="snapshot_id").sort_values(key).reset_index(drop=True),
        synthetic.rows.drop(columns="snapshot_id").sort_values(key).reset_index(drop=True),
        check_exact=True)


def test_on_another_engine_the_chunks_are_inserted_into_one_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through ``connect_ibis`` (the path of Spark and every other engine): several chunks,
    the same value table as DuckDB's own path in one chunk."""
    path = tmp_path / "crm.duckdb"
    valuecrm.generate(150, db=path, seed=11)
    files = tmp_path / "tables"
    files.mkdir()
    with connect(path) as database:
        expected = read_snapshot(database, analyze(database).snapshot_id).to_pandas()
        for name in valuecrm.store.TABLES:
            database.raw.execute(f"COPY \"{name}\" TO '{files / name}.parquet' (FORMAT parquet)")
    con = ibis.duckdb.connect()
    for name in valuecrm.store.TABLES:
        con.create_table(name, con.read_parquet(str(files / f"{name}.parquet")))
    monkeypatch.setattr(pipeline, "SCORE_CHUNK", 40)
    inserted: list[str] = []
    real = con.insert
    monkeypatch.setattr(con, "insert", lambda name, obj, **kw: (inserted.append(name),
                                                                real(name, obj, **kw))[1])
    db = valuecrm.connect_ibis(con)
    got = read_snapshot(db, analyze(db).snapshot_id).to_pandas()
    assert len(inserted) >= 3 and len(set(inserted)) == 1 + ("customer_value" in inserted)
    key = "customer_id"
    pd.testing.assert_frame_equal(
        got.drop(columns="snapshot_id").sort_values(key).reset_index(drop=True),
        expected.drop(columns="snapshot_id").sort_values(key).reset_index(drop=True),
        check_dtype=False, rtol=1e-12)
