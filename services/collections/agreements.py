"""Promises to pay and payment plans: agreed here, settled by the daily run.

Whether one is kept, broken, completed or defaulted is the domain's rule
(domain.agreements); this module records agreements, loads what the rule needs (the cash
received since), and writes the outcome with its warning and event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import payment_plans, promises
from dbschema.ledger_tables import payments
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from domain.agreements import (
    ActivePlan,
    Breach,
    DuePromise,
    Instalment,
    Outcome,
    check_promise,
    check_schedule,
)
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from services.collections.activities import ActivityIn, record_activity
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning


@dataclass(frozen=True)
class PromiseMade:
    """A promise to pay, tracked until its date."""

    promise_id: UUID
    customer_id: UUID


@dataclass(frozen=True)
class PlanAgreed:
    """A payment plan, active until paid or defaulted."""

    plan_id: UUID
    customer_id: UUID


@dataclass(frozen=True)
class PromiseDue:
    """An open promise past its date, locked, with what settling it needs."""

    customer_id: UUID
    currency: str
    promised_on: date
    facts: DuePromise


@dataclass(frozen=True)
class PlanDue:
    """An active plan, locked, with what settling it needs."""

    customer_id: UUID
    currency: str
    facts: ActivePlan


async def _refuse_any(uow: UnitOfWork, customer_id: UUID, errors: list[DomainError]) -> None:
    """Raise every refusal together, an unknown customer included, so a form shows them all."""
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    if errors:
        raise ValidationFailed(errors)


async def promise_to_pay(
    uow: UnitOfWork, customer_id: UUID, amount: str, currency: str, promised_on: date, today: date
) -> PromiseMade:
    """Track a promise to pay; if the date passes unpaid the case escalates."""
    money, errors = check_promise(amount, currency, promised_on, today)
    await _refuse_any(uow, customer_id, errors)
    assert money is not None  # no refusal: the amount parsed
    promise_id = await uow.conn.scalar(
        promises.insert()
        .values(
            tenant_id=uow.tenant_id,
            customer_id=customer_id,
            currency=money.currency,
            amount_minor=money.minor,
            promised_on=promised_on,
            baseline_paid_minor=0,
            created_by=uow.actor.subject,
        )
        .returning(promises.c.id)
    )
    note = f"Promised {money.to_decimal_string()} {money.currency} by {promised_on}"
    await record_activity(uow, ActivityIn(customer_id, "NOTE", datetime.now(UTC), "PROMISE", note))
    return PromiseMade(promise_id, customer_id)


async def payment_plan(
    uow: UnitOfWork,
    customer_id: UUID,
    currency: str,
    instalments: Sequence[tuple[date, str]],
    today: date,
) -> PlanAgreed:
    """Agree an instalment schedule for an overdue balance; a missed instalment escalates."""
    schedule, errors = check_schedule(currency, instalments, today)
    await _refuse_any(uow, customer_id, errors)
    plan_id = await uow.conn.scalar(
        payment_plans.insert()
        .values(
            tenant_id=uow.tenant_id,
            customer_id=customer_id,
            currency=currency,
            schedule=[
                {"dueOn": i.due_on.isoformat(), "amountMinor": i.amount_minor} for i in schedule
            ],
            baseline_paid_minor=0,
            created_by=uow.actor.subject,
        )
        .returning(payment_plans.c.id)
    )
    return PlanAgreed(plan_id, customer_id)


async def _paid_between(
    uow: UnitOfWork, customer_id: UUID, currency: str, start: datetime, until: date
) -> int:
    """Cash received by a customer after a moment, up to a date (reversed payments excluded)."""
    return int(
        await uow.conn.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(payments.c.amount_minor), 0)).where(
                payments.c.customer_id == customer_id,
                payments.c.currency == currency,
                payments.c.status == "POSTED",
                payments.c.created_at >= start,
                payments.c.received_on <= until,
            )
        )
        or 0
    )


async def due_promises(uow: UnitOfWork, as_of: date) -> list[PromiseDue]:
    """Open promises whose date has passed, locked, with the cash received towards each."""
    rows = (
        await uow.conn.execute(
            sa.select(promises)
            .where(promises.c.status == "OPEN", promises.c.promised_on < as_of)
            .with_for_update()
        )
    ).all()
    out = []
    for row in rows:
        currency = row.currency.strip()
        paid = await _paid_between(uow, row.customer_id, currency, row.created_at, row.promised_on)
        facts = DuePromise(row.id, row.amount_minor, paid)
        out.append(PromiseDue(row.customer_id, currency, row.promised_on, facts))
    return out


async def active_plans(uow: UnitOfWork, as_of: date) -> list[PlanDue]:
    """Active payment plans, locked, with the cash received since each was agreed."""
    rows = (
        await uow.conn.execute(
            sa.select(payment_plans).where(payment_plans.c.status == "ACTIVE").with_for_update()
        )
    ).all()
    out = []
    for row in rows:
        currency = row.currency.strip()
        paid = await _paid_between(uow, row.customer_id, currency, row.created_at, as_of)
        schedule = tuple(
            Instalment(date.fromisoformat(i["dueOn"]), int(i["amountMinor"])) for i in row.schedule
        )
        out.append(PlanDue(row.customer_id, currency, ActivePlan(row.id, schedule, paid)))
    return out


async def _warn(
    uow: UnitOfWork, customer_id: UUID, breach: Breach, evidence: dict[str, Any]
) -> None:
    """The breach's warning on the customer (once while an open one of its kind exists)."""
    await raise_warning(uow, customer_id, breach.warning_kind, breach.warning_level, evidence)


async def settle_promise(uow: UnitOfWork, due: PromiseDue, outcome: Outcome) -> None:
    """Write a promise's outcome; a broken one warns and tells subscribers."""
    await uow.conn.execute(
        promises.update().where(promises.c.id == outcome.id).values(status=outcome.status.value)
    )
    if outcome.breach is None:
        return
    amount = Money(due.facts.amount_minor, due.currency).to_decimal_string()
    evidence = {
        "promisedOn": due.promised_on.isoformat(),
        "amount": amount,
        "currency": due.currency,
        "paid": Money(due.facts.paid_minor, due.currency).to_decimal_string(),
    }
    await _warn(uow, due.customer_id, outcome.breach, evidence)
    await record_event(
        uow.conn,
        uow.tenant_id,
        "collections.promise_broken",
        {
            "customerId": str(due.customer_id),
            "promiseId": str(outcome.id),
            "amount": amount,
            "currency": due.currency,
        },
    )


async def settle_plan(uow: UnitOfWork, due: PlanDue, outcome: Outcome, as_of: date) -> None:
    """Write a plan's outcome; a defaulted one warns and tells subscribers."""
    await uow.conn.execute(
        payment_plans.update()
        .where(payment_plans.c.id == outcome.id)
        .values(status=outcome.status.value)
    )
    if outcome.breach is None:
        return
    evidence = {
        "planId": str(outcome.id),
        "paid": due.facts.paid_minor,
        "owed": due.facts.owed_by(as_of),
    }
    await _warn(uow, due.customer_id, outcome.breach, evidence)
    await record_event(
        uow.conn,
        uow.tenant_id,
        "collections.plan_defaulted",
        {"customerId": str(due.customer_id), "planId": str(outcome.id)},
    )
