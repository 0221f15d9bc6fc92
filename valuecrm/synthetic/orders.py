"""Orders and order lines from the purchases: completed orders with their lines, returns (a
separate order row with status ``returned`` and negative amount), and cancelled orders.

A completed order's amount is the Gamma-Gamma spend rounded to cents; its lines split it
exactly (Dirichlet shares, the last line takes the rounding), each line buying a product of the
customer's favourite category (60%) or another, at a quantity whose list value covers the line:
``discount = quantity * list price - amount >= 0``. Costs are ``quantity * unit_cost``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.catalog import CATEGORIES, Catalog, apply_affinities
from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.customers import ORDER_CHANNELS, Traits
from valuecrm.synthetic.writer import TimeAxis, format_ids, to_arrow

FAVOURITE_SHARE = 0.6


@dataclass
class OrderBook:
    """The order rows of a chunk, sorted by customer and time, and what later steps need."""

    orders: pa.Table
    lines: pa.Table
    customer: np.ndarray         # per order row
    day: np.ndarray
    amount: np.ndarray
    status: np.ndarray
    order_number: np.ndarray     # global order number per row (the id without its prefix)
    purchase_row: np.ndarray     # for each completed purchase: its row in the order table
    margin_by_customer: np.ndarray


def sample_line_amounts(config: GeneratorConfig, n: int = 20_000) -> np.ndarray:
    """Amounts of ``n`` order lines drawn as :func:`build_orders` draws them (Gamma-Gamma
    order amounts split among 1 to 5 lines), from their own random stream: what the planted
    affinities use to find the products most lines buy."""
    rng = np.random.default_rng(np.random.SeedSequence([config.seed, 5, 1]))
    nu = rng.gamma(config.q, 1.0 / config.gamma, n)
    amount = np.maximum(rng.gamma(config.p, 1.0 / nu), 0.5)
    k = 1 + np.minimum(rng.poisson(0.6, n), 4)
    share = np.where(k == 1, 1.0, rng.beta(2.0, 2.0 * np.maximum(k - 1, 1)))
    return amount * share


def _lines(rng: np.random.Generator, traits: Traits, catalog: Catalog, customer: np.ndarray,
           amount: np.ndarray, affinity: tuple[np.random.Generator, float] | None = None
           ) -> dict[str, np.ndarray]:
    """Order lines of the completed purchases (``order`` indexes the purchase)."""
    n_lines = 1 + np.minimum(rng.poisson(0.6, len(amount)), 4)
    order = np.repeat(np.arange(len(amount)), n_lines)
    first = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    line_no = np.arange(len(order)) - first[order] + 1
    last = line_no == n_lines[order]
    share = rng.gamma(2.0, 1.0, len(order))
    share = share / np.bincount(order, weights=share)[order]
    cents = np.round(amount * 100).astype(np.int64)
    line_cents = np.floor(share * cents[order]).astype(np.int64)
    line_cents[last] = 0
    line_cents[last] = cents - np.bincount(order, weights=line_cents,
                                           minlength=len(amount)).astype(np.int64)
    line_amount = line_cents / 100.0

    favourite = traits.favourite_category[customer[order]]
    other = rng.integers(0, len(CATEGORIES), len(order))
    category = np.where(rng.random(len(order)) < FAVOURITE_SHARE, favourite, other)
    product, quantity = catalog.pick_products(rng, category, line_amount)
    if affinity is not None:  # its own random stream: the draws above and below are the same
        apply_affinities(affinity[0], catalog, affinity[1], order, line_no, n_lines,
                         product, quantity, line_amount)
    price = catalog.unit_price[product]
    return {
        "order": order, "line_no": line_no, "product": product, "quantity": quantity,
        "unit_price": np.round(line_amount / quantity, 4), "amount": line_amount,
        "cost": np.round(quantity * catalog.unit_cost[product], 2),
        "discount": np.round(np.maximum(quantity * price - line_amount, 0.0), 2),
    }


def build_orders(rng: np.random.Generator, config: GeneratorConfig, traits: Traits,
                 catalog: Catalog,
                 purchase_customer: np.ndarray, purchase_day: np.ndarray,
                 purchase_amount: np.ndarray, dropout_day: np.ndarray, window_days: float,
                 first_order_number: int, axis: TimeAxis) -> OrderBook:
    """All order rows of a chunk; ``first_order_number`` continues the previous chunk's ids."""
    n_purchases = len(purchase_customer)
    affinity = (np.random.default_rng(np.random.SeedSequence([config.seed, 6,
                                                              first_order_number])),
                config.affinity_strength)
    lines = _lines(rng, traits, catalog, purchase_customer, purchase_amount, affinity)
    cost = np.round(np.bincount(lines["order"], weights=lines["cost"], minlength=n_purchases), 2)
    quantity = np.bincount(lines["order"], weights=lines["quantity"], minlength=n_purchases)
    margin = np.round(purchase_amount - cost, 2)

    # returns: a later row with the negative amount, before the customer leaves
    chance = np.where(traits.costly[purchase_customer], config.costly_return_probability,
                      config.return_probability)
    back = rng.random(n_purchases) < chance
    back_day = purchase_day + rng.uniform(2.0, 30.0, n_purchases)
    limit = np.minimum(dropout_day[purchase_customer], window_days)
    back &= back_day < limit
    handling = np.round(3.0 + 0.05 * purchase_amount[back], 2)

    # cancelled orders: shortly before a repeat purchase
    repeat = purchase_day > traits.first_purchase[purchase_customer] + 1e-9
    cancelled = repeat & (rng.random(n_purchases) < config.cancel_probability)
    cancel_day = np.maximum(purchase_day[cancelled] - rng.uniform(0.01, 2.0, cancelled.sum()),
                            traits.signup[purchase_customer[cancelled]])
    cancel_amount = np.round(purchase_amount[cancelled] * rng.uniform(0.5, 1.5, cancelled.sum()),
                             2)

    kind = np.concatenate([np.zeros(n_purchases, np.int8), np.ones(back.sum(), np.int8),
                           np.full(cancelled.sum(), 2, np.int8)])
    customer = np.concatenate([purchase_customer, purchase_customer[back],
                               purchase_customer[cancelled]])
    day = np.concatenate([purchase_day, back_day[back], cancel_day])
    amount = np.concatenate([purchase_amount, -purchase_amount[back], cancel_amount])
    row_cost = np.concatenate([cost, handling, np.zeros(cancelled.sum())])
    row_margin = np.concatenate([margin, -margin[back] - handling, np.zeros(cancelled.sum())])
    row_quantity = np.concatenate([quantity, -quantity[back], np.full(cancelled.sum(), np.nan)])

    order = np.lexsort((kind, day, customer))
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    number = first_order_number + np.arange(len(order), dtype=np.int64)
    customer, day, amount, kind = customer[order], day[order], amount[order], kind[order]
    status = np.array(["completed", "returned", "cancelled"], dtype=object)[kind]
    preferred = traits.channel[customer]
    channel_no = np.where(rng.random(len(order)) < 0.7, preferred,
                          rng.integers(0, len(ORDER_CHANNELS), len(order)))
    channel_no = np.where(kind == 0, channel_no, traits.channel[customer])
    ids = format_ids("O", number, 10)
    orders = to_arrow("orders", {
        "order_id": ids,
        "customer_id": format_ids("C", traits.index[customer], 8),
        "ordered_at": axis(day), "amount": amount, "cost": row_cost[order],
        "margin": row_margin[order], "quantity": row_quantity[order],
        "channel": ORDER_CHANNELS[channel_no].astype(object), "status": status,
    })
    purchase_row = position[:n_purchases]
    line_rows = purchase_row[lines["order"]]
    line_order = np.lexsort((lines["line_no"], line_rows))
    line_table = to_arrow("order_lines", {
        "order_id": format_ids("O", number[line_rows[line_order]], 10),
        "line_no": lines["line_no"][line_order],
        "product_id": format_ids("P", lines["product"][line_order] + 1, 5),
        **{k: lines[k][line_order] for k in ("quantity", "unit_price", "amount", "cost",
                                             "discount")},
    })
    margin_by_customer = np.bincount(customer, weights=row_margin[order], minlength=traits.n)
    return OrderBook(orders=orders, lines=line_table, customer=customer, day=day, amount=amount,
                     status=status, order_number=number, purchase_row=purchase_row,
                     margin_by_customer=margin_by_customer)
