"""The audit trail and keyset pages, as every credit-limit service writes and reads them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.queries.keyset import arrange, paged
from domain.audit import AuditAction
from services.paging import Seek
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
    after: Seek | None,
    first: int,
) -> tuple[list[sa.Row[Any]], bool]:
    """One page of `query` in descending `keys` (the last is the row id) beyond a cursor
    (a row id, either way); and whether more rows lie beyond it in the direction read."""
    seek = after or Seek()
    query = paged(query, keys, seek.row_id, first, True, seek.backward)

    async def run(conn: AsyncConnection) -> list[sa.Row[Any]]:
        return list(await conn.execute(query))

    return arrange(await session.run(run), first, seek.backward)
