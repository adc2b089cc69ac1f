"""Ledger reads and writes under row locks; balances change only beside their entries."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import allocations, invoices, payments

#: An invoice's status as SQL, the set-wise twin of domain.invoices.invoice_status (a test
#: compares them on generated balances): open while owed, then written off or paid.
INVOICE_STATUS_SQL: dict[str, Any] = {
    "OPEN": invoices.c.is_open,
    "WRITTEN_OFF": sa.and_(invoices.c.open_minor <= 0, invoices.c.written_off_minor > 0),
    "PAID": sa.and_(invoices.c.open_minor <= 0, invoices.c.written_off_minor <= 0),
}


def invoice_status_is(status: str) -> Any:
    """The filter selecting invoices in one status (OPEN, PAID or WRITTEN_OFF)."""
    return INVOICE_STATUS_SQL[status]


async def lock_invoices(conn: AsyncConnection, ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """Lock invoices in id order (one global order: concurrent allocators never deadlock)."""
    if not ids:
        return {}
    rows = await conn.execute(
        sa.select(invoices)
        .where(invoices.c.id.in_(sorted(set(ids))))
        .order_by(invoices.c.id)
        .with_for_update()
    )
    return {r.id: dict(r._mapping) for r in rows}


async def lock_open_invoices(
    conn: AsyncConnection, customer_id: UUID, currency: str
) -> list[dict[str, Any]]:
    """Lock a customer's open invoices in one currency, in id order."""
    rows = await conn.execute(
        sa.select(invoices)
        .where(
            invoices.c.customer_id == customer_id,
            invoices.c.currency == currency,
            invoices.c.is_open,
        )
        .order_by(invoices.c.id)
        .with_for_update()
    )
    return [dict(r._mapping) for r in rows]


async def lock_payment(conn: AsyncConnection, payment_id: UUID) -> dict[str, Any] | None:
    """Lock one payment (always before its invoices)."""
    row = (
        await conn.execute(sa.select(payments).where(payments.c.id == payment_id).with_for_update())
    ).first()
    return dict(row._mapping) if row else None


async def post_allocations(
    conn: AsyncConnection,
    tenant_id: UUID,
    *,
    kind: str,
    source_column: str,
    source_id: UUID,
    currency: str,
    lines: list[tuple[UUID, int]],
    effective_on: date,
    actor: str,
    reverses: dict[UUID, UUID] | None = None,
) -> list[UUID]:
    """Insert allocation entries and move each invoice's open amount by the same amounts."""
    created: list[UUID] = []
    for invoice_id, amount in lines:
        values: dict[str, Any] = dict(
            tenant_id=tenant_id,
            invoice_id=invoice_id,
            currency=currency,
            kind=kind,
            amount_minor=amount,
            effective_on=effective_on,
            created_by=actor,
        )
        values[source_column] = source_id
        if reverses is not None:
            values["reverses_id"] = reverses[invoice_id]
        allocation_id = await conn.scalar(
            allocations.insert().values(**values).returning(allocations.c.id)
        )
        await conn.execute(
            invoices.update()
            .where(invoices.c.id == invoice_id)
            .values(open_minor=invoices.c.open_minor - amount)
        )
        created.append(allocation_id)
    return created


async def net_payment_allocations(conn: AsyncConnection, payment_id: UUID) -> list[dict[str, Any]]:
    """Positive allocations of a payment that have not been reversed yet."""
    reversed_ids = sa.select(allocations.c.reverses_id).where(
        allocations.c.reverses_id.is_not(None)
    )
    rows = await conn.execute(
        sa.select(allocations)
        .where(
            allocations.c.payment_id == payment_id,
            allocations.c.amount_minor > 0,
            allocations.c.id.not_in(reversed_ids),
        )
        .order_by(allocations.c.invoice_id)
    )
    return [dict(r._mapping) for r in rows]
