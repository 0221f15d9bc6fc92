"""The report tests read the analysed CDNOW sample of the CLI tests."""

from tests.cli.conftest import empty_db, one_customer_db, sample_db  # noqa: F401
