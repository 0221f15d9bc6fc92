"""The product catalogue: categories, sub-categories, brands, list prices and unit costs.

Products are numbered by category, then by price, so that an order line can pick, vectorised,
a product of its category that it can afford (``pick_products``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
