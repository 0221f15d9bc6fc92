"""Shared fixtures: real DuckDB files in a temporary folder, the analysed CDNOW sample of the CLI
and report tests, the demo run, one local Spark session, and the ``backend`` fixture that runs a
portable test once per Ibis engine."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ibis
import pytest

from tests.helpers.analysed import AnalysedDatabases
from tests.helpers.data import CDNOW_AS_OF, CDNOW_EARLIER, small_database

os.environ.setdefault("VALUECRM_PROGRESS", "0")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.duckdb"


@pytest.fixture
def db(db_path: Path):
    from valuecrm.store import connect

    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """``valuecrm demo --json`` run once per session on the real CDNOW data: its folder (with
    ``demo.duckdb`` and ``report.html``) and the finished process. Tests that write to the
    database copy it first."""
    folder = tmp_path_factory.mktemp("demo")
    out = subprocess.run(
        [sys.executable, "-m", "valuecrm", "--db", str(folder / "demo.duckdb"), "demo",
         "--report", str(folder / "report.html"), "--json"],
        capture_output=True, text=True, cwd=folder, timeout=600,
    )
    return folder, out


@pytest.fixture(scope="session")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> AnalysedDatabases:
    """The one factory of analysed databases: ``analysed_db("cdnow_sample", "1998-06-30")``
    builds a database once per session and hands out its path (``copy_to=`` a folder, to write)."""
    return AnalysedDatabases(tmp_path_factory.mktemp("analysed"))


@pytest.fixture(scope="session")
def sample_db(analysed_db: AnalysedDatabases) -> Path:
    """The CDNOW sample with BG/NBD: snapshot 1 as of 1998-06-30 and snapshot 2 as of 1997-12-31
    (read it, don't write it)."""
    return analysed_db("cdnow_sample", CDNOW_AS_OF, CDNOW_EARLIER)


@pytest.fixture(scope="session")
def voice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated base of 600 customers (91 questionnaires in 12 quarterly surveys, question
    nps on 0-10 and the six standard questions on 1-10), analysed once (BG/NBD only): the
    voice of the customer tests read it (copy it to write)."""
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.store import connect
    from valuecrm.synthetic import generate

    path = tmp_path_factory.mktemp("voice") / "crm.duckdb"
    generate(600, db=path, seed=21)
    with connect(path) as database:
        analyze(database, config=AnalysisConfig(candidates=("BetaGeo",),
                                                min_selection_customers=10**9))
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A database made by 'valuecrm init': every table, no row, no snapshot."""
    from valuecrm.store import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def one_customer_db(tmp_path: Path) -> Path:
    """One customer with three orders, analysed (too few customers for a purchase model)."""
    from valuecrm.analysis import analyze

    path = tmp_path / "one.duckdb"
    rows = [("solo", "2024-01-05", 20.0), ("solo", "2024-03-01", 35.5),
            ("solo", "2024-06-30", 12.25)]
    with small_database(path, rows) as database:
        analyze(database)
    return path


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One local Spark session for the whole run: 2 cores, 2 shuffle partitions, no UI."""
    from pyspark.sql import SparkSession

    warehouse: Path = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("valuecrm-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With ``--dist loadgroup``: the tests of a module run on one worker, in order, so its
    module-scoped fixtures (servers, loaded databases) are built once; Spark tests share one
    worker, so Spark starts once per run."""
    for item in items:
        group = "spark" if item.get_closest_marker("spark") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


# Portable tests run once per engine: DuckDB always; PySpark (the session-wide ``spark_session``)
# on tests marked ``spark``. PySpark comes with ``pip install valuecrm[spark]`` (``scripts/test``
# installs it); without it, deselect these with ``-m "not spark"``.
BACKENDS = ["duckdb", pytest.param("pyspark", marks=pytest.mark.spark)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[ibis.BaseBackend]:
    """An Ibis connection to each engine: in-memory DuckDB, local PySpark."""
    if request.param == "duckdb":
        con = ibis.duckdb.connect()
        yield con
        con.disconnect()
    else:
        yield ibis.pyspark.connect(request.getfixturevalue("spark_session"))


@pytest.fixture(scope="session")
def acquired_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated base (600 customers, seed 3: signup channels, order lines, referrals)
    analysed once; read it, or copy it to write."""
    from tests.helpers.acquired import generated_analysed

    return generated_analysed(tmp_path_factory.mktemp("acquired") / "crm.duckdb")
