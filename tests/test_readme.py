"""The README's Python examples run, as written, on a generated shop database (trust 16).

The code blocks are read from README.md itself, so this test breaks when the README drifts from
the code. The generated orders hold returns (negative amounts) and cancelled orders, which the
example's ``rfm_summary(db.table("orders"))`` must leave out (``valuecrm.features.purchases``):
counted as purchases, they gave repeat buyers a mean spend of 0 or less and Gamma-Gamma refused
to fit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from valuecrm.synthetic import generate

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_examples() -> None:
    blocks = python_blocks()
    assert blocks and all("shop.duckdb" in b for b in blocks if "connect(" in b)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``shop.duckdb`` as the README's shell examples make it: generated data, loaded."""
    folder = tmp_path_factory.mktemp("readme")
    generate(3_000, db=folder / "shop.duckdb", seed=1)
    return folder


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_python_example_runs(index: int, shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(shop)
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(python_blocks()[index], f"README.md python block {index + 1}", "exec"),
         namespace)
    db = namespace.get("db")
    if db is not None:  # close what the example opened
        db.close()


def test_returns_are_not_purchases_in_the_example(shop: Path) -> None:
    import valuecrm as vc

    db = vc.connect(shop / "shop.duckdb")
    try:
        orders = db.table("orders")
        statuses = set(orders.status.to_pandas())
        assert {"returned", "cancelled"} <= statuses  # the case the README must survive
        summary = vc.rfm_summary(orders, observation_end="2025-12-31", freq="W").to_pandas()
        repeat = summary[summary.frequency > 0]
        assert (repeat.monetary_value > 0).all()
        purchases = orders.filter(orders.status == "completed")
        assert int(summary.n_orders.sum()) == int(purchases.count().execute())
    finally:
        db.close()
