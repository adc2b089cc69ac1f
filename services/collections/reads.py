"""Reads for collections: cases, tasks and the activity evidence chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import activities, collection_cases, collection_tasks
from dbschema.tables import customers
from services.read_session import ReadSession, fetch_all

LIST_LIMIT = 200  #: newest first, capped


@dataclass(frozen=True)
class CaseRecord:
    """A customer's collection case as stored."""

    id: UUID
    customer_id: UUID
    stage: str
    owner_role: str
    next_action: str
    next_action_on: date
    days_overdue: int
    status: str
    opened_at: datetime


@dataclass(frozen=True)
class TaskRecord:
    """A task for a role on a case."""

    id: UUID
    case_id: UUID
    role: str
    title: str
    due_on: date
    status: str


@dataclass(frozen=True)
class ActivityRecord:
    """One link of the evidence chain."""

    id: UUID
    kind: str
    occurred_at: datetime
    outcome: str | None
    notes: str | None
    document_ref: str | None
    created_by: str
    created_at: datetime


async def _select(session: ReadSession, query: sa.Select[Any]) -> list[sa.Row[Any]]:
    return await session.run(lambda conn: fetch_all(conn, query))


async def cases(
    session: ReadSession, *, status: str | None, owner_role: str | None, customer_id: UUID | None
) -> list[CaseRecord]:
    """Collection cases, most overdue first."""
    c = collection_cases.c
    query = sa.select(
        c.id,
        c.customer_id,
        c.stage,
        c.owner_role,
        c.next_action,
        c.next_action_on,
        c.days_overdue,
        c.status,
        c.opened_at,
    )
    query = query.order_by(c.days_overdue.desc()).limit(LIST_LIMIT)
    if status:
        query = query.where(c.status == status)
    if owner_role:
        query = query.where(c.owner_role == owner_role)
    if customer_id:
        query = query.where(c.customer_id == customer_id)
    return [CaseRecord(**r._mapping) for r in await _select(session, query)]


async def tasks(session: ReadSession, *, role: str | None, status: str | None) -> list[TaskRecord]:
    """Tasks by due date."""
    t = collection_tasks.c
    query = sa.select(t.id, t.case_id, t.role, t.title, t.due_on, t.status)
    query = query.order_by(t.due_on).limit(LIST_LIMIT)
    if role:
        query = query.where(t.role == role)
    if status:
        query = query.where(t.status == status)
    return [TaskRecord(**r._mapping) for r in await _select(session, query)]


async def activity_log(
    session: ReadSession, customer_id: UUID, limit: int | None = LIST_LIMIT
) -> list[ActivityRecord]:
    """A customer's activities, oldest first: the evidence chain (all of it with no limit)."""
    a = activities.c
    query = (
        sa.select(
            a.id,
            a.kind,
            a.occurred_at,
            a.outcome,
            a.notes,
            a.document_ref,
            a.created_by,
            a.created_at,
        )
        .where(a.customer_id == customer_id)
        .order_by(a.occurred_at, a.created_at)
        .limit(limit)
    )
    return [ActivityRecord(**r._mapping) for r in await _select(session, query)]


async def customer_code(session: ReadSession, customer_id: UUID) -> str | None:
    """The customer's code; None when it is not the tenant's."""
    query = sa.select(customers.c.code).where(customers.c.id == customer_id)
    rows = await _select(session, query)
    return str(rows[0].code) if rows else None
