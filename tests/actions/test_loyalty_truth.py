"""The loyalty figures against the generator's planted programme and an independent pandas
computation: balances, liability, first-in-first-out cohorts, tiers and tier moves from the
ledger; the what-if under the planted rules reissues the ledger's points exactly."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from valuecrm.actions.loyalty import (
    default_rules,
    loyalty_balances,
    loyalty_tiers,
    loyalty_what_if,
    point_rates,
    points_liability,
    rules_from_dict,
    tier_migration,
)
from valuecrm.actions.loyalty.ledger import members
from valuecrm.actions.loyalty.programme import tier_counts
from valuecrm.actions.loyalty.whatif import order_points
from valuecrm.store import connect
from valuecrm.synthetic.loyalty import PLANTED_RULES

MID, END = "2024-12-31", "2025-12-31"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    from valuecrm.synthetic import generate

    path: Path = tmp_path_factory.mktemp("loyalty") / "crm.duckdb"
    result = generate(600, db=path, seed=5, start="2023-01-01", end=END)
    truth = json.loads(result.truth_json_path.read_text(encoding="utf-8"))
    with connect(path, read_only=True) as database:
        ledger = database.raw.execute("SELECT * FROM loyalty_ledger").fetch_df()
        orders = database.raw.execute("SELECT * FROM orders").fetch_df()
    database = connect(path, read_only=True)
    yield database, ledger, orders, truth
    database.close()


def _until(ledger: pd.DataFrame, day: str) -> pd.DataFrame:
    return ledger[ledger["occurred_at"] < pd.Timestamp(day) + pd.Timedelta(days=1)]


def test_the_truth_records_the_planted_rules_and_they_are_the_default(generated):
    *_, truth = generated
    assert truth["loyalty"]["rules"] == json.loads(json.dumps(PLANTED_RULES))
    planted = rules_from_dict(truth["loyalty"]["rules"])
    assert planted.to_dict() == default_rules().to_dict()
    assert [t.name for t in planted.tiers] == ["bronze", "silver", "gold", "platinum"]
    assert "redeem" in truth["loyalty"]["behaviour"]


@pytest.mark.parametrize("day", [MID, END])
def test_balances_and_liability_equal_pandas(generated, day):
    database, ledger, *_ = generated
    seen = _until(ledger, day)
    by_kind = seen.pivot_table(index="customer_id", columns="kind", values="points",
                               aggfunc="sum", fill_value=0)
    got = loyalty_balances(database, day).set_index("customer_id").sort_index()
    assert len(got) == seen["customer_id"].nunique() > 100
    for kind, column, sign in (("earn", "earned", 1), ("redeem", "redeemed", -1),
                               ("expire", "expired", -1), ("adjust", "adjusted", 1)):
        expected = by_kind.get(kind, pd.Series(0, index=by_kind.index)).sort_index() * sign
        assert (got[column].to_numpy() == expected.to_numpy()).all(), column
    balance = seen.groupby("customer_id")["points"].sum().sort_index()
    assert (got["balance"].to_numpy() == balance.to_numpy()).all()
    found = points_liability(database, default_rules(), day)
    assert found["outstanding"] == balance.clip(lower=0).sum()
    assert found["liability"] == pytest.approx(balance.clip(lower=0).sum() * 0.01, abs=0.005)
    assert found["members"] == len(balance)


def _planted_tier(earned: pd.Series) -> pd.Series:
    names = np.array([level["name"] for level in PLANTED_RULES["tiers"]["levels"]])
    cuts = [level["min"] for level in PLANTED_RULES["tiers"]["levels"][1:]]
    return pd.Series(names[np.searchsorted(cuts, earned.to_numpy(), side="right")],
                     index=earned.index)


@pytest.mark.parametrize("day", [MID, END])
def test_tiers_equal_pandas_and_the_ledgers_planted_tier(generated, day):
    database, ledger, *_ = generated
    seen = _until(ledger, day)
    earned = (seen[seen["kind"] == "earn"].groupby("customer_id")["points"].sum()
              .reindex(seen["customer_id"].unique(), fill_value=0).sort_index())
    got = loyalty_tiers(database, default_rules(), day).set_index("customer_id").sort_index()
    assert (got["tier"] == _planted_tier(earned)).all()
    # the generator writes each entry's tier: the member's newest entry holds today's tier
    newest = seen.sort_values(["customer_id", "occurred_at", "entry_id"]).groupby(
        "customer_id")["tier"].last().sort_index()
    assert (got["tier"] == newest).all()
    assert got["tier"].nunique() >= 2
    # the overview's tier mix is counted in the engine: the same counts
    assert tier_counts(database, default_rules(), day) == got["tier"].value_counts().to_dict()


def test_tier_moves_equal_a_pandas_crosstab(generated):
    database, ledger, *_ = generated
    rules = default_rules()
    before = loyalty_tiers(database, rules, MID).set_index("customer_id")["tier"]
    after = loyalty_tiers(database, rules, END).set_index("customer_id")["tier"]
    both = pd.concat([before.rename("a"), after.rename("b")], axis=1).fillna("(not a member)")
    expected = both.groupby(["a", "b"]).size().to_dict()
    got = tier_migration(database, rules, MID, END)
    assert {(r.tier_from, r.tier_to): r.members for r in got.itertuples()} == expected
    assert sum(expected.values()) == ledger["customer_id"].nunique()


def _fifo(ledger: pd.DataFrame) -> pd.DataFrame:
    """Per cohort year: issued, and what redemptions, expiries and adjustments used of it,
    first in, first out, one member at a time (a debit beyond the balance is a debt that the
    next points pay first)."""
    rows: dict[tuple[int, str], int] = {}

    def use(year: int, kind: str, points: int) -> None:
        rows[(year, kind)] = rows.get((year, kind), 0) + points

    for _, entries in ledger.sort_values(["occurred_at", "entry_id"]).groupby("customer_id"):
        lots: deque[list] = deque()   # [year, points left]
        debts: deque[list] = deque()  # [kind, points owed]
        for e in entries.itertuples():
            if e.points > 0:
                use(e.occurred_at.year, "issued", e.points)
                left = e.points
                while left and debts:
                    take = min(left, debts[0][1])
                    use(e.occurred_at.year, debts[0][0], take)
                    left -= take
                    debts[0][1] -= take
                    if not debts[0][1]:
                        debts.popleft()
                if left:
                    lots.append([e.occurred_at.year, left])
                continue
            need = -e.points
            while need and lots:
                take = min(need, lots[0][1])
                use(lots[0][0], e.kind, take)
                lots[0][1] -= take
                need -= take
                if not lots[0][1]:
                    lots.popleft()
            if need:
                debts.append([e.kind, need])
    frame = pd.Series(rows).unstack(fill_value=0)
    return frame.reindex(columns=["issued", "redeem", "expire", "adjust"], fill_value=0)


def test_first_in_first_out_cohorts_equal_a_pandas_walk(generated):
    database, ledger, *_ = generated
    expected = _fifo(ledger)
    found = point_rates(database)
    got = found["cohorts"].set_index("cohort")
    assert list(got.index) == list(expected.index)
    assert (got["issued"].to_numpy() == expected["issued"].to_numpy()).all()
    assert (got["redeemed"].to_numpy() == expected["redeem"].to_numpy()).all()
    assert (got["expired"].to_numpy() == expected["expire"].to_numpy()).all()
    assert (got["adjusted"].to_numpy() == expected["adjust"].to_numpy()).all()
    expired, redeemed = expected["expire"].sum(), expected["redeem"].sum()
    assert found["settled_breakage"] == pytest.approx(expired / (expired + redeemed))
    assert found["breakage_to_date"] == pytest.approx(expired / expected["issued"].sum())


def test_the_planted_rules_reissue_the_ledgers_points_exactly(generated):
    database, ledger, *_ = generated
    points = order_points(database.table("orders"), members(database.table("loyalty_ledger")),
                          default_rules()).to_pandas()
    earned = points[points["points"] > 0].groupby("customer_id")["points"].sum().sort_index()
    ledger_earn = ledger[ledger["kind"] == "earn"].groupby("customer_id")["points"].sum()
    assert earned.equals(ledger_earn.sort_index().astype(earned.dtype))
    back = points[points["kind"] == "returned"]["points"].sum()
    assert back == ledger.loc[ledger["kind"] == "adjust", "points"].sum()


def test_the_what_if_of_unchanged_rules_changes_nothing_and_lower_tiers_move_members_up(
        generated):
    database, *_ = generated
    same = loyalty_what_if(database, default_rules())
    assert same.totals["points_net"].nunique() == 1 and len(same.movers) == 0
    document = default_rules().to_dict()
    document["tiers"]["levels"][1]["min"] = 500
    lower = loyalty_what_if(database, rules_from_dict(document), months=12)
    current = loyalty_tiers(database, default_rules()).set_index("customer_id")
    earned = current["qualifying"]
    expected = set(earned[(earned >= 500) & (earned < 1000)].index)
    assert set(lower.movers["customer_id"]) == expected and expected
    assert (lower.movers["tier_changed"] == "silver").all()
    assert lower.totals["points_net"].nunique() == 1  # thresholds cost no points
    # the tiers are joined and counted in the engine: the moves count every mover, the view's
    # figures come from them, and only the movers asked for are read
    moved = lower.moves[lower.moves["tier_from"] != lower.moves["tier_to"]]
    assert int(moved["members"].sum()) == len(expected)
    first = loyalty_what_if(database, rules_from_dict(document), months=12, movers_limit=3)
    assert first.movers.equals(lower.movers.head(3))
    from valuecrm.views.loyalty import what_if

    shown = what_if(database, rules_from_dict(document), default_rules(), months=12,
                    members=True, limit=3)
    assert shown["members_changing_tier"] == shown["up"] == len(expected)
    assert shown["down"] == 0 and len(shown["members"]) == 3
