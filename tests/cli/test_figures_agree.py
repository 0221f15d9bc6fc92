"""One definition per figure: on one analysed database, the CLI's ``kpis --json``, the API's
``GET /api/kpis``, the dashboard's overview and the HTML report show the same number of active
customers (status new, active or at risk) and the same customer equity."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.helpers.cli import run
from tests.helpers.servers import ApiData, start_server


def first_active(document: Any) -> int | None:
    """The first integer under a key naming active customers, depth first (what a script
    reading the JSON, or the acceptance check, finds)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("active", "active_customers") and isinstance(value, int):
                return value
        children = list(document.values())
    elif isinstance(document, list):
        children = document
    else:
        return None
    for child in children:
        found = first_active(child)
        if found is not None:
            return found
    return None


@pytest.fixture
def analysed(sample_db: Path, tmp_path: Path) -> ApiData:
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    path = tmp_path / "figures.duckdb"
    shutil.copy(sample_db, path)
    with connect(path) as database:
        token = add_user(database.raw, "figures-admin", "admin")[1]
    return ApiData(path, {"admin": token})


def test_active_customers_and_equity_are_one_figure_everywhere(monkeypatch, capsys, tmp_path,
                                                               analysed):
    with duckdb.connect(str(analysed.path), read_only=True) as con:
        active, equity = con.execute(
            "SELECT count(*) FILTER (WHERE status IN ('new', 'active', 'at risk')), sum(clv) "
            "FROM customer_value WHERE snapshot_id = (SELECT snapshot_id FROM "
            "snapshots ORDER BY as_of DESC LIMIT 1)").fetchone()
    assert active > 0

    cli = run(monkeypatch, capsys, "--db", str(analysed.path), "kpis", "--json")
    assert cli.code == 0, cli.err
    cli_kpis = json.loads(cli.out)
    report_path = tmp_path / "report.html"
    done = run(monkeypatch, capsys, "--db", str(analysed.path), "report", "--out",
               str(report_path))
    assert done.code == 0, done.err
    report = report_path.read_text(encoding="utf-8")

    (tmp_path / "served").mkdir()
    started = start_server(analysed, tmp_path / "served")
    server = next(started)
    try:
        api_kpis = server.client("admin").get("/api/kpis").json()
        web = server.client()
        web.follow_redirects = True
        login = web.post("/login", data={"token": analysed.tokens["admin"], "next": "/overview"})
        assert login.status_code == 200, login.text
        overview = web.get("/overview", params={"lang": "en"}).text
    finally:
        started.close()

    assert first_active(cli_kpis) == first_active(api_kpis) == active
    assert cli_kpis["figures"]["active_customers"] == api_kpis["figures"]["active_customers"]
    assert cli_kpis["figures"]["customer_equity"] == pytest.approx(equity)
    assert api_kpis["figures"]["customer_equity"] == pytest.approx(equity)
    assert "new, active or at risk" in api_kpis["methods"]["active_customers"]

    kpi = re.compile(r"<span>([^<]+)</span><strong>([^<]+)</strong>")
    shown = {label.strip(): value for label, value in kpi.findall(overview)}
    assert shown["Active customers"] == f"{active:,}", shown
    assert shown["Customer equity (CLV)"] == f"{equity:,.0f}", shown
    assert re.search(rf"{active:,}</div><div class=\"label\">active customers", report)
    assert f"{equity:,.0f}</div><div class=\"label\">customer equity" in report
