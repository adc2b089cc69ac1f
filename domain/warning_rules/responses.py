"""What the platform does when a warning is raised, per level; a tenant may change the list."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from domain.errors import DomainError, ValidationFailed
from domain.warning_rules.levels import Level


class Action(StrEnum):
    """One response to a warning."""

    TASK = "TASK"  #: a follow-up task for the customer's salesperson
    TERMS_PROPOSAL = "TERMS_PROPOSAL"  #: shorter terms or prepayment, for the credit manager
    REVIEW_FORWARD = "REVIEW_FORWARD"  #: the credit review brought forward
    CREDIT_HOLD = "CREDIT_HOLD"  #: stop trading on credit until released with a reason
    NOTIFY_LEGAL = "NOTIFY_LEGAL"  #: tell the legal team


#: Source practice: light is watched by sales, moderate tightens terms, severe stops credit.
DEFAULT: dict[Level, tuple[Action, ...]] = {
    Level.LIGHT: (Action.TASK,),
    Level.MEDIUM: (Action.TERMS_PROPOSAL, Action.REVIEW_FORWARD),
    Level.SEVERE: (Action.CREDIT_HOLD, Action.NOTIFY_LEGAL),
}
#: Who each response is for.
ROLE: dict[Action, str] = {
    Action.TASK: "sales",
    Action.TERMS_PROPOSAL: "credit_manager",
    Action.REVIEW_FORWARD: "credit_analyst",
    Action.CREDIT_HOLD: "credit_manager",
    Action.NOTIFY_LEGAL: "legal",
}
TASK_DUE_DAYS = 3  #: the salesperson calls within three days
PROPOSAL_DUE_DAYS = 2  #: the credit manager decides a proposal within two days
REVIEW_FORWARD_DAYS = 7  #: a review brought forward is due within a week
#: A proposal's status: pending until the credit manager approves or rejects it.
PROPOSAL_STATES = ("PENDING", "APPROVED", "REJECTED")


def due_days(action: Action) -> int:
    """Days from the warning to a response's due date."""
    return {
        Action.TASK: TASK_DUE_DAYS,
        Action.TERMS_PROPOSAL: PROPOSAL_DUE_DAYS,
        Action.REVIEW_FORWARD: REVIEW_FORWARD_DAYS,
    }.get(action, 0)


def plan(configured: Mapping[str, Any]) -> dict[Level, tuple[Action, ...]]:
    """The tenant's responses per level over the defaults (stored values were validated)."""
    out = dict(DEFAULT)
    for level in Level:
        if level.value in configured:
            out[level] = tuple(Action(a) for a in configured[level.value])
    return out


def validate(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """A tenant's responses per level, checked: known levels and actions, no repeats."""
    errors: list[DomainError] = []
    out: dict[str, list[str]] = {}
    for level, actions in values.items():
        path = f"responses.{level}"
        if level not in Level.__members__:
            errors.append(DomainError("UNKNOWN_FIELD", f"no level {level!r}", path))
            continue
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            errors.append(DomainError("INVALID_THRESHOLD", "must be a list of actions", path))
            continue
        unknown = [a for a in actions if a not in Action.__members__]
        if unknown:
            errors.append(DomainError("UNKNOWN_FIELD", f"no action {unknown[0]!r}", path))
        elif len(set(actions)) != len(actions):
            errors.append(DomainError("INVALID_THRESHOLD", "an action is repeated", path))
        else:
            out[level] = list(actions)
    if errors:
        raise ValidationFailed(errors)
    return out
