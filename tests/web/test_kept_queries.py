"""Page aggregates kept per snapshot: answered again without the database, and recomputed as
soon as a snapshot is added or replaced (an analysis job, or ``valuecrm analyze``)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.helpers.servers import ApiData
from valuecrm.interfaces.web import queries


@pytest.fixture(scope="module")
def analysed(web_data: ApiData, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the dashboard tests' analysed database (two snapshots), open for writing."""
    from valuecrm.analysis import AnalysisConfig, list_snapshots
    from valuecrm.store import connect

    path = tmp_path_factory.mktemp("kept") / "crm.duckdb"
    shutil.copy(web_data.path, path)
    database = connect(path)
    yield database, list_snapshots(database)[-1], AnalysisConfig(candidates=("BetaGeo",))
    database.close()


def direct_equity(cur, snapshot_id: int) -> float:
    return cur.execute("SELECT sum(clv) FROM customer_value WHERE snapshot_id = ?",
                       [snapshot_id]).fetchone()[0]


def test_kept_until_a_snapshot_is_replaced_or_added(analysed):
    from valuecrm.analysis import analyze

    database, snapshot, config = analysed
    cur = database.raw.cursor()
    sid = snapshot.snapshot_id
    first = queries.headline(cur, sid)
    assert first["customer_equity"] == pytest.approx(direct_equity(cur, sid))
    assert queries.headline(cur, sid) == first  # kept: not computed again

    replaced = analyze(database, as_of=snapshot.as_of, config=config.replace(horizon_months=36))
    assert replaced.snapshot_id == sid  # same as-of date: replaced in place
    again = queries.headline(cur, sid)
    assert again is not first
    assert again["customer_equity"] == pytest.approx(direct_equity(cur, sid))
    assert again["customer_equity"] > first["customer_equity"] * 1.5  # three years of CLV, not one

    trends = queries.trends(cur)
    earlier = analyze(database, as_of=snapshot.as_of - dt.timedelta(days=90), config=config)
    assert earlier.snapshot_id != sid
    assert len(queries.trends(cur)) == len(trends) + 1
    cur.close()


def test_page_answers_and_view_answers_never_share_a_key(analysed):
    """The dashboard's ``headline`` and the read layer's ``headline`` keep different answers
    in the one cache: asking one first does not hand its answer to the other."""
    from valuecrm import views

    database, snapshot, _ = analysed
    cur = database.raw.cursor()
    page = queries.headline(cur, snapshot.snapshot_id)
    assert views.headline(database, snapshot.snapshot_id)["customers"] == page["customers"] > 0
    cur.close()


def test_a_caller_that_changes_its_answer_leaves_the_kept_one_alone(analysed):
    """An interface masks the rows of a kept list for a viewer: the next caller (an analyst)
    still gets the names."""
    from valuecrm import views

    database, snapshot, _ = analysed
    first = views.action_list(database, "winback", snapshot=snapshot.snapshot_id, top=5)
    names = [row.get("name") for row in first["customers"]]
    first["customers"] = [{**row, "name": "***"} for row in first["customers"]]
    first["customers"].clear()
    again = views.action_list(database, "winback", snapshot=snapshot.snapshot_id, top=5)
    assert [row.get("name") for row in again["customers"]] == names and names
