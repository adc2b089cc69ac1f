"""Reads for collections: cases, tasks and the activity evidence chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import activities, collection_cases, collection_tasks
from dbschema.tables import customers
from services.read_session import ReadSession, by_ids, fetch_all

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


def _columns(table: sa.Table, record: type[Any]) -> sa.Select[Any]:
    """A select of the table's columns a record holds, in the record's order."""
    return sa.select(*(table.c[name] for name in record.__dataclass_fields__))


CASES = _columns(collection_cases, CaseRecord)
TASKS = _columns(collection_tasks, TaskRecord)
ACTIVITIES = _columns(activities, ActivityRecord)


async def cases(
    session: ReadSession, *, status: str | None, owner_role: str | None, customer_id: UUID | None
) -> list[CaseRecord]:
    """Collection cases, most overdue first."""
    c = collection_cases.c
    query = CASES.order_by(c.days_overdue.desc()).limit(LIST_LIMIT)
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
    query = TASKS.order_by(t.due_on).limit(LIST_LIMIT)
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
        ACTIVITIES.where(a.customer_id == customer_id)
        .order_by(a.occurred_at, a.created_at)
        .limit(limit)
    )
    return [ActivityRecord(**r._mapping) for r in await _select(session, query)]


async def cases_by_ids(session: ReadSession, ids: list[UUID]) -> list[CaseRecord | None]:
    """Cases in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, CASES, collection_cases.c.id, ids, lambda r: CaseRecord(*r))


async def tasks_by_ids(session: ReadSession, ids: list[UUID]) -> list[TaskRecord | None]:
    """Tasks in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, TASKS, collection_tasks.c.id, ids, lambda r: TaskRecord(*r))


async def activities_by_ids(session: ReadSession, ids: list[UUID]) -> list[ActivityRecord | None]:
    """Activities in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, ACTIVITIES, activities.c.id, ids, lambda r: ActivityRecord(*r))


async def customer_code(session: ReadSession, customer_id: UUID) -> str | None:
    """The customer's code; None when it is not the tenant's."""
    query = sa.select(customers.c.code).where(customers.c.id == customer_id)
    rows = await _select(session, query)
    return str(rows[0].code) if rows else None
