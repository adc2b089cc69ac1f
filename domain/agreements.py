"""Promises to pay and payment plans: when one is acceptable, kept, broken, done or defaulted.

A breach (a broken promise, a missed instalment) raises a warning and moves the customer's
collection case one rung up its ladder (see domain.escalation.plan_case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID

from domain.errors import DomainError
from domain.money import Money


class AgreementStatus(Enum):
    """Where a promise or a plan ends up; an open promise or active plan has no outcome yet."""

    KEPT = "KEPT"
    BROKEN = "BROKEN"
    COMPLETED = "COMPLETED"
    DEFAULTED = "DEFAULTED"


@dataclass(frozen=True)
class Breach:
    """A failed agreement: the warning it raises and the task it gives the case's next owner."""

    warning_kind: str
    warning_level: str
    task_title: str


#: A broken promise is a real signal: tighten and escalate.
BROKEN_PROMISE = Breach("PROMISE_BROKEN", "MEDIUM", "Promise to pay broken: escalate")
#: A missed plan instalment: the last agreement failed.
MISSED_INSTALMENT = Breach("PAYMENT_PLAN_MISSED", "SEVERE", "Payment plan instalment missed")


@dataclass(frozen=True)
class Instalment:
    """One instalment of a plan: an amount in the plan's currency, due on a date."""

    due_on: date
    amount_minor: int


@dataclass(frozen=True)
class DuePromise:
    """An open promise whose date has passed, with the cash received since it was made."""

    id: UUID
    amount_minor: int
    paid_minor: int


@dataclass(frozen=True)
class ActivePlan:
    """An active plan, with the cash received since it was agreed."""

    id: UUID
    schedule: tuple[Instalment, ...]
    paid_minor: int

    def owed_by(self, as_of: date) -> int:
        """What the instalments due before `as_of` add up to."""
        return sum(i.amount_minor for i in self.schedule if i.due_on < as_of)


@dataclass(frozen=True)
class Outcome:
    """What became of a promise or plan; a breach escalates the case."""

    id: UUID
    status: AgreementStatus
    breach: Breach | None = None


def promise_outcome(promise: DuePromise) -> Outcome:
    """Kept when the cash received covers the amount promised, else broken."""
    if promise.paid_minor >= promise.amount_minor:
        return Outcome(promise.id, AgreementStatus.KEPT)
    return Outcome(promise.id, AgreementStatus.BROKEN, BROKEN_PROMISE)


def plan_outcome(plan: ActivePlan, as_of: date) -> Outcome | None:
    """Completed when everything is paid, defaulted when an instalment due is short, else None."""
    if plan.paid_minor >= sum(i.amount_minor for i in plan.schedule):
        return Outcome(plan.id, AgreementStatus.COMPLETED)
    if plan.paid_minor < plan.owed_by(as_of):
        return Outcome(plan.id, AgreementStatus.DEFAULTED, MISSED_INSTALMENT)
    return None


def _positive(amount: str, currency: str, field: str) -> Money:
    """A parsed amount above zero, else the DomainError naming the input field."""
    money = Money.parse(amount, currency, field)
    if money.minor <= 0:
        raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", f"{field}.amount")
    return money


def check_promise(
    amount: str, currency: str, promised_on: date, today: date
) -> tuple[Money | None, list[DomainError]]:
    """The promised amount, and every reason to refuse the promise (fields as the input's)."""
    errors: list[DomainError] = []
    money: Money | None = None
    try:
        money = _positive(amount, currency, "amount")
    except DomainError as exc:
        errors.append(exc)
    if promised_on < today:
        errors.append(DomainError("INVALID_DATE", "a promise is for today or later", "promisedOn"))
    return money, errors


def check_schedule(
    currency: str, instalments: Sequence[tuple[date, str]], today: date
) -> tuple[tuple[Instalment, ...], list[DomainError]]:
    """The plan's schedule, and every reason to refuse it (fields as the input's)."""
    errors: list[DomainError] = []
    schedule: list[Instalment] = []
    for n, (due_on, amount) in enumerate(instalments):
        try:
            schedule.append(
                Instalment(due_on, _positive(amount, currency, f"instalments.{n}").minor)
            )
        except DomainError as exc:
            errors.append(exc)
        if due_on < today:
            errors.append(
                DomainError(
                    "INVALID_DATE", "instalments start today or later", f"instalments.{n}.dueOn"
                )
            )
    if not instalments:
        errors.append(DomainError("REQUIRED", "at least one instalment", "instalments"))
    dates = [d for d, _ in instalments]
    if dates != sorted(dates):
        errors.append(
            DomainError("INVALID_DATE", "instalments must be in date order", "instalments")
        )
    return tuple(schedule), errors
