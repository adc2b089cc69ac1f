"""Factoring reads for the API: agreements and limits, batches with their notices, assigned
invoices with their positions, sub-ledger entries, factor statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries import keyset
from dbschema.risk_document_tables import risk_documents
from dbschema.risk_factoring_tables import (
    factor_statements,
    factored_invoices,
    factoring_agreements,
    factoring_batches,
    factoring_debtor_limits,
    factoring_entries,
)
from domain.risk import factoring as rules
from services.paging import Seek
from services.read_session import ReadSession
from services.risk.factoring import AgreementRecord, DebtorLimitRecord, agreement_of
from services.risk.factoring_ledger import entries_of
from services.risk.paging import Page, by_ids, children, page_of


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """A batch of invoices assigned together."""

    id: UUID
    agreement_id: UUID
    assigned_on: date
    invoice_count: int
    currency_totals: dict[str, str]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    """A notice of assignment to one debtor of a batch."""

    document_id: UUID
    customer_id: UUID


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    """An invoice assigned to a factor."""

    id: UUID
    agreement_id: UUID
    batch_id: UUID
    invoice_id: UUID
    customer_id: UUID
    currency: str
    face_minor: int
    assigned_on: date
    status: str
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One sub-ledger entry."""

    seq: int
    agreement_id: UUID
    invoice_id: UUID
    number: str
    kind: str
    currency: str
    amount_minor: int
    effective_on: date
    received_by: str | None
    allocation_id: UUID | None
    reverses_seq: int | None


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """A factor statement as imported."""

    id: UUID
    agreement_id: UUID
    statement_date: date
    line_count: int
    created_at: datetime


async def agreements_page(
    session: ReadSession, after: Seek | None, first: int
) -> Page[AgreementRecord]:
    """Agreements, newest first."""
    return await page_of(session, factoring_agreements, [], after, first, agreement_of)


async def agreements_by_ids(session: ReadSession, ids: list[UUID]) -> list[AgreementRecord | None]:
    """Agreements in the order asked."""
    return await by_ids(session, factoring_agreements, ids, agreement_of)


async def limits_for(
    session: ReadSession, agreement_ids: list[UUID]
) -> list[list[DebtorLimitRecord]]:
    """Each agreement's debtor limits (currency: the agreement's first)."""
    lim, g = factoring_debtor_limits.c, factoring_agreements.c
    query = (
        sa.select(lim.agreement_id, lim.customer_id, lim.limit_minor, lim.approved, g.currencies)
        .join(factoring_agreements, sa.and_(g.tenant_id == lim.tenant_id, g.id == lim.agreement_id))
        .where(lim.agreement_id.in_(agreement_ids))
        .order_by(lim.customer_id)
    )
    return await children(
        session,
        query,
        "agreement_id",
        agreement_ids,
        lambda r: DebtorLimitRecord(
            r.agreement_id, r.customer_id, r.limit_minor, r.currencies[0].strip(), r.approved
        ),
    )


def _batch(r: Any) -> BatchRecord:
    return BatchRecord(
        r.id, r.agreement_id, r.assigned_on, r.invoice_count, r.currency_totals, r.created_at
    )


async def batches_by_ids(session: ReadSession, ids: list[UUID]) -> list[BatchRecord | None]:
    """Batches in the order asked."""
    return await by_ids(session, factoring_batches, ids, _batch)


async def notices_for(session: ReadSession, batch_ids: list[UUID]) -> list[list[NoticeRecord]]:
    """Each batch's notices of assignment (one per debtor)."""
    d = risk_documents.c
    batch = d.content["batchId"].astext
    query = (
        sa.select(d.id, d.customer_id, batch.label("batch"))
        .where(d.kind == "ASSIGNMENT_NOTICE", batch.in_([str(i) for i in batch_ids]))
        .order_by(d.customer_id)
    )
    rows = await session.run(lambda conn: conn.execute(query))
    grouped: dict[UUID, list[NoticeRecord]] = {i: [] for i in batch_ids}
    for r in rows:
        grouped[UUID(r.batch)].append(NoticeRecord(r.id, r.customer_id))
    return [grouped[i] for i in batch_ids]


def _assignment(r: Any) -> AssignmentRecord:
    return AssignmentRecord(
        r.id,
        r.agreement_id,
        r.batch_id,
        r.invoice_id,
        r.customer_id,
        r.currency.strip(),
        r.face_minor,
        r.assigned_on,
        r.status,
        r.closed_on,
    )


async def assignments_page(
    session: ReadSession,
    agreement_id: UUID | None,
    status: str | None,
    customer_id: UUID | None,
    after: Seek | None,
    first: int,
) -> Page[AssignmentRecord]:
    """Assigned invoices, newest assignment first."""
    f = factored_invoices.c
    conditions = [
        cond
        for cond in (
            f.agreement_id == agreement_id if agreement_id else None,
            f.status == status if status else None,
            f.customer_id == customer_id if customer_id else None,
        )
        if cond is not None
    ]
    return await page_of(
        session,
        factored_invoices,
        conditions,
        after,
        first,
        _assignment,
        order=("assigned_on", "id"),
    )


async def assignments_by_ids(
    session: ReadSession, ids: list[UUID]
) -> list[AssignmentRecord | None]:
    """Assignments in the order asked."""
    return await by_ids(session, factored_invoices, ids, _assignment)


async def assignments_for_invoice(
    session: ReadSession, invoice_id: UUID | None
) -> AssignmentRecord | None:
    """An invoice's latest assignment (the one a mutation just touched)."""
    f = factored_invoices.c
    query = (
        sa.select(factored_invoices)
        .where(f.invoice_id == invoice_id)
        .order_by((f.status == "ACTIVE").desc(), f.assigned_on.desc(), f.closed_on.desc())
        .limit(1)
    )
    row = (await session.run(lambda conn: conn.execute(query))).first()
    return _assignment(row) if row else None


async def positions_for(session: ReadSession, assignment_ids: list[UUID]) -> list[rules.Position]:
    """Each assignment's balances now."""
    found = await session.run(lambda conn: entries_of(conn, assignment_ids))
    return [rules.position(found.get(i, [])) for i in assignment_ids]


async def entries_page(
    session: ReadSession,
    agreement_id: UUID | None,
    invoice_id: UUID | None,
    after: Seek | None,
    first: int,
) -> Page[EntryRecord]:
    """Sub-ledger entries, newest first, beyond a cursor (an entry's seq in a UUID's bits:
    entries have no id of their own; `backward`: before it)."""
    e = factoring_entries.c
    conditions = [
        cond
        for cond in (
            e.agreement_id == agreement_id if agreement_id else None,
            e.invoice_id == invoice_id if invoice_id else None,
        )
        if cond is not None
    ]
    counted = (
        sa.select(factoring_entries, invoices.c.number, sa.func.count().over().label("total"))
        .join(invoices, sa.and_(invoices.c.tenant_id == e.tenant_id, invoices.c.id == e.invoice_id))
        .where(*conditions)
        .subquery()
    )
    seek = after or Seek()
    query = sa.select(counted)
    if seek.row_id is not None:
        bound = seek.row_id.int
        query = query.where(counted.c.seq > bound if seek.backward else counted.c.seq < bound)
    order = counted.c.seq.asc() if seek.backward else counted.c.seq.desc()
    query = query.order_by(order).limit(first + 1)
    found = list(await session.run(lambda conn: conn.execute(query)))
    rows, more = keyset.arrange(found, first, seek.backward)
    items = [
        EntryRecord(
            r.seq,
            r.agreement_id,
            r.invoice_id,
            r.number,
            r.kind,
            r.currency.strip(),
            r.amount_minor,
            r.effective_on,
            r.received_by,
            r.allocation_id,
            r.reverses_seq,
        )
        for r in rows
    ]
    return Page(items, int(rows[0].total) if rows else 0, more)


def _statement(r: Any) -> StatementRecord:
    return StatementRecord(r.id, r.agreement_id, r.statement_date, r.line_count, r.created_at)


async def statements_by_ids(session: ReadSession, ids: list[UUID]) -> list[StatementRecord | None]:
    """Factor statements in the order asked."""
    return await by_ids(session, factor_statements, ids, _statement)


async def statements_for(
    session: ReadSession, agreement_ids: list[UUID]
) -> list[list[StatementRecord]]:
    """Each agreement's imported factor statements, newest first."""
    s = factor_statements.c
    query = (
        sa.select(factor_statements)
        .where(s.agreement_id.in_(agreement_ids))
        .order_by(s.statement_date.desc(), s.created_at.desc())
    )
    return await children(session, query, "agreement_id", agreement_ids, _statement)
