"""Credit holds: a flag that blocks every credit check of a customer until it is lifted.

A credit manager sets or lifts it with a reason; the warning engine will set it too
(`source="WARNING"`). Holds are append-only: the newest entry per customer is the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import credit_holds
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from domain.audit import AuditAction
from domain.credit.bounds import clean_text
from domain.errors import DomainError, NotFound, ValidationFailed
from services.credit.topics import TOPIC_LIMIT
from services.credit.trail import audited
from services.read_session import ReadSession
from services.uow import UnitOfWork

#: A hold's reason is a sentence, not an essay (a database CHECK mirrors it).
MAX_REASON = 500
SOURCES = ("MANUAL", "WARNING")


@dataclass(frozen=True)
class HoldView:
    """Whether a customer is on hold, why, since when and who said so."""

    customer_id: UUID
    held: bool
    reason: str | None
    source: str | None
    set_by: str | None
    set_at: datetime | None


def _view(customer_id: UUID, row: Any) -> HoldView:
    if row is None:
        return HoldView(customer_id, False, None, None, None, None)
    return HoldView(customer_id, row.held, row.reason, row.source, row.created_by, row.created_at)


async def current(conn: AsyncConnection, customer_id: UUID) -> HoldView:
    """The newest hold entry of a customer (not held when there is none)."""
    row = (
        await conn.execute(
            sa.select(credit_holds)
            .where(credit_holds.c.customer_id == customer_id)
            .order_by(credit_holds.c.seq.desc())
            .limit(1)
        )
    ).first()
    return _view(customer_id, row)


async def set_hold(
    uow: UnitOfWork, customer_id: UUID, held: bool, reason: str, source: str = "MANUAL"
) -> HoldView:
    """Put a customer on credit hold or lift it, with a reason; no change, no new entry."""
    errors: list[DomainError] = []
    text = clean_text(reason, "reason", MAX_REASON, errors, required=True)
    if source not in SOURCES:
        errors.append(DomainError("INVALID_KIND", "MANUAL or WARNING", "source"))
    if errors:
        raise ValidationFailed(errors)
    if not await customer_queries.by_ids(uow.conn, [customer_id]):
        raise NotFound("customerId", "customer")
    before = await current(uow.conn, customer_id)
    if before.held == held:
        return before
    row = (
        await uow.conn.execute(
            credit_holds.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                held=held,
                reason=text,
                source=source,
                created_by=uow.actor.subject,
            )
            .returning(credit_holds)
        )
    ).one()
    await audited(
        uow,
        "CreditHold",
        customer_id,
        customer_id,
        AuditAction.SET_CREDIT_HOLD if held else AuditAction.LIFT_CREDIT_HOLD,
        {"held": {"before": before.held, "after": held}, "reason": {"after": text}},
    )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_LIMIT,
        {
            "change": "HOLD" if held else "HOLD_LIFTED",
            "customerId": str(customer_id),
            "reason": text,
            "source": source,
        },
    )
    return _view(customer_id, row)


async def hold_of(session: ReadSession, customer_id: UUID) -> HoldView:
    """The hold state of a customer, for reads."""

    async def run(conn: AsyncConnection) -> HoldView:
        return await current(conn, customer_id)

    return await session.run(run)
