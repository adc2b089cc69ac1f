"""Receivables KPIs from ledger totals, exact in Decimal, one currency at a time.

Definitions (the ones credit managers' handbooks use, so figures compare with other tools):
- DSO, countback: walk back month by month from the period end, subtracting each month's
  net credit sales from the closing receivables; whole months count all their days, the
  month that exhausts the balance counts the fraction of its days that the rest covers.
- Best possible DSO: current (not yet due) receivables / net sales of the period x its days.
- Average days delinquent (ADD): overdue receivables / net sales x days, i.e. the part of a
  period-based DSO that is caused by late payment (DSO minus best possible DSO).
- Collection effectiveness index (CEI): (opening + sales - closing) /
  (opening + sales - closing current) x 100: of what could be collected, how much was.
- Concentration: the top 10 customers' share of open receivables and the
  Herfindahl-Hirschman index (sum of squared percentage shares, 0..10,000).
- Collection rate (sales bonuses): cash collected in the period on invoices due by its end
  / (that cash + what is still open on them at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from domain.dates import check_date
from domain.errors import DomainError

MAX_COUNTBACK_MONTHS = 24  #: DSO is capped here when sales are too thin to cover the balance
DAYS = Decimal("0.1")
RATIO = Decimal("0.0001")


def quantize(value: Decimal | None, step: Decimal) -> Decimal | None:
    """Round half-even to the display step; None (undefined) stays None."""
    return None if value is None else value.quantize(step, rounding=ROUND_HALF_EVEN)


def check_period(start: date, end: date) -> int:
    """Days in the period, both ends included; refuses a date out of the platform's range and
    an inverted or over-long period."""
    check_date(start, "from")
    check_date(end, "to")
    if end < start:
        raise DomainError("INVALID_DATE", "the period ends before it starts", "to")
    days = (end - start).days + 1
    if days > 3 * 366:
        raise DomainError("INVALID_DATE", "a KPI period is at most three years", "from")
    return days


def month_segments(end: date, count: int = MAX_COUNTBACK_MONTHS) -> list[tuple[date, date]]:
    """Calendar-month segments walking back from `end`; the first may be a partial month."""
    segments = []
    stop = end
    for _ in range(count):
        start = stop.replace(day=1)
        segments.append((start, stop))
        stop = start - timedelta(days=1)
    return segments


@dataclass(frozen=True)
class Countback:
    """DSO by countback and the window it looked at, so a reader can tell how it was got."""

    dso: Decimal
    #: first day of the oldest month the walk reached (None: nothing open, nothing walked)
    window_from: date | None
    window_to: date
    #: calendar months walked (a partial first month counts as one)
    months: int
    #: True when the balance outlasted MAX_COUNTBACK_MONTHS of sales: DSO stops at the cap
    capped: bool


def countback(closing: int, segments: list[tuple[date, date, int]]) -> Countback:
    """DSO by countback over `segments`, (first day, last day, net sales) newest first, as
    month_segments gives them; with the window actually walked and whether it hit the cap."""
    window_to = segments[0][1] if segments else date.min
    if closing <= 0 or not segments:
        return Countback(Decimal(0), None, window_to, 0, False)
    remaining = Decimal(closing)
    days = Decimal(0)
    for n, (start, end, sales) in enumerate(segments, start=1):
        segment_days = (end - start).days + 1
        if sales <= 0 or remaining > sales:
            days += segment_days
            remaining -= max(sales, 0)
            continue
        dso = days + Decimal(segment_days) * remaining / Decimal(sales)
        return Countback(dso, start, window_to, n, False)
    # the balance is older than the months looked at: capped
    return Countback(days, segments[-1][0], window_to, len(segments), True)


def per_sales_days(amount: int, sales: int, days: int) -> Decimal | None:
    """amount / sales x days: the shape of best possible DSO and ADD; None without sales."""
    if sales <= 0:
        return None
    return Decimal(amount) * days / Decimal(sales)


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole, None when the whole is zero (undefined, not 0%)."""
    if whole == 0:
        return None
    return Decimal(part) / Decimal(whole)


def cei(opening: int, sales: int, closing: int, closing_current: int) -> Decimal | None:
    """Collection effectiveness index in percent."""
    collectible = opening + sales - closing_current
    if collectible <= 0:
        return None
    return Decimal(opening + sales - closing) * 100 / Decimal(collectible)


@dataclass(frozen=True)
class Concentration:
    """How much of the book sits with few customers."""

    top10_share: Decimal | None
    hhi: Decimal | None
    customers: int


def concentration(total: int, top10: int, sum_of_squares: int, customers: int) -> Concentration:
    """From SQL aggregates: Σ open, Σ open of the 10 largest, Σ open², customer count."""
    if total <= 0:
        return Concentration(None, None, customers)
    share = Decimal(top10) / Decimal(total)
    hhi = Decimal(sum_of_squares) * 10000 / (Decimal(total) * Decimal(total))
    return Concentration(share, hhi, customers)
