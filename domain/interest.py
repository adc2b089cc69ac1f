"""Late-payment interest: simple daily interest on the overdue principal.

Convention: interest runs from the day after the due date plus grace days, through the day
of payment (a payment on day P stops interest from day P + 1), and through `as_of` for what
is still open. It is computed exactly and rounded half up once, at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.dates import shift
from domain.errors import DomainError
from domain.money import parse_decimal

#: common contract default (and the source practice): 0.05% of the overdue amount per day.
LATE_INTEREST_PER_DAY = Decimal("0.0005")
DEFAULT_GRACE_DAYS = 0  #: no grace unless the tenant or agreement grants some
MAX_DAILY_RATE = Decimal("0.01")  #: 1% a day is already usurious; above it is a typo


def parse_daily_rate(value: str, field: str) -> Decimal:
    """A late-interest daily rate from text: 0 to below 1%, at most 8 decimal places."""
    rate = parse_decimal(value, field)
    if rate < 0 or rate >= MAX_DAILY_RATE:
        raise DomainError("INVALID_INPUT", "a daily rate from 0 to below 0.01 (1%)", field)
    if rate.as_tuple().exponent < -8:  # type: ignore[operator]
        raise DomainError("INVALID_INPUT", "at most 8 decimal places", field)
    return rate


def _days(first: date, last: date) -> int:
    return max(0, (last - first).days + 1)


def interest_start(due_date: date, grace_days: int = DEFAULT_GRACE_DAYS) -> date:
    """The first day interest runs: the day after the due date plus grace days."""
    return shift(due_date, grace_days + 1)


def principal_days(
    amount_minor: int,
    due_date: date,
    reductions: Sequence[tuple[date, int]],
    first: date,
    last: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> int:
    """The principal outstanding on each interest day from `first` through `last`, summed:
    simple daily interest is this times the daily rate. A reduction on day P counts from
    P + 1, so the principal-days of adjacent periods add up to those of their union."""
    lo = max(first, interest_start(due_date, grace_days))
    if last < lo:
        return 0
    total = amount_minor * _days(lo, last)
    for on, amount in reductions:
        total -= amount * _days(max(lo, shift(on, 1)), last)
    return total


def accrued_interest(
    amount_minor: int,
    due_date: date,
    reductions: Sequence[tuple[date, int]],
    as_of: date,
    rate_per_day: Decimal = LATE_INTEREST_PER_DAY,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> int:
    """Interest accrued by `as_of` (minor units); reductions are (date, amount) entries."""
    base = principal_days(amount_minor, due_date, reductions, date.min, as_of, grace_days)
    value = Decimal(base) * rate_per_day
    return max(0, int(value.to_integral_value(ROUND_HALF_UP)))
