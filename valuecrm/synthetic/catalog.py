"""The product catalogue: categories, sub-categories, brands, list prices and unit costs.

Products are numbered by category, then by price, so that an order line can pick, vectorised,
a product of its category that it can afford (``pick_products``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.writer import format_ids, to_arrow

# (category, sub-categories, brands, median list price)
CATEGORIES = (
    ("Electronics", ("Phone accessories", "Audio", "Smart home"), ("Lumio", "Voltra"), 45.0),
    ("Books", ("Fiction", "Business", "Children"), ("Inkwell", "Paperleaf"), 12.0),
    ("Apparel", ("Tops", "Shoes", "Outerwear"), ("Northline", "Maple & Co"), 30.0),
    ("Home", ("Kitchen", "Bedding", "Storage"), ("Hearth", "Casa Nova"), 22.0),
    ("Beauty", ("Skincare", "Make-up", "Fragrance"), ("Lotus", "Pure Bloom"), 18.0),
    ("Grocery", ("Tea", "Snacks", "Coffee"), ("Golden Leaf", "Harvest"), 8.0),
    ("Sports", ("Fitness", "Outdoor", "Cycling"), ("Summit", "Stride"), 28.0),
    ("Toys", ("Puzzles", "Building sets", "Dolls"), ("Bright Kids", "Toytopia"), 15.0),
)


@dataclass
class Catalog:
    """Products as arrays, sorted by (category, unit_price)."""

    category: np.ndarray  # category number
    unit_price: np.ndarray
    unit_cost: np.ndarray
    table: pa.Table       # the ``products`` table
    category_start: np.ndarray  # first product of each category (plus the end)
    # planted affinities: (antecedent, consequent) product numbers, one row per pair
    affinities: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    def pick_products(self, rng: np.random.Generator, category: np.ndarray,
                      amount: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A product of ``category`` and a quantity for each line worth ``amount``.

        The quantity is drawn first (more units when even the dearest product is cheaper than
        the line), then the cheapest product whose list price covers
        ``amount / quantity``, so that the discount ``quantity * price - amount`` is small and
        never negative (except that the cheapest product may be dearer than a tiny line).
        """
        lo = self.category_start[category]
        hi = self.category_start[category + 1]
        dearest = self.unit_price[hi - 1]
        quantity = 1 + np.minimum(rng.geometric(0.6, len(category)) - 1, 5)
        quantity = np.maximum(quantity, np.ceil(amount / dearest - 1e-9)).astype(np.int64)
        key = self.category * 1e7 + self.unit_price
        covers = np.searchsorted(key, category * 1e7 + amount / quantity - 1e-9, side="left")
        pick = np.minimum(covers, hi - 1)
        return np.maximum(pick, lo), quantity


def build_catalog(rng: np.random.Generator, n_products: int) -> Catalog:
    """``n_products`` products spread over the categories, with log-normal list prices."""
    per = np.full(len(CATEGORIES), n_products // len(CATEGORIES))
    per[: n_products % len(CATEGORIES)] += 1
    rows: list[tuple[int, str, str, str, float]] = []
    for cat_no, (name, subs, brands, median) in enumerate(CATEGORIES):
        prices = np.round(np.exp(rng.normal(np.log(median), 0.7, per[cat_no])), 2)
        prices = np.maximum(prices, 1.99)
        for k, price in enumerate(np.sort(prices)):
            sub = subs[k % len(subs)]
            brand = brands[(k // len(subs)) % len(brands)]
            rows.append((cat_no, name, sub, brand, float(price)))
    category = np.array([r[0] for r in rows], dtype=np.int64)
    price = np.array([r[4] for r in rows])
    cost = np.round(price * rng.uniform(0.4, 0.65, len(rows)), 2)
    names = [f"{r[3]} {r[2].lower()} {i % 1000:03d}" for i, r in enumerate(rows)]
    table = to_arrow("products", {
        "product_id": format_ids("P", np.arange(1, len(rows) + 1), 5),
        "name": names,
        "category": [r[1] for r in rows],
        "subcategory": [r[2] for r in rows],
        "brand": [r[3] for r in rows],
        "unit_price": price,
        "unit_cost": cost,
    })
    start = np.searchsorted(category, np.arange(len(CATEGORIES) + 1))
    return Catalog(category=category, unit_price=price, unit_cost=cost, table=table,
                   category_start=start)


def plant_affinities(catalog: Catalog, n_pairs: int, seed: int, line_amount: np.ndarray
                     ) -> np.ndarray:
    """``n_pairs`` planted pairs (antecedent, consequent) of product numbers, one antecedent
    per category (the first ``n_pairs`` categories): the product of that category that lines
    of ``line_amount`` pick most often (so that the pair is seen in many baskets), and a
    consequent drawn among the cheaper half of another category (an add-on). Own random
    stream: the rest of the data does not change with ``n_pairs``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 5]))
    n_categories = len(catalog.category_start) - 1
    pairs = np.zeros((n_pairs, 2), np.int64)
    for c in range(n_pairs):
        picked, _ = catalog.pick_products(rng, np.full(len(line_amount), c), line_amount)
        pairs[c, 0] = np.bincount(picked, minlength=len(catalog.unit_price)).argmax()
        other = (c + 1 + rng.integers(0, n_categories - 1)) % n_categories
        lo, hi = catalog.category_start[other], catalog.category_start[other + 1]
        pairs[c, 1] = rng.integers(lo, max(lo + 1, (lo + hi) // 2))
    return pairs


def apply_affinities(rng: np.random.Generator, catalog: Catalog, strength: float,
                     order: np.ndarray, line_no: np.ndarray, n_lines: np.ndarray,
                     product: np.ndarray, quantity: np.ndarray, amount: np.ndarray) -> None:
    """Plant the catalogue's affinities in order lines (``order`` sorted; arrays changed in
    place): in an order whose first antecedent line has another line (the next, or the
    previous for the last line) that holds no antecedent, that line becomes the consequent
    with probability ``strength``, at the fewest units whose list value covers its amount.
    ``n_lines`` is per order."""
    if not len(catalog.affinities) or strength <= 0 or not len(order):
        return
    partner = np.full(len(catalog.unit_price), -1, np.int64)
    partner[catalog.affinities[:, 0]] = catalog.affinities[:, 1]
    held = np.flatnonzero(partner[product] >= 0)
    if not len(held):
        return
    first = held[np.r_[True, order[held][1:] != order[held][:-1]]]
    first = first[n_lines[order[first]] >= 2]
    other = np.where(line_no[first] < n_lines[order[first]], first + 1, first - 1)
    take = (rng.random(len(first)) < strength) & (partner[product[other]] < 0)
    source, target = first[take], other[take]
    product[target] = partner[product[source]]
    price = catalog.unit_price[product[target]]
    quantity[target] = np.maximum(1, np.ceil(amount[target] / price - 1e-9)).astype(np.int64)
