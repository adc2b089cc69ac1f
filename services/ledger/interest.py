"""Accrued late interest per invoice, as of any date, from the ledger's entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import allocations, invoices
from dbschema.tables import customers
from domain.interest import accrued_interest
from services.configuration import policy as receivables_config
from services.read_session import ReadSession
from services.uow import UnitOfWork


async def interest_for(
    session: ReadSession, invoice_ids: list[UUID], as_of: date
) -> dict[UUID, int]:
    """Interest per invoice: the customer's agreed rate, else the tenant's, else 0.05%/day."""
    return await session.run(lambda conn: _interest(conn, invoice_ids, as_of))


async def interest_in(uow: UnitOfWork, invoice_ids: list[UUID], as_of: date) -> dict[UUID, int]:
    """Interest per invoice inside a unit of work (a letter or statement being issued)."""
    return await _interest(uow.conn, invoice_ids, as_of)


async def _interest(conn: AsyncConnection, invoice_ids: list[UUID], as_of: date) -> dict[UUID, int]:
    policy = await receivables_config.load(conn)
    tenant_rate, grace = policy.late_interest_daily_rate, policy.grace_days
    rows = (
        await conn.execute(
            sa.select(
                invoices.c.id,
                invoices.c.amount_minor,
                invoices.c.due_date,
                customers.c.late_interest_daily_rate,
            )
            .join(
                customers,
                sa.and_(
                    customers.c.tenant_id == invoices.c.tenant_id,
                    customers.c.id == invoices.c.customer_id,
                ),
            )
            .where(invoices.c.id.in_(invoice_ids))
        )
    ).all()
    entries: dict[UUID, list[tuple[date, int]]] = {r.id: [] for r in rows}
    for entry in await conn.execute(
        sa.select(
            allocations.c.invoice_id, allocations.c.effective_on, allocations.c.amount_minor
        ).where(allocations.c.invoice_id.in_(invoice_ids))
    ):
        entries[entry.invoice_id].append((entry.effective_on, entry.amount_minor))
    return {
        r.id: accrued_interest(
            r.amount_minor,
            r.due_date,
            entries[r.id],
            as_of,
            Decimal(r.late_interest_daily_rate)
            if r.late_interest_daily_rate is not None
            else tenant_rate,
            grace,
        )
        for r in rows
    }


async def customer_interest(session: ReadSession, customer_id: UUID, as_of: date) -> dict[str, int]:
    """A customer's accrued interest per currency: every invoice due before the date, paid
    late or still open (interest runs until the day paid); never summed across currencies."""

    async def run(conn: AsyncConnection) -> dict[str, int]:
        rows = (
            await conn.execute(
                sa.select(invoices.c.id, invoices.c.currency).where(
                    invoices.c.customer_id == customer_id, invoices.c.due_date < as_of
                )
            )
        ).all()
        if not rows:
            return {}
        interest = await _interest(conn, [r.id for r in rows], as_of)
        totals: dict[str, int] = {}
        for row in rows:
            currency = row.currency.strip()
            totals[currency] = totals.get(currency, 0) + interest.get(row.id, 0)
        return totals

    return await session.run(run)
