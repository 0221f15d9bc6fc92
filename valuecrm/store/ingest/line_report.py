"""What a line-level load made of its file: :class:`LineCounts` (part of the load report)."""

from __future__ import annotations

from dataclasses import dataclass, field


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


@dataclass
class LineCounts:
    """The orders, lines, products and customers a line-level file became, and every line left
    out, by rule (``docs/line-items.md``). Money: ``gross_sales`` is the value of the customers'
    purchases, ``returns_value`` that of their returns (negative), ``net_sales`` the sum of both;
    ``guest_sales`` the net value of the guest orders."""

    lines: int = 0  # good lines read
    lines_stored: int = 0
    orders: int = 0  # orders with a customer
    purchases: int = 0
    returns: int = 0
    returns_by: dict[str, int] = field(default_factory=dict)  # prefix, status, negative
    cancelled: int = 0
    customers: int = 0
    new_customers: int = 0  # not yet in the database (created with create_customers)
    guest_lines: int = 0
    guest_orders: int = 0
    products: int = 0
    new_products: int = 0
    duplicate_lines: int = 0
    adjustment_lines: int = 0
    negative_price_lines: int = 0
    stock_corrections: int = 0
    zero_value_lines: int = 0
    return_lines_in_purchases: int = 0
    gross_sales: float = 0.0
    returns_value: float = 0.0
    net_sales: float = 0.0
    guest_sales: float = 0.0
    cancel_prefix: str = ""
    cancel_prefix_how: str = ""  # "given", "detected" or "" (none)
    adjustment_prefix: str = ""
    adjustment_prefix_how: str = ""

    def text_lines(self) -> list[str]:
        """The counts as a few lines for people."""
        how = {"given": "given", "detected": "detected in the order numbers"}
        prefixes = [f"{name} prefix {value!r} ({how[found]})" for name, value, found in (
            ("cancellation", self.cancel_prefix, self.cancel_prefix_how),
            ("adjustment", self.adjustment_prefix, self.adjustment_prefix_how)) if found]
        returns = ", ".join(f"{n:,} by {why}" for why, n in self.returns_by.items() if n)
        lines = [
            f"Line-level file: {_n(self.lines, 'good line')} became {_n(self.orders, 'order')} "
            f"({self.purchases:,} purchases, {self.returns:,} returns"
            f"{f' ({returns})' if returns else ''}, {self.cancelled:,} cancelled) of "
            f"{_n(self.customers, 'customer')} ({self.new_customers:,} new), "
            f"{_n(self.lines_stored, 'order line')} and {_n(self.products, 'product')} "
            f"({self.new_products:,} new).",
            f"Guest lines (no customer): {self.guest_lines:,} in "
            f"{_n(self.guest_orders, 'guest order')}, kept for basket and product analysis "
            "(not customers, not errors).",
            f"Sales of the customers: gross {self.gross_sales:,.2f}, returns "
            f"{self.returns_value:,.2f}, net {self.net_sales:,.2f}; guest orders net "
            f"{self.guest_sales:,.2f}.",
            f"Left out by rule: {self.duplicate_lines:,} exact duplicate lines, "
            f"{self.adjustment_lines:,} adjustment lines, {self.negative_price_lines:,} lines "
            f"with a negative price, {self.stock_corrections:,} stock corrections (no price, "
            f"negative quantity). Kept: {self.zero_value_lines:,} lines worth 0, "
            f"{self.return_lines_in_purchases:,} returned lines inside purchases.",
        ]
        if prefixes:
            lines.append("Order numbers: " + "; ".join(prefixes) + ".")
        return lines
