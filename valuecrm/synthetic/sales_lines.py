"""The generated orders as a shop's line-level export, in the shape of UCI Online Retail.

One row per product per invoice: ``InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
UnitPrice, CustomerID, Country`` (Chen, Sain & Guo 2012, "Data mining for the online retail
industry", J. Database Marketing & Customer Strategy Management 19(3); the UCI Online Retail
data set). Written chunk by chunk beside the canonical tables, as CSV (``.csv``), gzip
(``.csv.gz``) or an Excel workbook of two sheets (``.xlsx``: the first and second half of the
window, as Online Retail II splits its years).

What the file holds, and what a load must make of it:

- a completed order is a numeric invoice; its lines split the order's amount exactly
  (``Quantity x UnitPrice`` in cents: a line whose amount does not divide by its quantity is
  written as two lines of the product, one cent apart in price), and a product appears once
  per price in an invoice;
- a return is a ``C``-prefixed invoice of the same customer with negative quantities worth the
  returned amount; cancelled orders are not written (a shop's export has no such rows);
- guest invoices (no ``CustomerID``), exact duplicate lines (a line scanned twice), free items
  (``UnitPrice`` 0) on some customer invoices, an ``A``-prefixed bad-debt adjustment with a
  negative price per chunk, and a stock correction per chunk (a guest line, price 0, negative
  quantity): none of these change a customer's figures;
- product codes with letters (``21004A``) and the catalogue's descriptions.

The truth file (``<lines stem>.truth.parquet``) has one row per customer in the file, from the
generated orders (not from the lines): ``purchase_days`` (distinct days with a completed
order), ``gross_spend`` (completed orders), ``returns`` (returned amount, positive),
``net_spend`` (gross minus returns), ``first_purchase_at`` and ``last_purchase_at``.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from valuecrm.errors import ParameterError

COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
           "CustomerID", "Country"]
SUFFIXES = (".csv", ".csv.gz", ".xlsx")
FIRST_INVOICE = 536_365      # Online Retail's first invoice number
FIRST_CUSTOMER = 12_346      # and its first customer number
GUEST_SHARE = 0.08           # guest invoices per completed order
DUPLICATE_SHARE = 0.015      # customer lines written twice
FREE_ITEM_SHARE = 0.03       # completed invoices with a free item
COUNTRIES = np.array(["United Kingdom"] * 7 + ["Germany", "France", "EIRE", "Spain",
                                               "Netherlands", "Belgium", "Switzerland"],
                     dtype=object)
COUNTS = ("lines", "invoices", "cancellations", "cancellation_lines", "guest_invoices",
          "guest_lines", "duplicate_lines", "free_item_lines", "adjustment_lines",
          "stock_corrections")


def stock_codes(n_products: int) -> np.ndarray:
    """Online-Retail-like product codes: five digits, every fourth with a letter (21004A)."""
    index = np.arange(n_products)
    digits = (21_000 + index).astype(str).astype(object)
    letters = np.array(["A", "B", "C"], dtype=object)[(index // 4) % 3]
    return np.where(index % 4 == 0, digits + letters, digits)


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    raise ParameterError(f"The lines file must end in {', '.join(SUFFIXES)}. Got "
                         f"{path.name!r} instead.")


@dataclass
class SalesLineWriter:
    """Writes the line file of the generated orders, chunk by chunk, and its truth."""

    path: Path
    products: pa.Table
    seed: int
    start: date
    end: date
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    _handle: Any = None
    _book: Any = None
    _sheets: list[Any] = field(default_factory=list)
    _truth: list[pd.DataFrame] = field(default_factory=list)
    _next_extra: int = 0

    def __post_init__(self) -> None:
        self.kind = suffix_of(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.codes = stock_codes(self.products.num_rows)
        self.names = np.array(self.products.column("name").to_pylist(), dtype=object)
        self.prices = np.round(np.array(self.products.column("unit_price").to_pylist()) * 100
                               ).astype(np.int64)
        self.middle = self.start + (self.end - self.start) / 2
        if self.kind == ".xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            titles = (f"{self.start} to {self.middle}", f"{self.middle} to {self.end}")
            for title in titles:
                sheet = self._book.create_sheet(title.replace(":", "-")[:31])
                sheet.append(COLUMNS)
                self._sheets.append(sheet)
        else:
            opener = gzip.open if self.kind == ".csv.gz" else open
            self._handle = opener(self.path, "wt", encoding="utf-8", newline="")
            self._handle.write(",".join(COLUMNS) + "\n")

    @property
    def truth_path(self) -> Path:
        return self.path.with_name(self.path.name[: -len(self.kind)] + ".truth.parquet")

    def write(self, orders: pa.Table, lines: pa.Table, chunk_no: int) -> None:
        """Write the lines of one chunk's orders (and its guest and adjustment lines)."""
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 7, chunk_no]))
        frame = orders.select(["order_id", "customer_id", "ordered_at", "amount", "status"]
                              ).to_pandas()
        frame["number"] = frame["order_id"].str[1:].astype(np.int64)
        frame["cents"] = np.round(frame["amount"].to_numpy() * 100).astype(np.int64)
        customer_no = frame["customer_id"].str[1:].astype(np.int64)
        frame["customer"] = (FIRST_CUSTOMER + customer_no).astype(str)
        frame["country"] = COUNTRIES[(customer_no.to_numpy() * 2_654_435_761) % len(COUNTRIES)]
        self._truth.append(_truth(frame))
        parts = [self._purchases(frame, lines, rng), self._returns(frame, rng),
                 self._guests(frame, rng)]
        rows = pd.concat(parts, ignore_index=True)
        rows = rows.sort_values(["when", "invoice", "seq"], kind="stable")
        rows = self._duplicates(rows, rng)
        self.counts["lines"] += len(rows)
        self._emit(rows)

    # -- the parts of a chunk ------------------------------------------------------------------
    def _purchases(self, frame: pd.DataFrame, lines: pa.Table,
                   rng: np.random.Generator) -> pd.DataFrame:
        done = frame[frame["status"] == "completed"]
        items = lines.select(["order_id", "product_id", "quantity", "amount"]).to_pandas()
        items["product"] = items["product_id"].str[1:].astype(np.int64) - 1
        items["cents"] = np.round(items["amount"].to_numpy() * 100).astype(np.int64)
        items = items.groupby(["order_id", "product"], as_index=False, sort=False).agg(
            quantity=("quantity", "sum"), cents=("cents", "sum"))  # one product, one price
        items = items.merge(done[["order_id", "number", "ordered_at", "customer", "country"]],
                            on="order_id")
        q = items["quantity"].to_numpy(np.int64)
        price = items["cents"].to_numpy() // q
        rest = items["cents"].to_numpy() - price * q  # units one cent dearer
        low = items.assign(quantity=q - rest, price=price)
        high = items.assign(quantity=rest, price=price + 1)[rest > 0]
        kept = pd.concat([low, high], ignore_index=True)
        free_orders = done[rng.random(len(done)) < FREE_ITEM_SHARE]
        free = pd.DataFrame({
            "number": free_orders["number"].to_numpy(), "ordered_at": free_orders["ordered_at"],
            "customer": free_orders["customer"].to_numpy(),
            "country": free_orders["country"].to_numpy(),
            "product": rng.integers(0, len(self.codes), len(free_orders)),
            "quantity": rng.integers(1, 4, len(free_orders)), "price": 0})
        self.counts["free_item_lines"] += len(free)
        self.counts["invoices"] += len(done)
        both = pd.concat([kept, free], ignore_index=True)
        return self._rows(both["number"].map(lambda n: str(FIRST_INVOICE + n)), both)

    def _returns(self, frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        back = frame[frame["status"] == "returned"].reset_index(drop=True)
        cents = -back["cents"].to_numpy()
        units = rng.integers(1, 4, len(back))
        price = cents // units
        rest = cents - price * units
        product = rng.integers(0, len(self.codes), len(back))
        low = back.assign(quantity=-(units - rest), price=price, product=product)
        high = back.assign(quantity=-rest, price=price + 1, product=product)[rest > 0]
        both = pd.concat([low, high], ignore_index=True)
        self.counts["cancellations"] += len(back)
        self.counts["cancellation_lines"] += len(both)
        return self._rows(both["number"].map(lambda n: f"C{FIRST_INVOICE + n}"), both)

    def _guests(self, frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        n = round(GUEST_SHARE * int((frame["status"] == "completed").sum()))
        when = frame["ordered_at"].to_numpy()[rng.integers(0, len(frame), n)] if len(frame) \
            else np.array([], dtype="datetime64[us]")
        n_lines = rng.integers(1, 5, n)
        invoice = np.repeat(np.arange(n), n_lines)
        product = rng.integers(0, len(self.codes), len(invoice))
        guests = pd.DataFrame({"invoice_no": invoice, "product": product,
                               "ordered_at": when[invoice],
                               "quantity": rng.integers(1, 7, len(invoice)),
                               "price": self.prices[product]})
        guests = guests.drop_duplicates(["invoice_no", "product"])
        guests["customer"], guests["country"] = "", "United Kingdom"
        numbers = (9_000_000 + self._next_extra + guests["invoice_no"]).astype(str)
        self._next_extra += n + 2
        self.counts["guest_invoices"] += n
        self.counts["guest_lines"] += len(guests)
        rows = [self._rows(numbers, guests)]
        if len(frame):  # one bad-debt adjustment and one stock correction per chunk
            moment = pd.Series(when[:1] if n else frame["ordered_at"].to_numpy()[:1])
            extra = self._next_extra
            adjust = self._rows(pd.Series([f"A{extra}"]), pd.DataFrame({
                "ordered_at": moment, "product": [0], "quantity": [1],
                "price": [-int(rng.integers(10_000, 2_000_000))], "customer": [""],
                "country": ["United Kingdom"]}))
            adjust["StockCode"], adjust["Description"] = "B", "Adjust bad debt"
            stock = self._rows(pd.Series([str(9_000_000 + extra + 1)]), pd.DataFrame({
                "ordered_at": moment, "product": [int(rng.integers(0, len(self.codes)))],
                "quantity": [-int(rng.integers(1, 25))], "price": [0], "customer": [""],
                "country": ["United Kingdom"]}))
            stock["Description"] = "damaged"
            rows += [adjust, stock]
            self._next_extra += 2
            self.counts["adjustment_lines"] += 1
            self.counts["stock_corrections"] += 1
        return pd.concat(rows, ignore_index=True)

    def _rows(self, invoice: pd.Series, part: pd.DataFrame) -> pd.DataFrame:
        product = part["product"].to_numpy(np.int64)
        return pd.DataFrame({
            "InvoiceNo": invoice.to_numpy(dtype=object),
            "StockCode": self.codes[product], "Description": self.names[product],
            "Quantity": part["quantity"].to_numpy(np.int64),
            "when": pd.to_datetime(part["ordered_at"].to_numpy()),
            "UnitPrice": part["price"].to_numpy(np.int64) / 100.0,
            "CustomerID": part["customer"].to_numpy(dtype=object),
            "Country": part["country"].to_numpy(dtype=object),
            "invoice": invoice.to_numpy(dtype=object), "seq": np.arange(len(part))})

    def _duplicates(self, rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        """Some customer lines written twice in a row (a line scanned twice)."""
        twice = (rows["CustomerID"] != "").to_numpy() & (rng.random(len(rows)) < DUPLICATE_SHARE)
        self.counts["duplicate_lines"] += int(twice.sum())
        return rows.loc[rows.index.repeat(np.where(twice, 2, 1))]

    def _emit(self, rows: pd.DataFrame) -> None:
        if self._book is None:
            out = rows[COLUMNS[:4]].copy()
            out["InvoiceDate"] = rows["when"].dt.strftime("%Y-%m-%d %H:%M:%S")
            out["UnitPrice"] = rows["UnitPrice"]
            out["CustomerID"] = rows["CustomerID"]
            out["Country"] = rows["Country"]
            out.to_csv(self._handle, header=False, index=False, lineterminator="\n")
            return
        second = (rows["when"] >= pd.Timestamp(self.middle)).to_numpy()
        for values, late in zip(rows[["InvoiceNo", "StockCode", "Description", "Quantity",
                                      "when", "UnitPrice", "CustomerID", "Country"]
                                     ].itertuples(index=False, name=None), second, strict=True):
            invoice = int(values[0]) if values[0].isdigit() else values[0]
            customer = int(values[6]) if values[6] else None
            self._sheets[int(late)].append(
                [invoice, values[1], values[2], int(values[3]),
                 values[4].to_pydatetime().replace(microsecond=0), float(values[5]), customer,
                 values[7]])

    def close(self) -> None:
        """Finish the file and write the truth."""
        if self._book is not None:
            self._book.save(self.path)
        elif self._handle is not None:
            self._handle.close()
        truth = (pd.concat(self._truth, ignore_index=True) if self._truth
                 else _truth(pd.DataFrame(columns=["customer", "status", "cents", "ordered_at"])))
        pq.write_table(pa.Table.from_pandas(truth, preserve_index=False), self.truth_path)


def _truth(frame: pd.DataFrame) -> pd.DataFrame:
    """Per customer: purchase days, gross spend, returns and net spend, from the orders."""
    done = frame[frame["status"] == "completed"]
    back = frame[frame["status"] == "returned"]
    days = pd.to_datetime(done["ordered_at"]).dt.normalize()
    per = pd.DataFrame({"customer": done["customer"], "day": days, "cents": done["cents"],
                        "at": pd.to_datetime(done["ordered_at"])}).groupby("customer").agg(
        purchase_days=("day", "nunique"), gross=("cents", "sum"),
        first_purchase_at=("at", "min"), last_purchase_at=("at", "max"))
    returned = (-back["cents"]).groupby(back["customer"]).sum()
    per["returned"] = returned.reindex(per.index).fillna(0).astype(np.int64)
    return pd.DataFrame({
        "customer_id": per.index.astype(str),
        "purchase_days": per["purchase_days"].astype(np.int64).to_numpy(),
        "gross_spend": per["gross"].to_numpy() / 100.0,
        "returns": per["returned"].to_numpy() / 100.0,
        "net_spend": (per["gross"] - per["returned"]).to_numpy() / 100.0,
        "first_purchase_at": per["first_purchase_at"].to_numpy(),
        "last_purchase_at": per["last_purchase_at"].to_numpy(),
    })

