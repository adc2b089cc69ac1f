"""Reads and decisions of the responses raised by warnings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.warning_rule_tables import warning_responses as r


async def for_warnings(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """The responses of some warnings, oldest first."""
    query = sa.select(r).where(r.c.warning_id.in_(ids)).order_by(r.c.created_at, r.c.action)
    return list(await conn.execute(query))


async def by_ids(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """Some responses by id (in no order)."""
    return list(await conn.execute(sa.select(r).where(r.c.id.in_(ids))))


async def lock(conn: AsyncConnection, response_id: UUID) -> sa.Row[Any] | None:
    """One response, locked for its decision."""
    return (await conn.execute(sa.select(r).where(r.c.id == response_id).with_for_update())).first()


async def decide(
    conn: AsyncConnection, response_id: UUID, status: str, by: str, note: str | None
) -> sa.Row[Any]:
    """Record a response's decision and return it."""
    result = await conn.execute(
        r.update()
        .where(r.c.id == response_id)
        .values(status=status, decided_by=by, decided_at=sa.func.now(), decision_note=note)
        .returning(r)
    )
    row: sa.Row[Any] = result.one()
    return row
