"""``valuecrm report``: one self-contained HTML file of a snapshot, every section with its
method and source."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers.cli import run
from tests.helpers.data import CDNOW_AS_OF as AS_OF
from tests.helpers.data import CDNOW_EARLIER as EARLIER

SECTIONS = ("Customer base", "RFM segments", "Customer lifetime value",
            "Customer value table: status, lifecycle, value matrix, pyramid",
            "Action lists: retention and win-back", "Which purchase model to trust",
            "Model parameters")


@pytest.fixture(scope="module")
def latest(sample_db, tmp_path_factory) -> str:
    from valuecrm.report.builder import build_report
    from valuecrm.store import connect

    with connect(sample_db, read_only=True) as database:
        report = build_report(database)
    return report.write(tmp_path_factory.mktemp("report") / "latest.html").read_text("utf-8")


def test_every_page_with_its_method_and_source(latest):
    sections = re.findall(r"<section id=\"s\d+\">(.*?)</section>", latest, flags=re.S)
    titles = [re.search(r"<h2>(.*?)</h2>", s).group(1) for s in sections]
    assert titles == list(SECTIONS)
    for section in sections:
        assert "<b>Method:</b>" in section and "<b>Source:</b>" in section
    assert f"as of {AS_OF} (2,357 customers)" in latest
    assert "BG/NBD" in latest and "Gamma-Gamma" in latest and "Champions" in latest


def test_every_prediction_and_parameter_with_its_interval_and_method(latest, sample_db):
    """The most valuable customers show the intervals of P(alive), expected purchases and CLV
    (the snapshot's delta-method bounds); the parameters their stored profile-likelihood
    bounds, and the method says so."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.store import connect

    for column in ("P(alive) 90% interval", "expected purchases 90% interval",
                   "CLV 90% interval"):
        assert f"<th>{column}</th>" in latest, column
    with connect(sample_db, read_only=True) as database:
        snapshot = get_snapshot(database, None)
        top = database.raw.execute(
            "SELECT p_alive_lower, p_alive_upper, expected_purchases_lower, "
            "expected_purchases_upper FROM customer_value WHERE snapshot_id = ? "
            "ORDER BY clv DESC NULLS LAST LIMIT 1", [snapshot.snapshot_id]).fetchone()
    assert f"{top[0]:,.2f} to {top[1]:,.2f}" in latest
    assert f"{top[2]:,.2f} to {top[3]:,.2f}" in latest
    assert "95% profile-likelihood intervals" in latest
    assert "(deviance &lt;= 3.84; Venzon &amp; Moolgavkar 1988)" in latest
    fit = snapshot.parameters[snapshot.model]
    lower = fit["intervals"]["r"][0]
    assert 0 < lower < fit["params"]["r"] and f"{lower:.4g}"[:4] in latest


def test_opens_offline(latest):
    assert "<script src=" not in latest and "<link " not in latest
    assert latest.count("Plotly.newPlot") >= 9  # orders, status, R x F, CLV, 4 groups, models


def test_models_page_tracks_cumulative_repeat_purchases(latest, sample_db):
    from valuecrm.analysis import get_snapshot
    from valuecrm.analysis.tracking import cumulative_tracking
    from valuecrm.store import connect

    with connect(sample_db, read_only=True) as database:
        tracking = cumulative_tracking(database.raw, get_snapshot(database, None))
    assert tracking is not None and tracking["customers"] > 0
    # every actual repeat purchase of the calibration customers is counted, none twice
    assert tracking["actual"] == sorted(tracking["actual"]) and tracking["actual"][-1] > 0
    assert abs(tracking["expected"][-1] / tracking["actual"][-1] - 1) < 0.25
    assert "Cumulative repeat purchases: actual and expected" in latest
    assert f"refitted on the {tracking['customers']:,} customers" in latest


def test_figures_match_the_snapshot(latest, sample_db):
    import duckdb

    with duckdb.connect(str(sample_db), read_only=True) as con:
        equity, active = con.execute(
            "SELECT sum(clv), count(*) FILTER (WHERE status IN ('new', 'active', 'at risk')) "
            "FROM customer_value WHERE snapshot_id = 1").fetchone()
    assert f"{equity:,.0f}" in latest
    assert re.search(rf"{active:,}</div><div class=\"label\">active customers", latest)


def test_action_lists_match_the_lists_and_keep_contacts_out(latest, sample_db):
    from valuecrm.actions import retention_list, winback_list
    from valuecrm.store import connect

    with connect(sample_db, read_only=True) as database:
        retention, winback = retention_list(database), winback_list(database)
    assert len(retention) > 15 and len(winback) > 15
    section = re.search(r"<h2>Action lists: retention and win-back</h2>(.*?)</section>", latest,
                        flags=re.S).group(1)
    for label, value in (("customers to retain", f"{len(retention):,}"),
                         ("value at risk", f"{retention['value_at_risk'].sum():,.0f}"),
                         ("customers to win back", f"{len(winback):,}"),
                         ("expected value won back", f"{winback['score'].sum():,.0f}")):
        assert re.search(rf"{value}</div><div class=\"label\">{label}<", section), label
    # the first rows of each list, in its order; reasons and the chance's method are named
    for frame, caption in ((retention, "Retention list: the first"),
                           (winback, "Win-back list: the first")):
        table = re.search(rf"{caption} 15 of [\d,]+</p>(.*?)</table>", section,
                          flags=re.S).group(1)
        shown = re.findall(r"<tr>\s*<td>(.*?)</td>", table)
        assert shown == frame["customer_id"].head(15).tolist()
    assert "by likely reason" in section and winback.attrs["chance_method"] in section
    # names, e-mails and phones stay out of the report (the exports have them)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", section)


def test_command_writes_the_chosen_snapshot(monkeypatch, capsys, sample_db, tmp_path):
    out = tmp_path / "earlier.html"
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", "--out", str(out),
                 "--snapshot", EARLIER, "--json")
    assert result.code == 0, result.err
    written = json.loads(result.out)
    assert written["html"] == str(out.resolve()) and written["sections"] == list(SECTIONS)
    assert "pdf" not in written
    assert f"Snapshot 2 of the customer value table, as of {EARLIER}" in out.read_text("utf-8")


def test_one_customer_without_a_model(monkeypatch, capsys, one_customer_db, tmp_path):
    out = tmp_path / "one.html"
    result = run(monkeypatch, capsys, "--db", str(one_customer_db), "report", "--out", str(out))
    assert result.code == 0, result.err
    assert "Report written to" in result.out
    text = out.read_text("utf-8")
    assert "No CLV: no purchase model could be fitted" in text
    assert "No action lists:" in text
    assert "(1 customers)" in text


@pytest.mark.parametrize(("args", "message"), [
    (("--out", "report.txt"), "ending in .html"),
    (("--pdf", "report.png"), "ending in .pdf"),
    (("--snapshot", "7"), "There is no snapshot '7'"),
])
def test_bad_options(monkeypatch, capsys, sample_db, tmp_path, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(monkeypatch, capsys, "--db", str(sample_db), "report", *args)
    assert result.code == 2 and message in result.err, result.err
    assert list(tmp_path.iterdir()) == []


def test_help_has_an_example(monkeypatch, capsys):
    result = run(monkeypatch, capsys, "report", "--help")
    assert result.code == 0
    assert "Example: valuecrm report --out report.html --pdf report.pdf" in " ".join(
        result.out.split())


def test_reasons_rules_and_revenue_without_costs(latest):
    """Trust 13 and 14: the lists name each reason's code and rule; CDNOW has no cost, so the
    report calls its margin figures revenue."""
    from valuecrm.actions.reasons import reason_rule

    section = re.search(r"<h2>Action lists: retention and win-back</h2>(.*?)</section>", latest,
                        flags=re.S).group(1)
    assert "unknown" not in section
    assert "one_purchase" in section and reason_rule("one_purchase") in section
    assert "annual revenue (no cost data)" in section
    assert "current value (revenue, no cost data)" in latest
    assert "revenue (no cost data)" in latest


def test_holdout_tracking_of_every_model_compared(analysed_db, tmp_path):
    """The chart of the weekly holdout tracking curves stored by the model choice (the figures
    of valuecrm.evaluate_holdout on the compared customers), and the rule in the method."""
    from tests.helpers.data import CDNOW_CALIBRATION_END
    from valuecrm.analysis import get_snapshot
    from valuecrm.report.builder import build_report
    from valuecrm.store import connect

    path = analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None)
    with connect(path, read_only=True) as database:
        snapshot = get_snapshot(database)
        html = build_report(database).write(tmp_path / "r.html").read_text("utf-8")
    curves = snapshot.metadata["model_choice"]["tracking"]
    assert curves["weeks"] == [float(w) for w in range(1, 13)]
    assert curves["actual"][-1] == snapshot.metadata["model_ranking"][0]["actual_total"]
    assert set(curves["expected"]) == {"BetaGeo", "ParetoNBD", "ModifiedBetaGeo"}
    assert "Holdout period: cumulative repeat purchases, actual and expected" in html
    assert "for the 2,357 customers the models were compared on" in html
    assert "paired bootstrap of the customers" in html
    for name in ("BG", "Pareto", "MBG"):  # plotly's JSON writes "/" as \u002f
        assert f"expected ({name}\\u002fNBD)" in html


def test_the_clv_spread_is_the_dashboards_counted_in_the_engine(latest, sample_db):
    """The value section's median, top-fifth share and histogram are the dashboard's figures
    (:func:`valuecrm.views.dashboard.clv_spread` and ``clv_histogram``), counted in the engine
    rather than read as one array of every CLV, and equal numpy's over the stored CLVs."""
    import numpy as np

    from valuecrm.analysis import get_snapshot
    from valuecrm.store import connect
    from valuecrm.views import dashboard

    with connect(sample_db, read_only=True) as database:
        sid = get_snapshot(database, None).snapshot_id
        clv = database.raw.execute("SELECT clv FROM customer_value WHERE snapshot_id = ? AND "
                                   "clv IS NOT NULL", [sid]).fetchnumpy()["clv"]
        spread = dashboard.clv_spread(database.raw, sid)
        bins = dashboard.clv_histogram(database.raw, sid)
    ordered = np.sort(clv)[::-1]
    assert spread["customers"] == len(clv) == 2357
    assert spread["median"] == pytest.approx(float(np.median(clv)), rel=1e-12)
    assert spread["top_share"] == pytest.approx(ordered[: len(clv) // 5].sum() / clv.sum(),
                                                rel=1e-12)
    assert f"{spread['median']:,.2f}" in latest
    assert f"{spread['top_share']:.0%}" in latest
    counts = [b["customers"] for b in bins]
    assert sum(counts) == len(clv)
    charts = re.findall(r'"y":\[([0-9,]+)\]', latest)
    assert ",".join(map(str, counts)) in charts
