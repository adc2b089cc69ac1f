"""A warning's life: open, acknowledged, investigating, then resolved or dismissed; and its
SLA, escalated up a ladder of roles when nobody takes it up in time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import DomainError
from domain.warning_rules.levels import Level


class Status(StrEnum):
    """Where a warning stands; RESOLVED and DISMISSED are final."""

    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    INVESTIGATING = "INVESTIGATING"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"


class Feedback(StrEnum):
    """Whether the signal was right: the rule-quality report counts these."""

    TRUE_ALARM = "TRUE_ALARM"
    FALSE_ALARM = "FALSE_ALARM"


#: A warning still being worked: deduplication and SLAs look only at these.
ACTIVE = frozenset({Status.OPEN, Status.ACKNOWLEDGED, Status.INVESTIGATING})
NEXT: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset(
        {Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.RESOLVED, Status.DISMISSED}
    ),
    Status.ACKNOWLEDGED: frozenset({Status.INVESTIGATING, Status.RESOLVED, Status.DISMISSED}),
    Status.INVESTIGATING: frozenset({Status.RESOLVED, Status.DISMISSED}),
    Status.RESOLVED: frozenset(),
    Status.DISMISSED: frozenset(),
}
MAX_NOTE = 2000  #: a note is a paragraph (a database CHECK mirrors it)


def move(current: Status, target: Status, feedback: Feedback | None) -> Feedback | None:
    """Check a status change; the feedback to store (a dismissal is a false alarm unless
    said otherwise, a resolution a true one)."""
    if target not in NEXT[current]:
        raise DomainError(
            "INVALID_TRANSITION",
            f"a {current.value} warning cannot become {target.value}",
            "status",
        )
    if feedback is None and target is Status.DISMISSED:
        return Feedback.FALSE_ALARM
    if feedback is None and target is Status.RESOLVED:
        return Feedback.TRUE_ALARM
    return feedback


#: Hours a warning may stay OPEN before it is escalated: severe within a working day.
SLA_HOURS: dict[Level, int] = {Level.LIGHT: 168, Level.MEDIUM: 72, Level.SEVERE: 24}
#: Who owns a new warning of each level.
OWNER: dict[Level, str] = {
    Level.LIGHT: "sales",
    Level.MEDIUM: "credit_manager",
    Level.SEVERE: "credit_manager",
}
#: Escalation goes one rung up; the top rung stays where it is.
LADDER = ("sales", "credit_analyst", "credit_manager", "admin")


def sla_hours(level: Level, configured: Mapping[str, int]) -> int:
    """The tenant's SLA for a level, or the default."""
    return int(configured.get(level.value, SLA_HOURS[level]))


def sla_due(raised_at: datetime, level: Level, configured: Mapping[str, int]) -> datetime:
    """When a warning raised (or raised in level) at `raised_at` must have been taken up."""
    return raised_at + timedelta(hours=sla_hours(level, configured))


def next_role(role: str) -> str | None:
    """The role one rung up the ladder, None at the top (or for a role not on it)."""
    if role not in LADDER or role == LADDER[-1]:
        return None
    return LADDER[LADDER.index(role) + 1]


def escalation(
    status: Status, role: str, due_at: datetime | None, now: datetime, hours: int
) -> tuple[str, datetime] | None:
    """The new owner and deadline of a breached open warning, None when not breached (or
    already at the top of the ladder)."""
    if status is not Status.OPEN or due_at is None or now <= due_at:
        return None
    up = next_role(role)
    if up is None:
        return None
    return up, now + timedelta(hours=hours)
