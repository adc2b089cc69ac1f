"""The audit trail and keyset pages, as every credit-limit service writes and reads them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from domain.audit import AuditAction
from services.read_session import ReadSession
from services.uow import UnitOfWork


async def audited(
    uow: UnitOfWork,
    entity_type: str,
    entity_id: UUID,
    customer_id: UUID | None,
    action: AuditAction,
    changes: dict[str, Any],
) -> None:
    """Record who did what (a domain verb, domain.audit.AuditAction), before and after."""
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type=entity_type,
        entity_id=entity_id,
        customer_id=customer_id,
        action=action,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes=changes,
    )


async def newest_first(
    session: ReadSession,
    query: sa.Select[Any],
    keys: Sequence[sa.ColumnElement[Any]],
    after: Any,
    first: int,
) -> tuple[list[sa.Row[Any]], bool]:
    """One page of `query` in descending `keys` after a cursor (a value, or a tuple for
    several keys); and whether more rows follow."""
    if after is not None:
        bound = after if isinstance(after, tuple) else (after,)
        query = query.where(sa.tuple_(*keys) < sa.tuple_(*bound))
    query = query.order_by(*(k.desc() for k in keys)).limit(first + 1)

    async def run(conn: AsyncConnection) -> list[sa.Row[Any]]:
        return list(await conn.execute(query))

    rows = await session.run(run)
    return rows[:first], len(rows) > first
