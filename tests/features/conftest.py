"""The ``backend`` fixture: portable feature tests run once per Ibis engine.

DuckDB always; PySpark (a local session started once per test session) on tests marked
``spark``. PySpark comes with ``pip install valuecrm[spark]`` (``scripts/test`` installs it);
without it, deselect these with ``-m "not spark"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis
import pytest

BACKENDS = ["duckdb", pytest.param("pyspark", marks=pytest.mark.spark)]


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


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[ibis.BaseBackend]:
    """An Ibis connection to each engine: in-memory DuckDB, local PySpark."""
    if request.param == "duckdb":
        con = ibis.duckdb.connect()
        yield con
        con.disconnect()
    else:
        yield ibis.pyspark.connect(request.getfixturevalue("spark_session"))
