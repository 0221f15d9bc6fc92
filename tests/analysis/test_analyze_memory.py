"""analyze bounds the engine's memory: DuckDB capped for the run, intermediate tables freed."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from valuecrm.analysis import AnalysisConfig, analyze, pipeline
from valuecrm.store import connect
from valuecrm.store.memory import ANALYZE_MEMORY_LIMIT, memory_capped, size_bytes


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_analyze_caps_duckdb_memory_and_drops_the_order_rows_before_the_labels(
        synthetic: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(synthetic.path, path)
    seen: dict[str, object] = {}
    real = pipeline.Scorer.fit_rows  # the models are refitted: the engine's work so far is done
    with connect(path) as database:
        def spy(*args: object, **kwargs: object) -> object:
            seen["limit"] = _limit(database.raw)
            seen["temp"] = [name for (name,) in database.raw.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()]
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline.Scorer, "fit_rows", spy)
        before = _limit(database.raw)
        analyze(database, config=AnalysisConfig(candidates=("BetaGeo", "ModifiedBetaGeo")))
        assert _limit(database.raw) == before
    assert size_bytes(str(seen["limit"])) <= size_bytes(ANALYZE_MEMORY_LIMIT)
    assert size_bytes(before) > size_bytes(ANALYZE_MEMORY_LIMIT)
    temp = seen["temp"]
    assert any(name.endswith("_history") for name in temp)
    assert not [name for name in temp if name.endswith(("_rows", "_summary", "_value"))]


def test_a_lower_limit_is_kept_and_restored() -> None:
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    low = _limit(con)
    with memory_capped(con, "1500MB"):
        assert _limit(con) == low
    assert _limit(con) == low
    con.execute("RESET memory_limit")
    default = _limit(con)
    with memory_capped(con, "1500MB"):
        assert size_bytes(_limit(con)) <= 1.5e9
    assert _limit(con) == default


def test_the_cap_is_a_setting_of_analyze_and_its_command(tmp_path, monkeypatch, capsys):
    """``analyze(memory_limit=...)`` and ``--memory-limit`` set the cap for the run; a
    nonsense size is refused in the words of the interface, before anything is written."""
    import pytest

    import valuecrm
    from tests.helpers.cli import run
    from valuecrm.errors import ParameterError

    path = tmp_path / "crm.duckdb"
    valuecrm.generate(60, db=path, seed=3)
    seen: list[str] = []
    real = memory_capped

    def spy(con, size, hint=None):
        seen.append(size)
        return real(con, size, hint)

    monkeypatch.setattr("valuecrm.analysis.pipeline.memory_capped", spy)
    with valuecrm.connect(path) as db:
        with pytest.raises(ParameterError, match="memory_limit"):
            valuecrm.analyze(db, memory_limit="lots")
        assert valuecrm.list_snapshots(db) == []
        valuecrm.analyze(db, memory_limit="256mb")
    assert seen == ["256MB"]
    refused = run(monkeypatch, capsys, "--db", str(path), "analyze", "--memory-limit", "1 cup")
    assert refused.code != 0 and "--memory-limit must be a size" in refused.err
    done = run(monkeypatch, capsys, "--db", str(path), "analyze", "--memory-limit", "2GB")
    assert done.code == 0, done.err
    assert seen == ["256MB", "2GB"]


def test_running_out_of_the_cap_is_a_clear_error(tmp_path, monkeypatch):
    """DuckDB running out of the analysis' memory becomes a DatabaseError that names the cap
    and says how to raise it."""
    import duckdb
    import pytest

    import valuecrm
    from valuecrm.errors import DatabaseError

    path = tmp_path / "crm.duckdb"
    valuecrm.generate(40, db=path, seed=5)

    def full(*args, **kwargs):
        raise duckdb.OutOfMemoryException("failed to pin block of size 256.0 KiB")

    monkeypatch.setattr("valuecrm.analysis.pipeline.customer_history", full)
    with valuecrm.connect(path) as db, pytest.raises(DatabaseError) as refused:
        valuecrm.analyze(db, memory_limit="300MB")
    assert "(300MB)" in refused.value.message and "--memory-limit" in refused.value.hint
