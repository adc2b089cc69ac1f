"""Collections: pre-due reminders, the escalation ladder, promises, plans and activities.

The daily run is idempotent per date: reminders are keyed per invoice, a case moves only
forward (a new task for the new owner each time), and promises and plans change status once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import (
    activities,
    collection_cases,
    collection_tasks,
    invoices,
    payment_plans,
    payments,
    promises,
)
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from dbschema.tables import tenants
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.escalation import (
    DEFAULT_LADDER,
    Stage,
    escalation_stage,
    stage_index,
)
from domain.money import Money
from services.configuration import policy as receivables_config
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

ACTIVITY_KINDS = ("CALL", "EMAIL", "LETTER", "VISIT", "LEGAL", "NOTE")
BROKEN_PROMISE_LEVEL = "MEDIUM"  #: a broken promise is a real signal: tighten and escalate
PLAN_DEFAULT_LEVEL = "SEVERE"  #: a missed plan instalment: the last agreement failed


def ladder_from(settings: dict[str, Any]) -> tuple[Stage, ...]:
    """The tenant's ladder, or the practice's default."""
    return receivables_config.effective(settings).escalation_ladder


async def _event(uow: UnitOfWork, topic: str, payload: dict[str, Any]) -> None:
    await record_event(uow.conn, uow.tenant_id, topic, payload)


async def send_reminders(uow: UnitOfWork, as_of: date, days_before: int) -> int:
    """One pre-due reminder per invoice, inside the reminder window."""
    rows = (
        (
            await uow.conn.execute(
                sa.text("""
        INSERT INTO reminders (tenant_id, invoice_id, kind, sent_on)
        SELECT i.tenant_id, i.id, 'PRE_DUE', CAST(:as_of AS date) FROM invoices i
         WHERE i.open_minor > i.disputed_minor
           AND i.due_date > CAST(:as_of AS date)
           AND i.due_date - CAST(:days AS integer) <= CAST(:as_of AS date)
        ON CONFLICT DO NOTHING
        RETURNING invoice_id"""),
                {"as_of": as_of, "days": days_before},
            )
        )
        .scalars()
        .all()
    )
    if not rows:
        return 0
    found = (await uow.conn.execute(sa.select(invoices).where(invoices.c.id.in_(rows)))).all()
    for inv in found:
        await uow.conn.execute(
            activities.insert().values(
                tenant_id=uow.tenant_id,
                customer_id=inv.customer_id,
                kind="REMINDER",
                occurred_at=datetime.now(UTC),
                outcome="SENT",
                notes=f"Invoice {inv.number} falls due on {inv.due_date}",
                created_by="system",
            )
        )
        await _event(
            uow,
            "collections.reminder_due",
            {
                "invoiceId": str(inv.id),
                "number": inv.number,
                "customerId": str(inv.customer_id),
                "dueDate": inv.due_date.isoformat(),
                "open": Money(inv.open_minor, inv.currency.strip()).to_decimal_string(),
                "currency": inv.currency.strip(),
            },
        )
    return len(found)


async def escalate(uow: UnitOfWork, as_of: date, ladder: tuple[Stage, ...]) -> dict[str, int]:
    """Open, move forward or close each customer's case from its oldest undisputed debt."""
    overdue = {
        r.customer_id: r.days
        for r in (
            await uow.conn.execute(
                sa.text("""
        SELECT customer_id, max(CAST(:as_of AS date) - due_date) AS days FROM invoices
         WHERE open_minor > disputed_minor AND due_date < CAST(:as_of AS date)
         GROUP BY customer_id"""),
                {"as_of": as_of},
            )
        ).all()
    }
    open_cases: dict[Any, Any] = {
        r.customer_id: r
        for r in (
            await uow.conn.execute(
                sa.select(collection_cases)
                .where(collection_cases.c.status == "OPEN")
                .with_for_update()
            )
        ).all()
    }
    opened = moved = closed = 0
    for customer_id, case in open_cases.items():
        if customer_id not in overdue:
            await uow.conn.execute(
                collection_cases.update()
                .where(collection_cases.c.id == case.id)
                .values(status="CLOSED", closed_at=sa.func.now())
            )
            await _event(uow, "collections.case_closed", {"customerId": str(customer_id)})
            closed += 1
    by_key = {s.key: s for s in ladder}
    for customer_id, days in overdue.items():
        stage = escalation_stage(days, ladder)
        assert stage is not None
        case = open_cases.get(customer_id)
        if case is None:
            case_id = await uow.conn.scalar(
                collection_cases.insert()
                .values(
                    tenant_id=uow.tenant_id,
                    customer_id=customer_id,
                    stage=stage.key,
                    owner_role=stage.owner_role,
                    next_action=stage.action,
                    next_action_on=as_of,
                    days_overdue=days,
                )
                .returning(collection_cases.c.id)
            )
            opened += 1
        elif stage_index(stage, ladder) > stage_index(by_key.get(case.stage), ladder):
            case_id = case.id
            await uow.conn.execute(
                collection_cases.update()
                .where(collection_cases.c.id == case.id)
                .values(
                    stage=stage.key,
                    owner_role=stage.owner_role,
                    next_action=stage.action,
                    next_action_on=as_of,
                    days_overdue=days,
                )
            )
            moved += 1
        else:
            await uow.conn.execute(
                collection_cases.update()
                .where(collection_cases.c.id == case.id)
                .values(days_overdue=days)
            )
            continue
        await uow.conn.execute(
            collection_tasks.insert().values(
                tenant_id=uow.tenant_id,
                case_id=case_id,
                role=stage.owner_role,
                title=stage.action,
                due_on=as_of + timedelta(days=1),
            )
        )
        await _event(
            uow,
            "collections.stage_changed",
            {
                "customerId": str(customer_id),
                "stage": stage.key,
                "ownerRole": stage.owner_role,
                "daysOverdue": days,
                "previousStage": case.stage if case else None,
            },
        )
    return {"opened": opened, "escalated": moved, "closed": closed}


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


async def check_promises(uow: UnitOfWork, as_of: date) -> dict[str, int]:
    """Promises whose date has passed are kept or broken; broken ones raise a warning."""
    due = (
        await uow.conn.execute(
            sa.select(promises)
            .where(promises.c.status == "OPEN", promises.c.promised_on < as_of)
            .with_for_update()
        )
    ).all()
    kept = broken = 0
    for promise in due:
        paid = await _paid_between(
            uow,
            promise.customer_id,
            promise.currency.strip(),
            promise.created_at,
            promise.promised_on,
        )
        status = "KEPT" if paid >= promise.amount_minor else "BROKEN"
        await uow.conn.execute(
            promises.update().where(promises.c.id == promise.id).values(status=status)
        )
        if status == "KEPT":
            kept += 1
            continue
        broken += 1
        amount = Money(promise.amount_minor, promise.currency.strip()).to_decimal_string()
        await raise_warning(
            uow,
            promise.customer_id,
            "PROMISE_BROKEN",
            BROKEN_PROMISE_LEVEL,
            {
                "promisedOn": promise.promised_on.isoformat(),
                "amount": amount,
                "currency": promise.currency.strip(),
                "paid": Money(paid, promise.currency.strip()).to_decimal_string(),
            },
        )
        await _bump_case(uow, promise.customer_id, as_of, "Promise to pay broken: escalate")
        await _event(
            uow,
            "collections.promise_broken",
            {
                "customerId": str(promise.customer_id),
                "promiseId": str(promise.id),
                "amount": amount,
                "currency": promise.currency.strip(),
            },
        )
    return {"kept": kept, "broken": broken}


async def _bump_case(uow: UnitOfWork, customer_id: UUID, as_of: date, title: str) -> None:
    """A broken agreement moves the case one rung up and tasks its new owner."""
    case = (
        await uow.conn.execute(
            sa.select(collection_cases)
            .where(
                collection_cases.c.customer_id == customer_id, collection_cases.c.status == "OPEN"
            )
            .with_for_update()
        )
    ).first()
    if case is None:
        return
    keys = [s.key for s in DEFAULT_LADDER]
    index = keys.index(case.stage) if case.stage in keys else 0
    stage = DEFAULT_LADDER[min(index + 1, len(DEFAULT_LADDER) - 1)]
    await uow.conn.execute(
        collection_cases.update()
        .where(collection_cases.c.id == case.id)
        .values(
            stage=stage.key, owner_role=stage.owner_role, next_action=title, next_action_on=as_of
        )
    )
    await uow.conn.execute(
        collection_tasks.insert().values(
            tenant_id=uow.tenant_id,
            case_id=case.id,
            role=stage.owner_role,
            title=title,
            due_on=as_of + timedelta(days=1),
        )
    )


async def check_plans(uow: UnitOfWork, as_of: date) -> dict[str, int]:
    """Active payment plans: completed when paid, defaulted when an instalment is missed."""
    plans = (
        await uow.conn.execute(
            sa.select(payment_plans).where(payment_plans.c.status == "ACTIVE").with_for_update()
        )
    ).all()
    done = defaulted = 0
    for plan in plans:
        currency = plan.currency.strip()
        paid = await _paid_between(uow, plan.customer_id, currency, plan.created_at, as_of)
        schedule = [(date.fromisoformat(i["dueOn"]), int(i["amountMinor"])) for i in plan.schedule]
        owed_by_now = sum(a for d, a in schedule if d < as_of)
        if paid >= sum(a for _, a in schedule):
            status, done = "COMPLETED", done + 1
        elif paid < owed_by_now:
            status, defaulted = "DEFAULTED", defaulted + 1
        else:
            continue
        await uow.conn.execute(
            payment_plans.update().where(payment_plans.c.id == plan.id).values(status=status)
        )
        if status == "DEFAULTED":
            await raise_warning(
                uow,
                plan.customer_id,
                "PAYMENT_PLAN_MISSED",
                PLAN_DEFAULT_LEVEL,
                {"planId": str(plan.id), "paid": paid, "owed": owed_by_now},
            )
            await _bump_case(uow, plan.customer_id, as_of, "Payment plan instalment missed")
            await _event(
                uow,
                "collections.plan_defaulted",
                {"customerId": str(plan.customer_id), "planId": str(plan.id)},
            )
    return {"completed": done, "defaulted": defaulted}


async def daily_run(uow: UnitOfWork, as_of: date) -> dict[str, Any]:
    """Reminders, escalation, promises and plans for one day (safe to run twice)."""
    settings = await uow.conn.scalar(sa.select(tenants.c.settings)) or {}
    days_before = receivables_config.effective(settings).reminder_days_before_due
    return {
        "asOf": as_of.isoformat(),
        "reminders": await send_reminders(uow, as_of, days_before),
        **await escalate(uow, as_of, ladder_from(settings)),
        "promises": await check_promises(uow, as_of),
        "plans": await check_plans(uow, as_of),
    }


async def record_activity(
    uow: UnitOfWork,
    customer_id: UUID,
    kind: str,
    occurred_at: datetime,
    outcome: str | None,
    notes: str | None,
    document_ref: str | None,
) -> dict[str, Any]:
    """Append an activity to the customer's evidence chain (never edited)."""
    if kind not in (*ACTIVITY_KINDS, "DUNNING_LETTER", "STATEMENT"):
        raise DomainError("INVALID_KIND", f"kind is one of {ACTIVITY_KINDS}", "kind")
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        raise NotFound("customerId", "customer")
    if occurred_at > datetime.now(UTC) + timedelta(minutes=5):
        raise DomainError("FUTURE_DATE", "an activity cannot lie in the future", "occurredAt")
    case_id = await uow.conn.scalar(
        sa.select(collection_cases.c.id).where(
            collection_cases.c.customer_id == customer_id, collection_cases.c.status == "OPEN"
        )
    )
    activity_id = await uow.conn.scalar(
        activities.insert()
        .values(
            tenant_id=uow.tenant_id,
            customer_id=customer_id,
            case_id=case_id,
            kind=kind,
            occurred_at=occurred_at,
            outcome=outcome,
            notes=notes,
            document_ref=document_ref,
            created_by=uow.actor.subject,
        )
        .returning(activities.c.id)
    )
    return {"activityId": str(activity_id), "customerId": str(customer_id)}


async def promise_to_pay(
    uow: UnitOfWork, customer_id: UUID, amount: str, currency: str, promised_on: date, today: date
) -> dict[str, Any]:
    """Track a promise to pay; if the date passes unpaid the case escalates."""
    errors: list[DomainError] = []
    try:
        money = Money.parse(amount, currency, "amount")
        if money.minor <= 0:
            errors.append(
                DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
            )
    except DomainError as exc:
        errors.append(exc)
    if promised_on < today:
        errors.append(DomainError("INVALID_DATE", "a promise is for today or later", "promisedOn"))
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    if errors:
        raise ValidationFailed(errors)
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
    await record_activity(
        uow,
        customer_id,
        "NOTE",
        datetime.now(UTC),
        "PROMISE",
        f"Promised {money.to_decimal_string()} {money.currency} by {promised_on}",
        None,
    )
    return {"promiseId": str(promise_id), "customerId": str(customer_id)}


async def payment_plan(
    uow: UnitOfWork,
    customer_id: UUID,
    currency: str,
    instalments: list[tuple[date, str]],
    today: date,
) -> dict[str, Any]:
    """Agree an instalment schedule for an overdue balance; a missed instalment escalates."""
    errors: list[DomainError] = []
    schedule: list[dict[str, Any]] = []
    for n, (due_on, amount) in enumerate(instalments):
        try:
            money = Money.parse(amount, currency, f"instalments.{n}")
        except DomainError as exc:
            errors.append(exc)
            continue
        if money.minor <= 0:
            errors.append(
                DomainError(
                    "AMOUNT_NOT_POSITIVE", "must be greater than zero", f"instalments.{n}.amount"
                )
            )
        if due_on < today:
            errors.append(
                DomainError(
                    "INVALID_DATE", "instalments start today or later", f"instalments.{n}.dueOn"
                )
            )
        schedule.append({"dueOn": due_on.isoformat(), "amountMinor": money.minor})
    if not instalments:
        errors.append(DomainError("REQUIRED", "at least one instalment", "instalments"))
    if [d for d, _ in instalments] != sorted(d for d, _ in instalments):
        errors.append(
            DomainError("INVALID_DATE", "instalments must be in date order", "instalments")
        )
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        errors.append(NotFound("customerId", "customer"))
    if errors:
        raise ValidationFailed(errors)
    plan_id = await uow.conn.scalar(
        payment_plans.insert()
        .values(
            tenant_id=uow.tenant_id,
            customer_id=customer_id,
            currency=currency,
            schedule=schedule,
            baseline_paid_minor=0,
            created_by=uow.actor.subject,
        )
        .returning(payment_plans.c.id)
    )
    return {"planId": str(plan_id), "customerId": str(customer_id)}


async def complete_task(uow: UnitOfWork, task_id: UUID) -> dict[str, Any]:
    """Mark a collection task done."""
    done = await uow.conn.execute(
        collection_tasks.update()
        .where(collection_tasks.c.id == task_id, collection_tasks.c.status == "OPEN")
        .values(status="DONE")
    )
    if done.rowcount == 0:
        raise NotFound("id", "open task")
    return {"taskId": str(task_id)}
