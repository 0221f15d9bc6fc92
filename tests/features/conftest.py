"""The ``backend`` fixture: portable feature tests run once per Ibis engine.

DuckDB always; PySpark (the session-wide ``spark_session`` of tests/conftest.py) on tests marked
``spark``. PySpark comes with ``pip install valuecrm[spark]`` (``scripts/test`` installs it);
without it, deselect these with ``-m "not spark"``.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import pytest

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
