"""generate(): determinism, CSV output, loading into a database, the CLI, and bad input."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

import valuecrm
from valuecrm.errors import ParameterError
from valuecrm.interfaces.cli import app
from valuecrm.store import connect
from valuecrm.store.schema import TABLES
from valuecrm.synthetic import GeneratorConfig, generate
from valuecrm.synthetic.writer import arrow_schema


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


def test_same_seed_same_files(tmp_path):
    first = generate(400, out=tmp_path / "a", seed=11, chunk_size=150)
    generate(400, out=tmp_path / "b", seed=11, chunk_size=150)
    generate(400, out=tmp_path / "c", seed=12, chunk_size=150)
    a, b, c = (_digests(tmp_path / x) for x in "abc")
    assert a == b
    assert len(a) == len(TABLES) + 2
    assert a["orders.parquet"] != c["orders.parquet"]
    assert a["truth.parquet"] != c["truth.parquet"]
    assert first.counts["customers"] == 400


def test_csv_output_has_the_schema_columns(tmp_path):
    result = generate(200, out=tmp_path, seed=1, format="csv")
    for name in TABLES:
        path = result.paths[name]
        assert path.suffix == ".csv"
        table = pacsv.read_csv(path)
        assert table.column_names == TABLES[name].column_names
        assert table.num_rows == result.counts[name]
    assert result.truth_path.name == "truth.parquet"


def test_public_names():
    assert valuecrm.generate is generate
    assert valuecrm.GeneratorConfig is GeneratorConfig


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="n_customers"):
        generate(0, out=tmp_path)
    with pytest.raises(ParameterError, match="end"):
        generate(10, out=tmp_path, end=date.today() + timedelta(days=1))
    with pytest.raises(ParameterError, match="format"):
        generate(10, out=tmp_path, format="xlsx")
    with pytest.raises(ParameterError, match="Nowhere"):
        generate(10)
    with pytest.raises(ParameterError, match="start"):
        generate(10, out=tmp_path, start="2025-12-31", end="2025-12-31")
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        generate(10, out=tmp_path, start="31/12/2024")


def test_short_window_without_campaigns(tmp_path):
    cfg = GeneratorConfig(campaign_lifts=())
    result = generate(100, out=tmp_path, start="2025-11-01", end="2025-11-30", config=cfg)
    assert result.counts["campaigns"] == 0 and result.counts["campaign_members"] == 0
    assert result.counts["orders"] >= 100


def test_loads_into_a_database(tmp_path, db_path):
    result = generate(150, db=db_path, seed=2)
    assert result.database == str(db_path)
    assert result.truth_path == Path(str(db_path) + ".truth") / "truth.parquet"
    assert result.truth_path.exists() and result.paths == {}
    with connect(db_path, read_only=True) as database:
        assert database.counts() == result.counts


def test_cli_generate_writes_files(tmp_path):
    out = tmp_path / "gen"
    run = CliRunner().invoke(app, ["generate", "--customers", "500", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "orders" in run.output and "truth.parquet" in run.output
    for name in TABLES:
        assert (out / f"{name}.parquet").exists()
    assert (out / "truth.json").exists()


def test_cli_generate_json_passes_an_explicit_db(tmp_path, monkeypatch):
    """--db on the command line is handed to generate (loading itself is tested above)."""
    import valuecrm.synthetic as synthetic

    seen = {}

    def spy(n, **kwargs):
        seen.update(kwargs)
        return generate(n, **{**kwargs, "db": None})

    monkeypatch.setattr(synthetic, "generate", spy)
    db = tmp_path / "crm.duckdb"
    run = CliRunner().invoke(app, ["--db", str(db), "generate", "--customers", "100",
                                   "--out", str(tmp_path / "o"), "--json", "--seed", "4"])
    assert run.exit_code == 0, run.output
    assert seen["db"] == str(db) and seen["seed"] == 4
    payload = json.loads(run.output)
    assert payload["counts"]["customers"] == 100
    assert Path(payload["truth_path"]).exists()


def test_cli_generate_ignores_the_environment_database(tmp_path, monkeypatch):
    """$VALUECRM_DB does not make generate load: only an explicit --db does."""
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("VALUECRM_DB", str(db))
    run = CliRunner().invoke(app, ["generate", "--customers", "50", "--out",
                                   str(tmp_path / "o")])
    assert run.exit_code == 0, run.output
    assert not db.exists()


def test_cli_generate_needs_a_destination(tmp_path):
    from valuecrm.interfaces.context import exit_code_for

    run = CliRunner().invoke(app, ["generate", "--customers", "50"])
    assert isinstance(run.exception, ParameterError)
    assert exit_code_for(run.exception) == 2


def test_arrow_schema_matches_declarations():
    for name, table in TABLES.items():
        schema = arrow_schema(name)
        assert schema.names == table.column_names
        assert [not f.nullable for f in schema] == [c.required for c in table.columns]
