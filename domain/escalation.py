"""The collection ladder: who owns an overdue customer, by days overdue; pre-due reminders.

`plan_case` is the daily escalation as a pure planner: a customer's facts (overdue items,
open case, promises and plans due) and the tenant's ladder in; the case's opening, stage
moves with a task each, closing, and the agreements' outcomes out. The service applies it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from itertools import pairwise
from uuid import UUID

from domain.agreements import ActivePlan, DuePromise, Outcome, plan_outcome, promise_outcome
from domain.errors import DomainError
from domain.roles import ALL_ROLES

#: Source practice: remind customers 7 days before an invoice falls due.
PRE_DUE_REMINDER_DAYS = 7
#: The owner of a new stage acts by the next day.
TASK_DUE_DAYS = 1


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


def position(key: str | None, ladder: Sequence[Stage]) -> int:
    """A stage key's rung on the ladder; -1 for none or a key the ladder does not have."""
    return next((n for n, s in enumerate(ladder) if s.key == key), -1)


def stage_index(stage: Stage | None, ladder: Sequence[Stage] = DEFAULT_LADDER) -> int:
    """Position on the ladder (-1 for no stage), to compare stages."""
    return -1 if stage is None else position(stage.key, ladder)


def reminder_due(due_date: date, as_of: date, days_before: int = PRE_DUE_REMINDER_DAYS) -> bool:
    """Inside the reminder window [due - days_before, due): a missed day still catches up."""
    return due_date - timedelta(days=days_before) <= as_of < due_date


@dataclass(frozen=True)
class OverdueItem:
    """An open item past its due date; a wholly disputed one pauses collection."""

    days_past_due: int
    open_minor: int
    disputed_minor: int

    @property
    def collectable(self) -> bool:
        """Something undisputed is still owed."""
        return self.open_minor > self.disputed_minor


def days_overdue(items: Sequence[OverdueItem]) -> int:
    """Days past due of the oldest undisputed debt; 0 when nothing undisputed is overdue.

    The daily run computes this set-wise in SQL (services.collections.escalation); the two
    are checked against each other on generated ledgers.
    """
    return max((i.days_past_due for i in items if i.collectable and i.days_past_due > 0), default=0)


@dataclass(frozen=True)
class OpenCase:
    """A customer's open case as stored (its stage key may be from an older ladder)."""

    stage: str
    days_overdue: int


@dataclass(frozen=True)
class CustomerFacts:
    """What the day's escalation knows of one customer: `days_overdue` of its open items
    (see days_overdue), its open case, its promises due and its active plans."""

    customer_id: UUID
    days_overdue: int = 0
    case: OpenCase | None = None
    promises: tuple[DuePromise, ...] = ()
    plans: tuple[ActivePlan, ...] = ()


class Cause(Enum):
    """Why a case moves: its oldest debt aged into a stage, or an agreement failed."""

    OVERDUE = "OVERDUE"
    BREACH = "BREACH"


@dataclass(frozen=True)
class Task:
    """Work for a role, created with a stage move."""

    role: str
    title: str
    due_on: date


@dataclass(frozen=True)
class StageMove:
    """The case goes to `stage` (possibly the one it is on, after a breach at the top)."""

    stage: Stage
    previous: str | None
    cause: Cause
    task: Task


@dataclass(frozen=True)
class CasePlan:
    """What to do to one customer's case today: open it (with `days_overdue`), refresh its
    days, move it (a task each), close it; and settle the promises and plans that are due."""

    customer_id: UUID
    opens: bool = False
    closes: bool = False
    days_overdue: int = 0
    refresh_days: bool = False
    moves: tuple[StageMove, ...] = ()
    promises: tuple[Outcome, ...] = ()
    plans: tuple[Outcome, ...] = ()

    @property
    def stage(self) -> Stage | None:
        """The stage the case ends on, when it moves."""
        return self.moves[-1].stage if self.moves else None

    @property
    def next_action(self) -> str | None:
        """The case's next action after the moves: the last task's title."""
        return self.moves[-1].task.title if self.moves else None

    @property
    def escalates(self) -> bool:
        """An open case moves up because its debt aged (not opened, not a breach)."""
        return not self.opens and any(m.cause is Cause.OVERDUE for m in self.moves)

    @property
    def changes_nothing(self) -> bool:
        """Applying this plan would write nothing."""
        return not (
            self.opens
            or self.closes
            or self.refresh_days
            or self.moves
            or self.promises
            or self.plans
        )


def plan_case(facts: CustomerFacts, ladder: Sequence[Stage], as_of: date) -> CasePlan:
    """Open, move forward or close the case from its oldest undisputed debt; each breach
    moves it one more rung up this ladder. A case never moves down."""
    promises = tuple(promise_outcome(p) for p in facts.promises)
    plans = tuple(o for p in facts.plans if (o := plan_outcome(p, as_of)) is not None)
    days = facts.days_overdue
    due_stage = escalation_stage(days, ladder)
    case = facts.case
    if due_stage is None:  # nothing undisputed overdue: no case, and nothing to escalate
        return CasePlan(facts.customer_id, closes=case is not None, promises=promises, plans=plans)
    task_due = as_of + timedelta(days=TASK_DUE_DAYS)
    moves: list[StageMove] = []
    previous = case.stage if case else None
    rung = position(previous, ladder)
    if stage_index(due_stage, ladder) > rung:
        task = Task(due_stage.owner_role, due_stage.action, task_due)
        moves.append(StageMove(due_stage, previous, Cause.OVERDUE, task))
        previous, rung = due_stage.key, stage_index(due_stage, ladder)
    for outcome in (*promises, *plans):
        if outcome.breach is None:
            continue
        rung = min(rung + 1, len(ladder) - 1)
        stage = ladder[rung]
        task = Task(stage.owner_role, outcome.breach.task_title, task_due)
        moves.append(StageMove(stage, previous, Cause.BREACH, task))
        previous = stage.key
    return CasePlan(
        facts.customer_id,
        opens=case is None,
        days_overdue=days,
        refresh_days=case is not None and case.days_overdue != days,
        moves=tuple(moves),
        promises=promises,
        plans=plans,
    )
