"""Append-only audit trail rows, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.per_parent import ranked_per_parent
from dbschema.tables import audit_log


async def record(
    conn: AsyncConnection,
    *,
    tenant_id: UUID,
    entity_type: str,
    entity_id: UUID,
    customer_id: UUID | None,
    action: str,
    actor: str,
    request_id: str | None,
    changes: dict[str, Any],
) -> None:
    """Write who did what (`action`: a domain verb, domain.audit), before and after."""
    await conn.execute(
        audit_log.insert().values(
            tenant_id=tenant_id,
            entity_type=entity_type,
            entity_id=entity_id,
            customer_id=customer_id,
            action=action,
            actor=actor,
            request_id=request_id,
            changes=changes,
        )
    )


async def for_customers(
    conn: AsyncConnection, customer_ids: list[UUID], limit_per_customer: int
) -> list[sa.Row[Any]]:
    """The newest audit rows per customer, paged per parent."""
    ranked = ranked_per_parent(
        audit_log, audit_log.c.customer_id, (audit_log.c.id.desc(),), customer_ids
    )
    rows = await conn.execute(
        sa.select(ranked).where(ranked.c.rn <= limit_per_customer).order_by(ranked.c.id.desc())
    )
    return list(rows)
