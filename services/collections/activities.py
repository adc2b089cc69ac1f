"""The evidence chain: activities appended (never edited), and collection tasks done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import activities, collection_cases, collection_tasks
from dbschema.queries import customers as customer_queries
from domain.activities import check_kind, check_occurred_at
from domain.errors import NotFound
from services.uow import UnitOfWork


@dataclass(frozen=True)
class ActivityIn:
    """An activity as recorded: what, when, with what outcome and which document."""

    customer_id: UUID
    kind: str
    occurred_at: datetime
    outcome: str | None = None
    notes: str | None = None
    document_ref: str | None = None
    document_id: UUID | None = None  #: the archived copy of a document that was sent


@dataclass(frozen=True)
class ActivityRecorded:
    """An activity appended to a customer's evidence chain."""

    activity_id: UUID
    customer_id: UUID


@dataclass(frozen=True)
class TaskCompleted:
    """A collection task marked done."""

    task_id: UUID


async def record_activity(uow: UnitOfWork, activity: ActivityIn) -> ActivityRecorded:
    """Append an activity to the customer's evidence chain, on its open case if any."""
    check_kind(activity.kind)
    if not await customer_queries.by_ids(uow.conn, [activity.customer_id]):
        raise NotFound("customerId", "customer")
    check_occurred_at(activity.occurred_at, datetime.now(UTC))
    case_id = await uow.conn.scalar(
        sa.select(collection_cases.c.id).where(
            collection_cases.c.customer_id == activity.customer_id,
            collection_cases.c.status == "OPEN",
        )
    )
    activity_id = await uow.conn.scalar(
        activities.insert()
        .values(
            tenant_id=uow.tenant_id,
            customer_id=activity.customer_id,
            case_id=case_id,
            kind=activity.kind,
            occurred_at=activity.occurred_at,
            outcome=activity.outcome,
            notes=activity.notes,
            document_ref=activity.document_ref,
            document_id=activity.document_id,
            created_by=uow.actor.subject,
        )
        .returning(activities.c.id)
    )
    return ActivityRecorded(activity_id, activity.customer_id)


async def complete_task(uow: UnitOfWork, task_id: UUID) -> TaskCompleted:
    """Mark an open collection task done."""
    done = await uow.conn.execute(
        collection_tasks.update()
        .where(collection_tasks.c.id == task_id, collection_tasks.c.status == "OPEN")
        .values(status="DONE")
    )
    if done.rowcount == 0:
        raise NotFound("id", "open task")
    return TaskCompleted(task_id)
