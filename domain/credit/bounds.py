"""Plausibility bounds shared by the limit rules: business dates and text lengths."""

from __future__ import annotations

from datetime import date

from domain.errors import DomainError

#: Every business date lies in this window (a database CHECK mirrors it): earlier or later
#: dates are typing mistakes, not contracts.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


def date_error(value: date | None, field: str) -> DomainError | None:
    """An INVALID_DATE refusal for a date outside the window, else None."""
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        return DomainError("INVALID_DATE", f"must lie between {MIN_DATE} and {MAX_DATE}", field)
    return None


def clean_text(
    value: str | None, field: str, max_length: int, errors: list[DomainError], required: bool
) -> str | None:
    """Trimmed text or None; a blank required text or an over-long one is refused."""
    text = (value or "").strip() or None
    if text is None and required:
        errors.append(DomainError("REQUIRED", "must not be blank", field))
    if text is not None and len(text) > max_length:
        errors.append(DomainError("TOO_LONG", f"at most {max_length} characters", field))
    return text
