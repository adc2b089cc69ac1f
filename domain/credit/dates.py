"""Business dates of credit analysis: a plausible range, and whole months back from a day."""

from __future__ import annotations

import calendar
from datetime import date

from domain.errors import DomainError

#: Every business date lies in this range (a statement from 1850 or 2500 is a typing error).
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def check_date(value: date, field: str) -> date:
    """The date, or INVALID_DATE when it lies outside 1900-01-01 .. 2199-12-31."""
    if not EARLIEST <= value <= LATEST:
        raise DomainError("INVALID_DATE", "a date between 1900-01-01 and 2199-12-31", field)
    return value


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's end (31 March - 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def years_between(start: date, end: date) -> int:
    """Whole years from start to end (0 when end is before the first anniversary)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)
