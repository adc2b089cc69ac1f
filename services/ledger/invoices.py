"""Invoices and credit notes: posted once (idempotent), never edited afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import credit_notes, invoice_instalments, invoices
from dbschema.queries import customers as customer_queries
from dbschema.queries.ledger import lock_invoices, post_allocations
from domain import texts
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import MAX_DOCUMENT_MINOR, Money, check_document_amount
from domain.terms import schedule
from services.configuration import policy as receivables_config
from services.configuration.terms import terms_for
from services.idempotency import Once, Operation, fingerprint, run_once
from services.ledger.inputs import CreditNoteIn, InvoiceIn
from services.ledger.records import InvoicePosted
from services.uow import UnitOfWork

MAX_TEXT = texts.REFERENCE.max_chars  #: numbers, references, external ids
POST_INVOICE = Operation("POST_INVOICE", InvoicePosted)
POST_CREDIT_NOTE = Operation("POST_CREDIT_NOTE", InvoicePosted)


def positive_money(
    amount: Any, field: str, errors: list[DomainError], maximum: int = MAX_DOCUMENT_MINOR
) -> Money | None:
    """Parse an amount that must be above zero and within the maximum per document."""
    try:
        money = Money.parse(amount.amount, amount.currency, field)
    except DomainError as exc:
        errors.append(exc)
        return None
    if money.minor <= 0:
        errors.append(
            DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", f"{field}.amount")
        )
        return None
    try:
        return check_document_amount(money, maximum, f"{field}.amount")
    except DomainError as exc:
        errors.append(exc)
        return None


def dates_in_range(errors: list[DomainError], **fields: date | None) -> None:
    """Each named date within the platform's range (the keyword is the input field)."""
    for field, value in fields.items():
        try:
            check_date(value, field)
        except DomainError as exc:
            errors.append(exc)


async def max_document(uow: UnitOfWork) -> int:
    """The tenant's maximum amount per document, in minor units."""
    return (await receivables_config.in_effect(uow)).max_document_minor


def _text(
    value: str | None, field: str, errors: list[DomainError], required: bool = False
) -> str | None:
    text = (value or "").strip() or None
    if required and text is None:
        errors.append(DomainError("REQUIRED", "must not be blank", field))
    if text and len(text) > MAX_TEXT:
        errors.append(DomainError("TOO_LONG", f"at most {MAX_TEXT} characters", field))
    return text


def invoice_content(data: InvoiceIn) -> dict[str, Any]:
    """What identifies an invoice request, for replay comparison."""
    return {
        "number": data.number.strip(),
        "customer": str(data.customer_id),
        "issue": data.issue_date,
        "due": data.due_date,
        "amount": data.amount.amount,
        "currency": data.amount.currency,
        "order": data.order_ref,
    }


async def post_invoice(
    uow: UnitOfWork, data: InvoiceIn, refused: Sequence[DomainError] = ()
) -> UUID:
    """Validate and insert one invoice (and its instalments); the caller handles replay and
    may hand in refusals of its own, reported with the invoice's (nothing is then written)."""
    errors: list[DomainError] = list(refused)
    number = _text(data.number, "number", errors, required=True)
    for field, value in (
        ("orderRef", data.order_ref),
        ("externalId", data.external_id),
    ):
        _text(value, field, errors)
    texts.collect_text(data.salesperson, texts.NAME, "salesperson", errors)
    money = positive_money(data.amount, "amount", errors, await max_document(uow))
    dates_in_range(errors, issueDate=data.issue_date, dueDate=data.due_date)
    if data.due_date is not None and data.due_date < data.issue_date:
        errors.append(
            DomainError("DUE_BEFORE_ISSUE", "due date is before the issue date", "dueDate")
        )
    customer_rows = await customer_queries.by_ids(uow.conn, [data.customer_id])
    if not customer_rows:
        errors.append(NotFound("customerId", "customer"))
    elif customer_rows[0].status != "ACTIVE":
        errors.append(DomainError("CUSTOMER_ARCHIVED", "customer is archived", "customerId"))
    if number and await uow.conn.scalar(
        sa.select(invoices.c.id).where(invoices.c.number == number)
    ):
        errors.append(DomainError("DUPLICATE_NUMBER", "invoice number already used", "number"))
    if errors:
        raise ValidationFailed(errors)
    assert money is not None and number is not None
    customer = dict(customer_rows[0]._mapping)
    terms = await terms_for(uow, customer["payment_terms_code"], customer["rating_class"])
    lines = schedule(terms, data.issue_date, money.minor)
    due = data.due_date or lines[-1][0]
    invoice_id: UUID = await uow.conn.scalar(
        invoices.insert()
        .values(
            tenant_id=uow.tenant_id,
            number=number,
            external_id=data.external_id,
            customer_id=data.customer_id,
            order_ref=data.order_ref,
            issue_date=data.issue_date,
            due_date=due,
            currency=money.currency,
            amount_minor=money.minor,
            open_minor=money.minor,
            salesperson=data.salesperson or customer.get("salesperson"),
            fingerprint=fingerprint(invoice_content(data)),
            created_by=uow.actor.subject,
        )
        .returning(invoices.c.id)
    )
    if data.due_date is None and len(lines) > 1:
        await uow.conn.execute(
            invoice_instalments.insert(),
            [
                {
                    "tenant_id": uow.tenant_id,
                    "invoice_id": invoice_id,
                    "seq": i + 1,
                    "due_date": d,
                    "amount_minor": a,
                }
                for i, (d, a) in enumerate(lines)
            ],
        )
    return invoice_id


#: The refusal of a money-moving request that names neither an idempotency key nor an
#: external id: reported with the request's other errors, not instead of them.
NO_REPLAY_KEY = DomainError(
    "INVALID_INPUT", "give an idempotencyKey or an externalId (one is required)", "idempotencyKey"
)


def replay_key(key: str | None, external_id: str | None) -> str | None:
    """The idempotency key, or one derived from the external id; None when neither is given
    (the caller reports NO_REPLAY_KEY with every other problem of the request)."""
    return key or (f"external:{external_id}" if external_id else None)


async def create_invoice(uow: UnitOfWork, data: InvoiceIn, key: str | None) -> Once[InvoicePosted]:
    """Post an invoice once per idempotency key or external id."""

    async def work() -> InvoicePosted:
        return InvoicePosted(await post_invoice(uow, data))

    replay = replay_key(key, data.external_id)
    if replay is None:
        await post_invoice(uow, data, [NO_REPLAY_KEY])  # raises, with every other refusal
    assert replay is not None
    return await run_once(uow, POST_INVOICE, replay, invoice_content(data), work)


async def create_credit_note(uow: UnitOfWork, data: CreditNoteIn, key: str) -> Once[InvoicePosted]:
    """Credit part of an invoice: applied to it at once, never beyond its open amount."""
    content = {
        "number": data.number,
        "invoice": str(data.invoice_id),
        "issue": data.issue_date,
        "amount": data.amount.amount,
        "currency": data.amount.currency,
        "reason": data.reason,
    }

    async def work() -> InvoicePosted:
        errors: list[DomainError] = []
        number = _text(data.number, "number", errors, required=True)
        _text(data.external_id, "externalId", errors)
        reason = texts.collect_text(data.reason, texts.NOTE, "reason", errors)
        if reason is None:
            errors.append(DomainError("REQUIRED", "must not be blank", "reason"))
        money = positive_money(data.amount, "amount", errors, await max_document(uow))
        dates_in_range(errors, issueDate=data.issue_date)
        if errors:
            raise ValidationFailed(errors)
        assert money is not None and number is not None
        locked = await lock_invoices(uow.conn, [data.invoice_id])
        invoice = locked.get(data.invoice_id)
        if invoice is None:
            raise NotFound("invoiceId", "invoice")
        if invoice["currency"].strip() != money.currency:
            raise DomainError(
                "CURRENCY_MISMATCH", "credit note and invoice currencies differ", "amount.currency"
            )
        if money.minor > invoice["open_minor"]:
            raise DomainError(
                "EXCEEDS_OPEN_AMOUNT", "more than the invoice's open amount", "amount.amount"
            )
        if await uow.conn.scalar(
            sa.select(credit_notes.c.id).where(credit_notes.c.number == number)
        ):
            raise DomainError("DUPLICATE_NUMBER", "credit note number already used", "number")
        note_id: UUID = await uow.conn.scalar(
            credit_notes.insert()
            .values(
                tenant_id=uow.tenant_id,
                number=number,
                external_id=data.external_id,
                invoice_id=data.invoice_id,
                customer_id=invoice["customer_id"],
                issue_date=data.issue_date,
                currency=money.currency,
                amount_minor=money.minor,
                reason=reason,
                fingerprint=fingerprint(content),
                created_by=uow.actor.subject,
            )
            .returning(credit_notes.c.id)
        )
        await post_allocations(
            uow.conn,
            uow.tenant_id,
            kind="CREDIT_NOTE",
            source_column="credit_note_id",
            source_id=note_id,
            currency=money.currency,
            lines=[(data.invoice_id, money.minor)],
            effective_on=data.issue_date,
            actor=uow.actor.subject,
        )
        return InvoicePosted(data.invoice_id, note_id)

    return await run_once(uow, POST_CREDIT_NOTE, key, content, work)
