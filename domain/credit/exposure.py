"""Exposure: open receivables + open orders + live reservations, against a limit.

The database sums open items per currency through partial indexes over open items only;
the functions here are the pure twins of those sums (tests compare them), plus the rule
that invoicing consumes an order, and the standing of a customer or group against a limit,
every foreign-currency figure converted through the rate book.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

from domain.credit.rates import Conversion, RateBook
from domain.money import Money

#: Utilisation is shown as a share with four decimals (0.8125 = 81.25 %).
UTILISATION_PLACES = Decimal("0.0001")


class OrderStatus(StrEnum):
    """An order's life: open, shipped (delivered, not yet invoiced), invoiced, cancelled."""

    OPEN = "OPEN"
    SHIPPED = "SHIPPED"
    INVOICED = "INVOICED"
    CANCELLED = "CANCELLED"


#: Orders that still count: not yet (fully) invoiced, not cancelled.
COUNTING = (OrderStatus.OPEN, OrderStatus.SHIPPED)


@dataclass(frozen=True, slots=True)
class OrderState:
    """What exposure needs of an order."""

    currency: str
    amount_minor: int
    invoiced_minor: int
    status: OrderStatus

    @property
    def remaining_minor(self) -> int:
        """What the order still adds to exposure."""
        if self.status not in COUNTING:
            return 0
        return max(self.amount_minor - self.invoiced_minor, 0)


def consume(order: OrderState, currency: str, amount_minor: int) -> OrderState:
    """An invoice carrying the order's reference consumes it, so nothing counts twice: in the
    order's currency by its amount (fully invoiced once it reaches the order's amount), in
    another currency wholly (the amounts cannot be compared without a rate).
    Cancelled or invoiced orders are left alone. (Twin of the database trigger.)"""
    if order.status not in COUNTING:
        return order
    if currency != order.currency:
        return OrderState(
            order.currency, order.amount_minor, order.amount_minor, OrderStatus.INVOICED
        )
    invoiced = min(order.amount_minor, order.invoiced_minor + amount_minor)
    status = OrderStatus.INVOICED if invoiced >= order.amount_minor else order.status
    return OrderState(order.currency, order.amount_minor, invoiced, status)


def sum_by_currency(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Amounts per currency, zero sums dropped (twin of SUM ... GROUP BY currency)."""
    totals: dict[str, int] = {}
    for currency, minor in items:
        totals[currency] = totals.get(currency, 0) + minor
    return {c: m for c, m in sorted(totals.items()) if m}


@dataclass(frozen=True, slots=True)
class Receivables:
    """Open receivables per currency, and how late the oldest is."""

    open: tuple[Money, ...]
    overdue: tuple[Money, ...]
    max_days_overdue: int


def open_receivables(items: Iterable[tuple[str, int, date]], as_of: date) -> Receivables:
    """Open invoices (currency, open amount, due date) as exposure: per-currency open and
    overdue sums and the most days past due (twin of the exposure query's invoice part)."""
    rows = [(c, m, d) for c, m, d in items if m > 0]
    late = [(c, m, (as_of - d).days) for c, m, d in rows if d < as_of]
    return Receivables(
        tuple(Money(m, c) for c, m in sum_by_currency((c, m) for c, m, _ in rows).items()),
        tuple(Money(m, c) for c, m in sum_by_currency((c, m) for c, m, _ in late).items()),
        max((days for _, _, days in late), default=0),
    )


def live_reservations(
    items: Iterable[tuple[str, int, datetime]], now: datetime
) -> tuple[Money, ...]:
    """Reservations still holding headroom: those expiring after `now` (no sweep needed)."""
    live = sum_by_currency((c, m) for c, m, expires in items if expires > now)
    return tuple(Money(m, c) for c, m in live.items())


@dataclass(frozen=True, slots=True)
class ExposureFacts:
    """Per-currency sums of each exposure component, as read for one customer or group."""

    receivables: tuple[Money, ...] = ()
    orders: tuple[Money, ...] = ()
    reservations: tuple[Money, ...] = ()
    overdue: tuple[Money, ...] = ()
    max_days_overdue: int = 0

    def to_json(self) -> dict[str, Any]:
        """The facts as a snapshot stores them."""

        def money(items: tuple[Money, ...]) -> list[dict[str, Any]]:
            return [{"minor": m.minor, "currency": m.currency} for m in items]

        return {
            "receivables": money(self.receivables),
            "orders": money(self.orders),
            "reservations": money(self.reservations),
            "overdue": money(self.overdue),
            "maxDaysOverdue": self.max_days_overdue,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ExposureFacts:
        """Inverse of to_json."""

        def money(key: str) -> tuple[Money, ...]:
            return tuple(Money(int(m["minor"]), str(m["currency"])) for m in raw[key])

        return cls(
            money("receivables"),
            money("orders"),
            money("reservations"),
            money("overdue"),
            int(raw["maxDaysOverdue"]),
        )


class ExposurePart(StrEnum):
    """Where a figure belongs in a standing: an exposure component or a limit increase."""

    RECEIVABLES = "RECEIVABLES"
    ORDERS = "ORDERS"
    RESERVATIONS = "RESERVATIONS"
    INCREASES = "INCREASES"


@dataclass(frozen=True, slots=True)
class Unconverted:
    """A figure left out of a total because no rate converts its currency on the date:
    shown, so a total that is short says by what and for want of which rate."""

    part: ExposurePart
    source: Money
    target: str

    @property
    def pair(self) -> str:
        """The missing rate's pair, from the figure's currency to the total's (USD/CNY)."""
        return f"{self.source.currency}/{self.target}"

    def to_json(self) -> dict[str, Any]:
        """The figure as the decision log stores it."""
        return {
            "part": self.part.value,
            "source": {"minor": self.source.minor, "currency": self.source.currency},
            "target": self.target,
        }


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Exposure in one currency, each component's figures with the conversion they used, and
    the figures no rate could convert (left out of the totals)."""

    currency: str
    receivables: tuple[Conversion, ...]
    orders: tuple[Conversion, ...]
    reservations: tuple[Conversion, ...]
    unconverted: tuple[Unconverted, ...] = ()

    def part(self, items: tuple[Conversion, ...]) -> Money:
        """A component's total in the breakdown's currency."""
        return Money(sum(c.amount.minor for c in items), self.currency)

    @property
    def total(self) -> Money:
        """Receivables + orders + reservations (those converted)."""
        return Money(
            sum(c.amount.minor for c in (*self.receivables, *self.orders, *self.reservations)),
            self.currency,
        )


def _convert_all(
    items: tuple[Money, ...], part: ExposurePart, currency: str, book: RateBook
) -> tuple[tuple[Conversion, ...], tuple[Unconverted, ...]]:
    """Each figure in `currency`, and those the book has no rate for."""
    converted: list[Conversion] = []
    left: list[Unconverted] = []
    for money in items:
        found = book.try_convert(money, currency)
        if found is None:
            left.append(Unconverted(part, money, currency))
        else:
            converted.append(found)
    return tuple(converted), tuple(left)


def breakdown(facts: ExposureFacts, currency: str, book: RateBook) -> Breakdown:
    """The facts converted to `currency`; a figure with no rate is listed, not counted."""
    receivables, left_r = _convert_all(facts.receivables, ExposurePart.RECEIVABLES, currency, book)
    orders, left_o = _convert_all(facts.orders, ExposurePart.ORDERS, currency, book)
    reservations, left_s = _convert_all(
        facts.reservations, ExposurePart.RESERVATIONS, currency, book
    )
    return Breakdown(currency, receivables, orders, reservations, (*left_r, *left_o, *left_s))


@dataclass(frozen=True, slots=True)
class Standing:
    """A limit against exposure: the limit with increases, the exposure, headroom, use."""

    standard: Money
    limit: Money
    increases: tuple[Conversion, ...]
    exposure: Breakdown
    headroom: Money
    utilisation: Decimal | None
    #: running increases no rate converts into the limit's currency (left out of `limit`)
    unconverted_increases: tuple[Unconverted, ...] = ()

    @property
    def unconverted(self) -> tuple[Unconverted, ...]:
        """Every figure left out for want of a rate: headroom and use are then incomplete."""
        return (*self.unconverted_increases, *self.exposure.unconverted)


def utilisation(exposure: int, limit: int) -> Decimal | None:
    """Exposure as a share of the limit (None when the limit is zero)."""
    if limit <= 0:
        return None
    return (Decimal(exposure) / Decimal(limit)).quantize(UTILISATION_PLACES, ROUND_HALF_EVEN)


def standing(
    standard: Money, increases: Iterable[Money], facts: ExposureFacts, book: RateBook
) -> Standing:
    """Headroom = standard limit + running increases - exposure, in the limit's currency
    (over what converts: a figure with no rate is listed in `unconverted`)."""
    converted, left = _convert_all(
        tuple(increases), ExposurePart.INCREASES, standard.currency, book
    )
    limit = Money(standard.minor + sum(c.amount.minor for c in converted), standard.currency)
    exposure = breakdown(facts, standard.currency, book)
    total = exposure.total.minor
    return Standing(
        standard, limit, converted, exposure, Money(limit.minor - total, limit.currency),
        utilisation(total, limit.minor), left,
    )  # fmt: skip
