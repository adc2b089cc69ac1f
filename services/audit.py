"""The audit trail: a change is recorded in the unit of work that makes it, as its actor."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dbschema.queries import audit
from domain.audit import AuditAction
from services.uow import UnitOfWork


async def record(
    uow: UnitOfWork,
    action: AuditAction,
    entity_type: str,
    entity_id: UUID,
    customer_id: UUID | None,
    changes: dict[str, Any],
) -> None:
    """Audit one change: each changed field with its value before and after."""
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
