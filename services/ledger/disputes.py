"""Disputes: a contested amount pauses dunning for that amount until resolved."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import disputes, invoices
from dbschema.queries.ledger import lock_invoices
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.ledger.records import DisputeChanged
from services.uow import UnitOfWork


async def open_dispute(
    uow: UnitOfWork, invoice_id: UUID, amount: str, reason: str
) -> DisputeChanged:
    """Record a dispute on (part of) an invoice's open amount."""
    if not reason.strip():
        raise DomainError("REQUIRED", "say what the customer disputes", "reason")
    invoice = (await lock_invoices(uow.conn, [invoice_id])).get(invoice_id)
    if invoice is None:
        raise NotFound("invoiceId", "invoice")
    money = Money.parse(amount, invoice["currency"].strip(), "amount")
    if money.minor <= 0:
        raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
    if invoice["open_minor"] == 0:
        raise DomainError("INVOICE_SETTLED", "nothing is open on the invoice", "invoiceId")
    if invoice["disputed_minor"] + money.minor > invoice["open_minor"]:
        raise DomainError(
            "EXCEEDS_OPEN_AMOUNT", "more than the undisputed open amount", "amount.amount"
        )
    dispute_id: UUID = await uow.conn.scalar(
        disputes.insert()
        .values(
            tenant_id=uow.tenant_id,
            invoice_id=invoice_id,
            amount_minor=money.minor,
            reason=reason.strip(),
            created_by=uow.actor.subject,
        )
        .returning(disputes.c.id)
    )
    await uow.conn.execute(
        invoices.update()
        .where(invoices.c.id == invoice_id)
        .values(disputed_minor=invoices.c.disputed_minor + money.minor)
    )
    return DisputeChanged(dispute_id, invoice_id)


async def resolve_dispute(
    uow: UnitOfWork, dispute_id: UUID, accepted: bool, resolution: str
) -> DisputeChanged:
    """Close a dispute; an accepted one is usually followed by a credit note."""
    row = (
        await uow.conn.execute(
            sa.select(disputes).where(disputes.c.id == dispute_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "dispute")
    if row.status != "OPEN":
        raise DomainError("INVALID_STATUS", "the dispute is closed already", "id")
    await lock_invoices(uow.conn, [row.invoice_id])
    await uow.conn.execute(
        disputes.update()
        .where(disputes.c.id == dispute_id)
        .values(
            status="RESOLVED" if accepted else "REJECTED",
            resolution=resolution,
            resolved_at=sa.func.now(),
            resolved_by=uow.actor.subject,
        )
    )
    await uow.conn.execute(
        invoices.update()
        .where(invoices.c.id == row.invoice_id)
        .values(disputed_minor=sa.func.greatest(invoices.c.disputed_minor - row.amount_minor, 0))
    )
    return DisputeChanged(dispute_id, row.invoice_id)
