"""Business dates a platform row may hold: a sane range, so every job can compute with them.

PostgreSQL accepts 0001-01-01 and 9999-12-31 (and turns what it cannot hold into ±infinity,
which no date arithmetic survives); a credit ledger has no use for either. Every date a
mutation, an import or an argument carries is checked against this range here and by a CHECK
in the database, so no accepted row can fail a later job.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from domain.errors import DomainError

EARLIEST = date(1900, 1, 1)  #: no trading company's records go back further
LATEST = date(2199, 12, 31)  #: far beyond any term, limitation period or provision horizon
#: The range as SQL, for the CHECK constraints that mirror it on every date column.
SQL_RANGE = f"BETWEEN DATE '{EARLIEST.isoformat()}' AND DATE '{LATEST.isoformat()}'"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  #: how imports write a date


def in_range(value: date) -> bool:
    """Whether a date is one the platform stores."""
    return EARLIEST <= value <= LATEST


def check_date(value: date | None, field: str) -> date | None:
    """The date, or INVALID_DATE naming the field and the range."""
    if value is not None and not in_range(value):
        raise DomainError(
            "INVALID_DATE",
            f"a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}",
            field,
        )
    return value


def check_moment(value: datetime | None, field: str) -> datetime | None:
    """A timestamp with its UTC offset whose date (in that offset and in UTC) lies in the
    range; a moment without an offset names no moment at all."""
    if value is None:
        return None
    check_date(value.date(), field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError("INVALID_DATE", "a moment with its offset, e.g. +08:00 or Z", field)
    try:
        utc = value - (value.utcoffset() or timedelta(0))
    except OverflowError:
        raise DomainError("INVALID_DATE", "a moment within the supported range", field) from None
    check_date(utc.date(), field)
    return value


def shift(value: date, days: int) -> date:
    """A date moved by days, clamped to the range (a due date plus grace never overflows)."""
    try:
        moved = value + timedelta(days=days)
    except OverflowError:
        return LATEST if days > 0 else EARLIEST
    return min(max(moved, EARLIEST), LATEST)


def parse_date(text: str, field: str) -> date:
    """A date written YYYY-MM-DD (as imports carry them) and in the range, else INVALID_DATE."""
    if not ISO_DATE.fullmatch(text):
        raise DomainError("INVALID_DATE", f"{text[:20]!r} is not YYYY-MM-DD", field)
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise DomainError("INVALID_DATE", f"{text!r} is not a calendar date", field) from None
    check_date(value, field)
    return value


def check_period(start: date, end: date, start_field: str, end_field: str) -> None:
    """Both ends of a period in the range (each refusal names its own field)."""
    check_date(start, start_field)
    check_date(end, end_field)


def month_end(day: date) -> date:
    """The last day of the month containing `day`: a period named by any of its days."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
