"""Early-warning signals: raised at most once per customer and kind while open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.queries.events import record_event
from dbschema.tables import customers, warnings
from domain.audit import AuditAction
from domain.errors import DomainError, NotFound
from services.uow import UnitOfWork

LEVELS = ("LIGHT", "MEDIUM", "SEVERE")
TOPIC_RAISED = "warning.raised"


def event_payload(row: dict[str, Any], customer: dict[str, Any]) -> dict[str, Any]:
    """A self-contained snapshot, so subscribers need no database read per event."""
    return {
        "id": str(row["id"]),
        "customerId": str(row["customer_id"]),
        "kind": row["kind"],
        "level": row["level"],
        "status": row["status"],
        "evidence": row["evidence"],
        "raisedAt": row["raised_at"].isoformat(),
        "customer": {"code": customer["code"], "legalName": customer["legal_name"]},
    }


async def raise_warning(
    conn: AsyncConnection,
    tenant_id: UUID,
    customer: dict[str, Any],
    kind: str,
    level: str,
    evidence: dict[str, Any],
) -> dict[str, Any] | None:
    """Raise unless an open warning of this kind exists; returns the new row or None."""
    stmt = (
        insert(warnings)
        .values(
            tenant_id=tenant_id,
            customer_id=customer["id"],
            kind=kind,
            level=level,
            evidence=evidence,
        )
        .on_conflict_do_nothing(
            index_elements=["tenant_id", "customer_id", "kind"],
            index_where=sa.text("status = 'OPEN'"),
        )
        .returning(warnings)
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        return None
    stored = dict(row._mapping)
    await record_event(conn, tenant_id, TOPIC_RAISED, event_payload(stored, customer))
    return stored


async def acknowledge(uow: UnitOfWork, warning_id: UUID, note: str | None) -> dict[str, Any]:
    """Acknowledge a warning: whoever follows it up says so; it can be raised again later."""
    row = (
        await uow.conn.execute(
            sa.select(warnings).where(warnings.c.id == warning_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "warning")
    if row.status != "OPEN":
        raise DomainError("ALREADY_ACKNOWLEDGED", "warning is already acknowledged", "id")
    updated = (
        await uow.conn.execute(
            warnings.update()
            .where(warnings.c.id == warning_id)
            .values(
                status="ACKNOWLEDGED",
                acknowledged_by=uow.actor.subject,
                acknowledged_at=sa.func.now(),
                acknowledge_note=note,
            )
            .returning(warnings)
        )
    ).one()
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type="Warning",
        entity_id=warning_id,
        customer_id=row.customer_id,
        action=AuditAction.ACKNOWLEDGE_WARNING,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes={
            "status": {"before": "OPEN", "after": "ACKNOWLEDGED"},
            "note": {"before": None, "after": note},
        },
    )
    return dict(updated._mapping)


async def customer_exists(conn: AsyncConnection, customer_id: UUID) -> bool:
    """Whether the id is one of the current tenant's customers."""
    return (
        await conn.scalar(sa.select(customers.c.id).where(customers.c.id == customer_id))
    ) is not None
