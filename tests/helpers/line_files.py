"""Line-level sales files written for tests, in the shape shops export them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

RETAIL_COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                  "UnitPrice", "CustomerID", "Country"]
RETAIL_DATE_FORMAT = "%m/%d/%Y %H:%M"


def retail_lines(seed: int = 0, customers: int = 40, invoices: int = 260) -> pd.DataFrame:
    """An Online-Retail-shaped file (UCI Online Retail: one row per product per invoice).

    Numeric invoice numbers; cancellations "C" + a number with negative quantities, of a
    customer; guest invoices (no CustomerID); exact duplicate lines; a bad-debt adjustment
    "A..." with a negative price; free items (price 0); a stock correction (guest, price 0,
    negative quantity); product codes with letters (85123A, POST)."""
    rng = np.random.default_rng(seed)
    products = [(f"{code}", name, price) for code, name, price in (
        ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2.55), ("71053", "WHITE METAL LANTERN",
        3.39), ("84406B", "CREAM CUPID HEARTS COAT HANGER", 2.75), ("22752", "SET 7 BABUSHKA "
        "NESTING BOXES", 7.65), ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4.25),
        ("22633", "HAND WARMER UNION JACK", 1.85), ("POST", "POSTAGE", 18.0),
        ("84879", "ASSORTED COLOUR BIRD ORNAMENT", 1.69), ("22745", "POPPY'S PLAYHOUSE "
        "BEDROOM", 2.10), ("21754", "HOME BUILDING BLOCK WORD", 5.95))]
    start = dt.datetime(2010, 12, 1, 8, 26)
    rows: list[list[object]] = []
    number = 536365
    for i in range(invoices):
        number += 1
        when = start + dt.timedelta(days=int(rng.integers(0, 360)),
                                    minutes=int(rng.integers(0, 600)))
        guest = rng.random() < 0.15
        customer = "" if guest else str(12346 + int(rng.integers(0, customers)))
        picked = rng.choice(len(products), size=int(rng.integers(1, 5)), replace=False)
        lines = []
        for k in picked:
            code, name, price = products[int(k)]
            free = rng.random() < 0.03
            lines.append([str(number), code, name, int(rng.integers(1, 13)), when,
                          0.0 if free else price, customer, "United Kingdom"])
        rows += lines
        if rng.random() < 0.05:  # a line scanned twice: an exact duplicate
            rows.append(list(lines[0]))
        if not guest and rng.random() < 0.12:  # a later cancellation of part of it
            code, name, price = products[int(picked[0])]
            back = when + dt.timedelta(days=int(rng.integers(0, 20)), hours=2)
            rows.append([f"C{number + 500000}", code, name, -int(rng.integers(1, 4)), back,
                         price, customer, "United Kingdom"])
        if i == 100:  # bad debt written off: an adjustment
            rows.append(["A563185", "B", "Adjust bad debt", 1, when, -11062.06, "",
                         "United Kingdom"])
        if i == 150:  # damaged stock: price 0, negative quantity, no customer
            rows.append([str(number + 900000), "71053", "damaged", -12, when, 0.0, "",
                         "United Kingdom"])
    frame = pd.DataFrame(rows, columns=RETAIL_COLUMNS)
    frame = frame.sort_values("InvoiceDate", kind="stable").reset_index(drop=True)
    return frame


def write_retail_csv(path: Path, frame: pd.DataFrame) -> Path:
    """``frame`` as the CSV a shop exports: dates as "12/1/2010 8:26"."""
    out = frame.copy()
    out["InvoiceDate"] = [f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}"
                          for d in out["InvoiceDate"]]
    out.to_csv(path, index=False)
    return path
