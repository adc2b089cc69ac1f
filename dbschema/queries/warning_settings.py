"""A tenant's warning-rule settings: one row, only what the tenant changed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.warning_rule_tables import warning_settings


async def load(conn: AsyncConnection, lock: bool = False) -> sa.Row[Any] | None:
    """The tenant's settings row (None: all defaults); locked for a read-modify-write."""
    query = sa.select(warning_settings)
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).first()


async def save(conn: AsyncConnection, tenant_id: UUID, by: str, values: dict[str, Any]) -> None:
    """Write the settings (insert the first time, then bump the version)."""
    await conn.execute(
        insert(warning_settings)
        .values(tenant_id=tenant_id, updated_by=by, **values)
        .on_conflict_do_update(
            index_elements=["tenant_id"],
            set_={
                **values,
                "updated_by": by,
                "updated_at": sa.func.now(),
                "version": warning_settings.c.version + 1,
            },
        )
    )
