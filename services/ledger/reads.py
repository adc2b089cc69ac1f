"""Ledger reads for the API: pages of invoices and payments, records by id, entries per parent."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import allocations, invoice_instalments, invoices, payments
from dbschema.queries import keyset
from dbschema.queries.ledger import invoice_status_is
from domain.invoices import InvoiceStatus
from services.ledger.records import (
    AllocationEntry,
    InstalmentRecord,
    InvoiceRecord,
    Page,
    PaymentRecord,
)
from services.read_session import ReadSession

R = TypeVar("R")


def columns(table: sa.Table, record: type[Any]) -> list[sa.ColumnElement[Any]]:
    """The table's columns named by a record's fields, in the record's order."""
    return [table.c[f.name] for f in fields(record)]


INVOICE_COLUMNS = columns(invoices, InvoiceRecord)
PAYMENT_COLUMNS = columns(payments, PaymentRecord)
ENTRY_COLUMNS = [
    *(allocations.c[f.name] for f in fields(AllocationEntry) if f.name != "invoice_number"),
    invoices.c.number.label("invoice_number"),
]
INSTALMENT_COLUMNS = columns(invoice_instalments, InstalmentRecord)


def built(record: Callable[..., R], rows: Iterable[Sequence[Any]]) -> list[R]:
    """Records from rows that select exactly the record's fields, in order."""
    return [record(*row) for row in rows]


@dataclass(frozen=True)
class InvoiceQuery:
    """Which invoices a page lists; every filter optional."""

    customer_id: UUID | None = None
    status: InvoiceStatus | None = None
    currency: str | None = None
    overdue_on: date | None = None  #: only invoices open and past due (dpd > 0) on this day


async def _rows(session: ReadSession, query: Any) -> list[sa.Row[Any]]:
    async def run(conn: AsyncConnection) -> list[sa.Row[Any]]:
        return list(await conn.execute(query))

    return await session.run(run)


async def _page(
    session: ReadSession, record: Callable[..., R], query: Any, size: int, backward: bool
) -> Page[R]:
    """One page of a paged query (size + 1 rows) whose last column is the filtered total."""
    rows, more = keyset.arrange(await _rows(session, query), size, backward)
    items = built(record, (row[:-1] for row in rows))
    return Page(items, rows[0][-1] if rows else 0, more)


async def invoices_page(
    session: ReadSession,
    query: InvoiceQuery,
    cursor: UUID | None,
    size: int,
    backward: bool = False,
) -> Page[InvoiceRecord]:
    """Invoices by due date (oldest first), keyset-paginated beyond a cursor (an invoice's
    id; `backward`: before it), with the filtered total."""
    conds: list[Any] = []
    if query.customer_id is not None:
        conds.append(invoices.c.customer_id == query.customer_id)
    if query.status is not None:
        conds.append(invoice_status_is(query.status.value))
    if query.currency:
        conds.append(invoices.c.currency == query.currency)
    if query.overdue_on is not None:
        open_now = invoice_status_is(InvoiceStatus.OPEN.value)
        conds.append(sa.and_(open_now, invoices.c.due_date < query.overdue_on))
    counted = (
        sa.select(*INVOICE_COLUMNS, sa.func.count().over().label("total_count"))
        .where(*conds)
        .subquery()
    )
    keys = (invoices.c.due_date, invoices.c.id)
    page = keyset.paged_counted(counted, keys, cursor, size, backward=backward)
    return await _page(session, InvoiceRecord, page, size, backward)


async def payments_page(
    session: ReadSession,
    customer_id: UUID | None,
    cursor: UUID | None,
    size: int,
    backward: bool = False,
) -> Page[PaymentRecord]:
    """Payments newest first, beyond a cursor (a payment's id; `backward`: before it)."""
    conds = [payments.c.customer_id == customer_id] if customer_id else []
    counted = (
        sa.select(*PAYMENT_COLUMNS, sa.func.count().over().label("total_count"))
        .where(*conds)
        .subquery()
    )
    keys = (payments.c.received_on, payments.c.id)
    page = keyset.paged_counted(counted, keys, cursor, size, True, backward)
    return await _page(session, PaymentRecord, page, size, backward)


async def invoices_by_ids(session: ReadSession, ids: list[UUID]) -> list[InvoiceRecord | None]:
    """Invoices in the order asked; None where the tenant has no such invoice."""
    rows = await _rows(session, sa.select(*INVOICE_COLUMNS).where(invoices.c.id.in_(ids)))
    found = {r.id: r for r in built(InvoiceRecord, rows)}
    return [found.get(i) for i in ids]


async def payments_by_ids(session: ReadSession, ids: list[UUID]) -> list[PaymentRecord | None]:
    """Payments in the order asked; None where the tenant has no such payment."""
    rows = await _rows(session, sa.select(*PAYMENT_COLUMNS).where(payments.c.id.in_(ids)))
    found = {r.id: r for r in built(PaymentRecord, rows)}
    return [found.get(i) for i in ids]


def _grouped(ids: list[UUID], items: list[R], parent: Any) -> list[list[R]]:
    grouped: dict[UUID, list[R]] = {i: [] for i in ids}
    for item in items:
        grouped[parent(item)].append(item)
    return [grouped[i] for i in ids]


async def _entries(session: ReadSession, column: sa.Column[Any], ids: list[UUID]) -> list[Any]:
    query = (
        sa.select(*ENTRY_COLUMNS)
        .join(
            invoices,
            sa.and_(
                invoices.c.tenant_id == allocations.c.tenant_id,
                invoices.c.id == allocations.c.invoice_id,
            ),
        )
        .where(column.in_(ids))
        .order_by(allocations.c.created_at, invoices.c.due_date, allocations.c.id)
    )
    return built(AllocationEntry, await _rows(session, query))


async def allocations_by_invoice(
    session: ReadSession, ids: list[UUID]
) -> list[list[AllocationEntry]]:
    """Entries against each invoice, oldest first."""
    found = await _entries(session, allocations.c.invoice_id, ids)
    return _grouped(ids, found, lambda e: e.invoice_id)


async def allocations_by_payment(
    session: ReadSession, ids: list[UUID]
) -> list[list[AllocationEntry]]:
    """Entries made from each payment, oldest first."""
    found = await _entries(session, allocations.c.payment_id, ids)
    return _grouped(ids, found, lambda e: e.payment_id)


async def allocations_by_ids(session: ReadSession, ids: list[UUID]) -> list[AllocationEntry | None]:
    """Entries in the order asked (for `node`), None where the tenant has no such entry."""
    found = {e.id: e for e in await _entries(session, allocations.c.id, ids)}
    return [found.get(i) for i in ids]


async def instalments_by_invoice(
    session: ReadSession, ids: list[UUID]
) -> list[list[InstalmentRecord]]:
    """Instalment schedules per invoice, in order."""
    query = (
        sa.select(*INSTALMENT_COLUMNS)
        .where(invoice_instalments.c.invoice_id.in_(ids))
        .order_by(invoice_instalments.c.seq)
    )
    found = built(InstalmentRecord, await _rows(session, query))
    return _grouped(ids, found, lambda i: i.invoice_id)
