"""The evidence chain of collection activities: what may be recorded, and when."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.errors import DomainError

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
    """An activity has happened already (within the clock skew), else FUTURE_DATE."""
    if occurred_at > now + CLOCK_SKEW:
        raise DomainError("FUTURE_DATE", "an activity cannot lie in the future", "occurredAt")
