"""The day's escalation, applied: load each customer's facts, plan (domain), write the plan.

The decisions are domain.escalation.plan_case's; this module only reads what it needs and
writes what it decided: cases opened, moved and closed, a task per move, events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import collection_cases, collection_tasks
from dbschema.queries.events import record_event
from domain.agreements import ActivePlan, DuePromise
from domain.escalation import (
    CasePlan,
    Cause,
    CustomerFacts,
    OpenCase,
    Stage,
    plan_case,
)
from services.collections.agreements import PlanDue, PromiseDue, active_plans, due_promises
from services.uow import UnitOfWork

#: domain.escalation.days_overdue, set-wise: per customer, the age of its oldest undisputed
#: overdue debt (a customer absent from the result has none).
DAYS_OVERDUE_SQL = sa.text("""
SELECT customer_id, max(CAST(:as_of AS date) - due_date) AS days FROM invoices
 WHERE open_minor > disputed_minor AND due_date < CAST(:as_of AS date)
 GROUP BY customer_id
""")


@dataclass(frozen=True)
class DayFacts:
    """Everything the day's escalation reads, per customer, with the rows it must write to."""

    customers: tuple[CustomerFacts, ...]
    case_ids: dict[UUID, UUID] = field(default_factory=dict)
    promises: dict[UUID, PromiseDue] = field(default_factory=dict)
    plans: dict[UUID, PlanDue] = field(default_factory=dict)


async def days_overdue_by_customer(uow: UnitOfWork, as_of: date) -> dict[UUID, int]:
    """Each customer's days overdue on the day (customers with none left out)."""
    rows = await uow.conn.execute(DAYS_OVERDUE_SQL, {"as_of": as_of})
    return {r.customer_id: int(r.days) for r in rows}


async def load_facts(uow: UnitOfWork, as_of: date) -> DayFacts:
    """Days overdue, open cases (locked), due promises and active plans, by customer."""
    days = await days_overdue_by_customer(uow, as_of)
    cases = (
        await uow.conn.execute(
            sa.select(
                collection_cases.c.id,
                collection_cases.c.customer_id,
                collection_cases.c.stage,
                collection_cases.c.days_overdue,
            )
            .where(collection_cases.c.status == "OPEN")
            .with_for_update()
        )
    ).all()
    promises = await due_promises(uow, as_of)
    plans = await active_plans(uow, as_of)
    customers = sorted(
        {*days, *(c.customer_id for c in cases)}
        | {p.customer_id for p in promises}
        | {p.customer_id for p in plans},
        key=str,
    )
    open_cases = {c.customer_id: OpenCase(c.stage, c.days_overdue) for c in cases}
    promised: dict[UUID, list[DuePromise]] = defaultdict(list)
    for p in promises:
        promised[p.customer_id].append(p.facts)
    planned: dict[UUID, list[ActivePlan]] = defaultdict(list)
    for q in plans:
        planned[q.customer_id].append(q.facts)
    return DayFacts(
        customers=tuple(
            CustomerFacts(
                customer_id=c,
                days_overdue=days.get(c, 0),
                case=open_cases.get(c),
                promises=tuple(promised.get(c, ())),
                plans=tuple(planned.get(c, ())),
            )
            for c in customers
        ),
        case_ids={c.customer_id: c.id for c in cases},
        promises={p.facts.id: p for p in promises},
        plans={p.facts.id: p for p in plans},
    )


def plan_day(facts: DayFacts, ladder: Sequence[Stage], as_of: date) -> list[CasePlan]:
    """The plan for every customer with something to do today."""
    plans = (plan_case(f, ladder, as_of) for f in facts.customers)
    return [p for p in plans if not p.changes_nothing]


async def apply_case(uow: UnitOfWork, plan: CasePlan, case_id: UUID | None, as_of: date) -> None:
    """Write one customer's case plan: the case, a task per move, the events."""
    customer = str(plan.customer_id)
    if plan.closes:
        await uow.conn.execute(
            collection_cases.update()
            .where(collection_cases.c.id == case_id)
            .values(status="CLOSED", closed_at=sa.func.now())
        )
        await record_event(
            uow.conn, uow.tenant_id, "collections.case_closed", {"customerId": customer}
        )
        return
    values: dict[str, object] = {}
    if plan.stage is not None:
        values.update(
            stage=plan.stage.key,
            owner_role=plan.stage.owner_role,
            next_action=plan.next_action,
            next_action_on=as_of,
        )
    if plan.opens or plan.refresh_days:
        values["days_overdue"] = plan.days_overdue
    if plan.opens:
        case_id = await uow.conn.scalar(
            collection_cases.insert()
            .values(tenant_id=uow.tenant_id, customer_id=plan.customer_id, **values)
            .returning(collection_cases.c.id)
        )
    elif values:
        await uow.conn.execute(
            collection_cases.update().where(collection_cases.c.id == case_id).values(**values)
        )
    for move in plan.moves:
        await uow.conn.execute(
            collection_tasks.insert().values(
                tenant_id=uow.tenant_id,
                case_id=case_id,
                role=move.task.role,
                title=move.task.title,
                due_on=move.task.due_on,
            )
        )
        if move.cause is Cause.OVERDUE:
            await record_event(
                uow.conn,
                uow.tenant_id,
                "collections.stage_changed",
                {
                    "customerId": customer,
                    "stage": move.stage.key,
                    "ownerRole": move.stage.owner_role,
                    "daysOverdue": plan.days_overdue,
                    "previousStage": move.previous,
                },
            )
