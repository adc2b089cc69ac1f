"""The evidence chain of collection activities: what may be recorded, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain import texts
from domain.dates import check_moment
from domain.errors import DomainError, ValidationFailed

#: What a collector records by hand.
ACTIVITY_KINDS = ("CALL", "EMAIL", "LETTER", "VISIT", "LEGAL", "NOTE")
#: What the platform records itself (letters sent, statement answers, reminders).
SYSTEM_KINDS = ("DUNNING_LETTER", "STATEMENT", "REMINDER")
#: Clocks differ: an activity a few minutes "in the future" is a skewed clock, not a lie.
CLOCK_SKEW = timedelta(minutes=5)


def check_kind(kind: str) -> None:
    """A kind the evidence chain knows, else INVALID_KIND."""
    if kind not in (*ACTIVITY_KINDS, *SYSTEM_KINDS):
        raise DomainError("INVALID_KIND", f"kind is one of {ACTIVITY_KINDS}", "kind")


def check_occurred_at(occurred_at: datetime, now: datetime) -> None:
    """A moment in the platform's range that has happened already (within the clock skew),
    else INVALID_DATE or FUTURE_DATE."""
    check_moment(occurred_at, "occurredAt")
    if occurred_at > now + CLOCK_SKEW:
        raise DomainError("FUTURE_DATE", "an activity cannot lie in the future", "occurredAt")


def check_texts(outcome: str | None, notes: str | None, document_ref: str | None) -> None:
    """An activity's texts within their limits (every refusal at once)."""
    errors: list[DomainError] = []
    texts.collect_text(outcome, texts.SHORT, "outcome", errors)
    texts.collect_text(notes, texts.NOTE, "notes", errors)
    texts.collect_text(document_ref, texts.REFERENCE, "documentRef", errors)
    if errors:
        raise ValidationFailed(errors)
