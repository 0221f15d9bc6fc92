"""The public list functions a chunk at a time, and their exports streamed by the engine (issue
16, point 7): each ``..._chunks`` companion yields the very frame of its list function (rows,
order, columns, types), never more than ``size`` rows at once and only as the chunks are taken;
``export_list`` of a list's engine table writes the file of its frame with no row in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

import valuecrm.actions.list_chunks as list_chunks
from tests.helpers.reads import Pulls, record_batches, record_pulls
from valuecrm.actions import (
    export_list,
    next_best_products,
    next_best_products_chunks,
    retention_list,
    retention_list_chunks,
    retention_table,
    up_sell_products,
    up_sell_products_chunks,
    winback_list,
    winback_list_chunks,
    winback_table,
)
from valuecrm.actions.loyalty import (
    default_rules,
    loyalty_balances,
    loyalty_balances_chunks,
    loyalty_tiers,
    loyalty_tiers_chunks,
)
from valuecrm.errors import ParameterError
from valuecrm.store import connect

SIZE = 7


@pytest.fixture
def pulls(monkeypatch: pytest.MonkeyPatch) -> Pulls:
    return record_pulls(monkeypatch)


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows of each batch the chunks read from the engine's file."""
    return record_batches(monkeypatch, list_chunks, "parquet_batches")


def _same(chunks: Any, whole: pd.DataFrame) -> list[pd.DataFrame]:
    parts = list(chunks)
    assert all(len(part) <= SIZE for part in parts), [len(part) for part in parts]
    joined = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole)
    assert joined.attrs == whole.attrs
    return parts


def test_action_lists_in_chunks_are_the_lists(two_snapshots, pulls, batches):
    with connect(two_snapshots.path, read_only=True) as database:
        wholes = {"retention": retention_list(database), "winback": winback_list(database)}
        companions = {"retention": retention_list_chunks, "winback": winback_list_chunks}
        for kind, whole in wholes.items():
            assert len(whole) > 4 * SIZE
            pulls.sizes.clear()
            batches.clear()
            chunks = companions[kind](database, size=SIZE)
            assert batches == []  # nothing read before a chunk is taken
            first = next(chunks)
            assert batches == [SIZE] and len(first) == SIZE  # one batch per chunk taken
            # other queries on the database between two chunks change nothing
            assert len(retention_list(database, top=3)) == 3
            pulls.sizes.clear()
            parts = _same([first, *chunks], whole)
            assert len(parts) == -(-len(whole) // SIZE) and max(batches) == SIZE
            assert pulls.most() == 0, pulls.sizes  # no list came to Python whole
            if kind == "winback":
                assert all(p.attrs["chance_method"] == whole.attrs["chance_method"]
                           for p in parts)
        top = retention_list_chunks(database, top=10, size=SIZE)
        _same(top, retention_list(database, top=10))


def test_an_empty_list_is_one_empty_chunk(two_snapshots):
    with connect(two_snapshots.path, read_only=True) as database:
        whole = retention_list(database, min_clv=1e12)
        assert whole.empty
        assert len(_same(retention_list_chunks(database, min_clv=1e12, size=SIZE), whole)) == 1


def test_bad_settings_are_refused_when_asked(two_snapshots):
    with connect(two_snapshots.path, read_only=True) as database:
        with pytest.raises(ParameterError, match="'size'"):
            retention_list_chunks(database, size=0)
        with pytest.raises(ParameterError, match="'top'"):
            winback_list_chunks(database, top=0)


def _lines_and_rules(database: Any) -> tuple[Any, pd.DataFrame, pd.Series]:
    from valuecrm.features.baskets import basket_items, item_margins
    from valuecrm.mining import association_rules

    baskets = basket_items(database, "category")
    rules = association_rules(baskets, min_support=0.01, min_confidence=0.1, max_len=2)
    margins = item_margins(database, "category").to_pandas().set_index("item")["margin"]
    return baskets.select("customer_id", "basket_id", "item"), rules, margins


def test_offer_lists_in_chunks_are_the_lists(two_snapshots, pulls, batches):
    with connect(two_snapshots.path, read_only=True) as database:
        lines, rules, margins = _lines_and_rules(database)
        whole = next_best_products(lines, rules, margins=margins)
        assert len(whole) > 4 * SIZE and set(whole["source"]) == {"rule", "co-occurrence"}
        pulls.sizes.clear()
        _same(next_best_products_chunks(lines, rules, margins=margins, size=SIZE), whole)
        assert pulls.most() == 0 and max(batches) == SIZE
        nobody = lines.filter(lines.customer_id == "nobody")
        for these in (rules, rules.iloc[:0]):  # no suggestion; no rule either
            nothing = next_best_products(nobody, these)
            assert nothing.empty
            _same(next_best_products_chunks(nobody, these, size=SIZE), nothing)

        bought = basket_items_products(database)
        products = database.table("products")
        ups = up_sell_products(bought, products)
        assert len(ups) > 4 * SIZE
        pulls.sizes.clear()
        _same(up_sell_products_chunks(bought, products, size=SIZE), ups)
        assert pulls.most() == 0


def basket_items_products(database: Any) -> Any:
    from valuecrm.features.baskets import basket_items

    items = basket_items(database, "product_id")
    return items.select("customer_id", product_id="item")


def test_loyalty_lists_in_chunks_are_the_lists(two_snapshots, pulls, batches):
    with connect(two_snapshots.path, read_only=True) as database:
        day = dt.date(2025, 12, 31)
        balances = loyalty_balances(database, day)
        assert len(balances) > 4 * SIZE
        # ties in the balance: the order of customer ids decides, as in the frame
        assert balances["balance"].duplicated().any()
        tiers = loyalty_tiers(database, default_rules(), day)
        pulls.sizes.clear()
        _same(loyalty_balances_chunks(database, day, size=SIZE), balances)
        _same(loyalty_tiers_chunks(database, default_rules(), day, size=SIZE), tiers)
        assert pulls.most() == 0 and max(batches) == SIZE


def test_exporting_a_list_from_the_engine_writes_its_frame(two_snapshots, pulls, tmp_path):
    """The same CSV bytes (BOM, dates, true/false) and Parquet rows as the frame's export, and
    no row of the list in Python."""
    with connect(two_snapshots.path, read_only=True) as database:
        for kind, whole, table in (
                ("retention", retention_list(database), retention_table(database)),
                ("winback", winback_list(database), winback_table(database)[0])):
            pulls.sizes.clear()
            streamed = export_list(table, tmp_path / f"{kind}-engine.csv")
            parquet = export_list(table, tmp_path / f"{kind}-engine.parquet")
            assert pulls.most() == 0, pulls.sizes
            framed = export_list(whole, tmp_path / f"{kind}-frame.csv")
            assert streamed.read_bytes() == framed.read_bytes()
            assert streamed.read_bytes().startswith(b"\xef\xbb\xbfcustomer_id,")
            back = pd.read_parquet(parquet)
            assert list(back.columns) == list(whole.columns)
            pd.testing.assert_frame_equal(back, whole, check_dtype=False)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            f"{kind}-{how}" for kind in ("retention", "winback")
            for how in ("engine.csv", "engine.parquet", "frame.csv"))  # no partial file left
