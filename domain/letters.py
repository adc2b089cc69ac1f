"""Dunning letters as a credit manager sends them: kinds, numbers, deadlines.

A letter's number is its kind's series, the year and a running number per tenant, kind and
year (DL-2026-0007), the same in every language, so the Chinese and English copies of one
letter are the same letter.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from domain.errors import DomainError


class LetterKind(StrEnum):
    """A friendly reminder (催款函), a formal demand (催告函), a lawyer's letter (律师函)."""

    REMINDER = "REMINDER"
    DEMAND = "DEMAND"
    LAWYER = "LAWYER"


#: The series a letter number starts with.
SERIES = {LetterKind.REMINDER: "DL", LetterKind.DEMAND: "DM", LetterKind.LAWYER: "LL"}
#: Days the customer is given to pay: common practice is 10 for a reminder, 7 for a formal
#: demand and 5 for a lawyer's letter, shorter at each step of the ladder.
DEADLINE_DAYS = {LetterKind.REMINDER: 10, LetterKind.DEMAND: 7, LetterKind.LAWYER: 5}
#: A deadline further out than this is no demand at all.
DEADLINE_MAX_DAYS = 90


def kind_of(value: str) -> LetterKind:
    """A letter kind, else INVALID_KIND."""
    try:
        return LetterKind(value)
    except ValueError:
        raise DomainError("INVALID_KIND", "kind is REMINDER, DEMAND or LAWYER", "kind") from None


def letter_number(kind: LetterKind, year: int, seq: int) -> str:
    """The printed number of the `seq`-th letter of a kind in a year: DL-2026-0007."""
    return f"{SERIES[kind]}-{year}-{seq:04d}"


def deadline(kind: LetterKind, as_of: date, requested: date | None = None) -> date:
    """The day to pay by: the kind's default, or a requested day after the letter's date."""
    if requested is None:
        return as_of + timedelta(days=DEADLINE_DAYS[kind])
    if requested <= as_of or requested > as_of + timedelta(days=DEADLINE_MAX_DAYS):
        raise DomainError(
            "INVALID_DATE",
            f"the deadline falls 1 to {DEADLINE_MAX_DAYS} days after the letter's date",
            "deadline",
        )
    return requested
