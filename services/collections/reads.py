"""Reads for collections: cases, tasks and the activity evidence chain."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import activities, collection_cases, collection_tasks
from services.read_session import ReadSession

LIST_LIMIT = 200  #: newest first, capped


async def _rows(session: ReadSession, query: Any) -> list[dict[str, Any]]:
    async def run(conn: AsyncConnection) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await conn.execute(query)]

    return await session.run(run)


async def cases(
    session: ReadSession, *, status: str | None, owner_role: str | None, customer_id: UUID | None
) -> list[dict[str, Any]]:
    """Collection cases, most overdue first."""
    query = (
        sa.select(collection_cases)
        .order_by(collection_cases.c.days_overdue.desc())
        .limit(LIST_LIMIT)
    )
    if status:
        query = query.where(collection_cases.c.status == status)
    if owner_role:
        query = query.where(collection_cases.c.owner_role == owner_role)
    if customer_id:
        query = query.where(collection_cases.c.customer_id == customer_id)
    return await _rows(session, query)


async def tasks(
    session: ReadSession, *, role: str | None, status: str | None
) -> list[dict[str, Any]]:
    """Tasks by due date."""
    query = sa.select(collection_tasks).order_by(collection_tasks.c.due_on).limit(LIST_LIMIT)
    if role:
        query = query.where(collection_tasks.c.role == role)
    if status:
        query = query.where(collection_tasks.c.status == status)
    return await _rows(session, query)


async def activity_log(
    session: ReadSession, customer_id: UUID, limit: int = LIST_LIMIT
) -> list[dict[str, Any]]:
    """A customer's activities, oldest first: the evidence chain."""
    return await _rows(
        session,
        sa.select(activities)
        .where(activities.c.customer_id == customer_id)
        .order_by(activities.c.occurred_at, activities.c.created_at)
        .limit(limit),
    )
