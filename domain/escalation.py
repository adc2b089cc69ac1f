"""The collection ladder: who owns an overdue customer, by days overdue; pre-due reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from domain.errors import DomainError
from domain.roles import ALL_ROLES

#: Source practice: remind customers 7 days before an invoice falls due.
PRE_DUE_REMINDER_DAYS = 7


@dataclass(frozen=True)
class Stage:
    """A rung of the ladder: from min_days overdue, owned by a role, with a next action."""

    key: str
    min_days: int
    max_days: int | None
    owner_role: str
    action: str


#: Source practice: the salesperson calls first; the credit manager takes over after 30 days,
#: legal sends a lawyer's letter after 60, and litigation starts after 90 days overdue.
DEFAULT_LADDER: tuple[Stage, ...] = (
    Stage("SALES_CALL", 1, 30, "sales", "Salesperson calls the customer"),
    Stage("CREDIT_MANAGER", 31, 60, "credit_manager", "Credit manager takes over"),
    Stage("LAWYER_LETTER", 61, 90, "legal", "Legal sends a lawyer's letter"),
    Stage("LITIGATION", 91, None, "legal", "Start litigation"),
)


def validate_ladder(stages: Sequence[Stage]) -> tuple[Stage, ...]:
    """Contiguous from day 1, ascending, the last open-ended, each stage with a key, an
    action and an owner that is a real role; else a DomainError."""
    for n, stage in enumerate(stages):
        if stage.owner_role not in ALL_ROLES:
            raise DomainError(
                "INVALID_LADDER", f"owner role {stage.owner_role!r} is not a role", f"{n}.ownerRole"
            )
        if not stage.key.strip() or not stage.action.strip():
            raise DomainError("REQUIRED", "every stage needs a key and an action", str(n))
    if not stages or stages[0].min_days != 1:
        raise DomainError("INVALID_LADDER", "the ladder starts at 1 day overdue", "ladder")
    for before, after in pairwise(stages):
        if before.max_days is None or after.min_days != before.max_days + 1:
            raise DomainError("INVALID_LADDER", "stages must be contiguous", "ladder")
    if stages[-1].max_days is not None:
        raise DomainError("INVALID_LADDER", "the last stage must be open-ended", "ladder")
    return tuple(stages)


def escalation_stage(days_overdue: int, ladder: Sequence[Stage] = DEFAULT_LADDER) -> Stage | None:
    """The stage for this many days overdue; None when nothing is overdue."""
    if days_overdue < 1:
        return None
    for stage in ladder:
        if stage.max_days is None or days_overdue <= stage.max_days:
            return stage
    return ladder[-1]


def stage_index(stage: Stage | None, ladder: Sequence[Stage] = DEFAULT_LADDER) -> int:
    """Position on the ladder (-1 for no stage), to compare stages."""
    return -1 if stage is None else [s.key for s in ladder].index(stage.key)


def reminder_due(due_date: date, as_of: date, days_before: int = PRE_DUE_REMINDER_DAYS) -> bool:
    """Inside the reminder window [due - days_before, due): a missed day still catches up."""
    return due_date - timedelta(days=days_before) <= as_of < due_date
