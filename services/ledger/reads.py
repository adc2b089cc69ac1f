"""Ledger reads for the API: pages of invoices and payments, allocations per parent."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import allocations, invoice_instalments, invoices, payments
from services.read_session import ReadSession


async def _all(conn: AsyncConnection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in await conn.execute(query)]


async def invoices_page(
    session: ReadSession,
    *,
    customer_id: UUID | None,
    status: str | None,
    currency: str | None,
    overdue_on: date | None,
    after: tuple[Any, UUID] | None,
    first: int,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Invoices by due date (oldest first), keyset-paginated, with the filtered total."""
    conds: list[Any] = []
    if customer_id is not None:
        conds.append(invoices.c.customer_id == customer_id)
    if status == "OPEN":
        conds.append(invoices.c.open_minor > 0)
    elif status == "PAID":
        conds.append(sa.and_(invoices.c.open_minor == 0, invoices.c.written_off_minor == 0))
    elif status == "WRITTEN_OFF":
        conds.append(invoices.c.written_off_minor > 0)
    if currency:
        conds.append(invoices.c.currency == currency)
    if overdue_on is not None:
        conds.append(sa.and_(invoices.c.open_minor > 0, invoices.c.due_date < overdue_on))
    counted = (
        sa.select(invoices, sa.func.count().over().label("total_count")).where(*conds).subquery()
    )
    query = sa.select(counted)
    if after is not None:
        query = query.where(
            sa.tuple_(counted.c.due_date, counted.c.id)
            > sa.tuple_(sa.literal(after[0], sa.Date), sa.literal(after[1]))
        )
    query = query.order_by(counted.c.due_date, counted.c.id).limit(first + 1)
    rows = await session.run(lambda c: _all(c, query))
    total = rows[0]["total_count"] if rows else 0
    return rows[:first], total, len(rows) > first


async def payments_page(
    session: ReadSession,
    *,
    customer_id: UUID | None,
    after: tuple[Any, UUID] | None,
    first: int,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Payments newest first."""
    conds = [payments.c.customer_id == customer_id] if customer_id else []
    counted = (
        sa.select(payments, sa.func.count().over().label("total_count")).where(*conds).subquery()
    )
    query = sa.select(counted)
    if after is not None:
        query = query.where(
            sa.tuple_(counted.c.received_on, counted.c.id)
            < sa.tuple_(sa.literal(after[0], sa.Date), sa.literal(after[1]))
        )
    query = query.order_by(counted.c.received_on.desc(), counted.c.id.desc()).limit(first + 1)
    rows = await session.run(lambda c: _all(c, query))
    total = rows[0]["total_count"] if rows else 0
    return rows[:first], total, len(rows) > first


async def by_ids(
    session: ReadSession, table: sa.Table, ids: list[UUID]
) -> list[dict[str, Any] | None]:
    """Rows of a ledger table in the order asked."""
    query = sa.select(table).where(table.c.id.in_(ids))
    found = {r["id"]: r for r in await session.run(lambda c: _all(c, query))}
    return [found.get(i) for i in ids]


async def allocations_for(
    session: ReadSession, column: str, ids: list[UUID]
) -> list[list[dict[str, Any]]]:
    """Allocation entries per invoice or per payment, oldest first."""
    col = allocations.c[column]
    query = (
        sa.select(allocations, invoices.c.number.label("invoice_number"))
        .join(
            invoices,
            sa.and_(
                invoices.c.tenant_id == allocations.c.tenant_id,
                invoices.c.id == allocations.c.invoice_id,
            ),
        )
        .where(col.in_(ids))
        .order_by(allocations.c.created_at, invoices.c.due_date, allocations.c.id)
    )
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in await session.run(lambda c: _all(c, query)):
        grouped[row[column]].append(row)
    return [grouped[i] for i in ids]


async def instalments_for(session: ReadSession, ids: list[UUID]) -> list[list[dict[str, Any]]]:
    """Instalment schedules per invoice."""
    query = (
        sa.select(invoice_instalments)
        .where(invoice_instalments.c.invoice_id.in_(ids))
        .order_by(invoice_instalments.c.seq)
    )
    grouped: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in await session.run(lambda c: _all(c, query)):
        grouped[row["invoice_id"]].append(row)
    return [grouped[i] for i in ids]


async def aging_report(
    session: ReadSession,
    *,
    as_of: date,
    basis: str,
    group: str,
    currency: str | None,
    after: tuple[int, str, str] | None,
    first: int,
    customer: UUID | None = None,
) -> Any:
    """The aging report through the request's read session."""
    from dbschema.tables import tenants
    from services.ledger import aging

    async def run(conn: AsyncConnection) -> Any:
        settings = await conn.scalar(sa.select(tenants.c.settings)) or {}
        return await aging.aging(
            conn,
            as_of=as_of,
            basis=basis,
            group=group,
            buckets=aging.buckets_for(basis, settings),
            currency=currency,
            after=after,
            first=first,
            customer=customer,
        )

    return await session.run(run)
