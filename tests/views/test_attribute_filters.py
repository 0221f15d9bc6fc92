"""Customer attributes filter the customer list: valuecrm.views.customers.customer_page's
``where`` (``valuecrm customers list --where``, ``GET /api/customer-values?where=``)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from tests.helpers.profiled import profiled_database
from valuecrm.errors import ParameterError
from valuecrm.views.customers import customer_page


def _ids(found) -> set[str]:
    return {row["customer_id"] for row in found["items"]}


def test_extra_and_fixed_attributes_filter_the_list(db):
    profiled_database(db)
    assert _ids(customer_page(db, where=["age=19-24"])) == {"c1", "c2", "c3"}
    both = customer_page(db, where=["age=19-24", "income_band=Under 15K"])
    assert (both["total"], _ids(both)) == (1, {"c1"})
    assert customer_page(db, where=["age=19-24"], segment="Champions")["total"] == 2
    assert customer_page(db, where=["age=99+"])["total"] == 0


def test_an_unknown_attribute_or_a_filter_without_value_is_refused(db):
    profiled_database(db)
    with pytest.raises(ParameterError, match="no customer attribute 'height'") as info:
        customer_page(db, where=["height=2"])
    assert "age" in info.value.hint
    with pytest.raises(ParameterError, match="ATTRIBUTE=VALUE"):
        customer_page(db, where=["age"])


def test_the_command_line_filters_with_where(db_path, monkeypatch, capsys):
    from valuecrm.store import connect

    with connect(db_path) as database:
        profiled_database(database)
    result = run(monkeypatch, capsys, "--db", str(db_path), "customers", "list", "--where",
                 "age=65+", "--json")
    assert result.code == 0, result.err
    assert {row["customer_id"] for row in json.loads(result.out)["items"]} == {"c4", "c5"}
    result = run(monkeypatch, capsys, "--db", str(db_path), "customers", "list", "--where",
                 "age")
    assert result.code == 2 and "--where must be ATTRIBUTE=VALUE" in result.err
