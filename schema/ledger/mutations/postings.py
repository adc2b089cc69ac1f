"""Money-moving mutations: invoices, credit notes, payments, allocations, reversals.

Each takes an idempotency key (or an external id): a replay returns the first result, the
same key with other content is refused with IDEMPOTENCY_MISMATCH.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from enum import Enum
from typing import Annotated, Any, Protocol
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.ledger.errors import LEDGER
from schema.ledger.types import Invoice, Payment, PaymentMethod
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.idempotency import Once
from services.inputs import MoneyIn
from services.ledger import invoices as invoice_service
from services.ledger import payments as payment_service
from services.ledger import reads as ledger_reads
from services.ledger.inputs import AllocationLine, CreditNoteIn, InvoiceIn, PaymentIn
from services.ledger.records import (
    AllocationReversed,
    InvoicePosted,
    PaymentPosted,
    PaymentReversed,
)
from services.uow import UnitOfWork

#: What a mutation's `show` hands `respond`: the payload's fields besides userErrors.
Shown = dict[str, Any]

KEY_NOTE = (
    "Idempotency key: a replay with the same key returns the first result; the same "
    "key with different content is refused (IDEMPOTENCY_MISMATCH)."
)
#: Invoices and payments take a key or an external id: exactly which one is required, said
#: in the schema where a client reads it.
EITHER_KEY_NOTE = (
    "Required unless externalId is given (one of the two is required; without both the "
    "request is refused with INVALID_INPUT on idempotencyKey, together with its other "
    "errors). " + KEY_NOTE
)
EXTERNAL_ID_NOTE = (
    "Id in the source system. Required unless idempotencyKey is given: without a key, the "
    "external id is the idempotency key (a replay with the same external id returns the "
    "first result)."
)
#: The idempotency key's limit (a key is a reference, like an external id).
KEY = texts.REFERENCE


@strawberry.enum(description="How a payment is allocated to invoices.")
class AllocationMode(Enum):
    AUTO = strawberry.enum_value("AUTO", description="Oldest due first.")
    NONE = strawberry.enum_value("NONE", description="Leave it on account.")
    EXPLICIT = strawberry.enum_value("EXPLICIT", description="To the listed invoices.")


@strawberry.input(description="A new invoice.")
class CreateInvoiceInput:
    number: str = text("Invoice number, unique in the tenant.", texts.REFERENCE)
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    issue_date: date = strawberry.field(description="Issue date.")
    amount: MoneyInput = strawberry.field(description="Invoiced amount (greater than zero).")
    due_date: date | None = strawberry.field(
        default=None, description="Due date; derived from the customer's terms when omitted."
    )
    order_ref: str | None = text("Sales order reference.", texts.REFERENCE, default=None)
    external_id: str | None = text(EXTERNAL_ID_NOTE, texts.REFERENCE, default=None)
    salesperson: str | None = text("Defaults to the customer's.", texts.NAME, default=None)
    idempotency_key: str | None = text(EITHER_KEY_NOTE, KEY, default=None)


@strawberry.type(description="Result of an invoice mutation.")
class InvoicePayload(LEDGER.payload):
    invoice: Invoice | None = strawberry.field(default=None, description="The invoice.")
    replayed: bool = strawberry.field(
        default=False, description="True when this was a replay of the key."
    )


@strawberry.input(description="Part of a payment to put on one invoice.")
class AllocationLineInput:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    amount: str = text("Decimal amount in the payment's currency.", texts.AMOUNT)


@strawberry.input(description="Cash received.")
class CreatePaymentInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    received_on: date = strawberry.field(description="Date received.")
    amount: MoneyInput = strawberry.field(description="Amount received (greater than zero).")
    method: PaymentMethod = strawberry.field(
        default=PaymentMethod.BANK_TRANSFER, description="How it was paid."
    )
    reference: str | None = text("Bank reference.", texts.REFERENCE, default=None)
    external_id: str | None = text(EXTERNAL_ID_NOTE, texts.REFERENCE, default=None)
    allocation: AllocationMode = strawberry.field(
        default=AllocationMode.AUTO, description="How to allocate it."
    )
    lines: list[AllocationLineInput] | None = strawberry.field(
        default=None, description="With EXPLICIT: where the money goes."
    )
    idempotency_key: str | None = text(EITHER_KEY_NOTE, KEY, default=None)


@strawberry.type(description="Result of a payment mutation.")
class PaymentPayload(LEDGER.payload):
    payment: Payment | None = strawberry.field(default=None, description="The payment.")
    replayed: bool = strawberry.field(
        default=False, description="True when this was a replay of the key."
    )


@strawberry.input(description="Allocate cash left on account.")
class AllocatePaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="Global id of the payment.")
    mode: AllocationMode = strawberry.field(
        default=AllocationMode.AUTO, description="AUTO or EXPLICIT."
    )
    lines: list[AllocationLineInput] | None = strawberry.field(
        default=None, description="With EXPLICIT."
    )
    effective_on: date | None = strawberry.field(default=None, description="Defaults to today.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="Reverse a payment: every invoice it paid re-opens.")
class ReversePaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="Global id of the payment.")
    reason: str = text("Why (bounced, posted twice, wrong customer).", texts.NOTE)
    effective_on: date | None = strawberry.field(default=None, description="Defaults to today.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="Reverse one payment allocation; the cash goes back on account.")
class ReverseAllocationInput:
    allocation_id: strawberry.ID = strawberry.field(description="Global id of the entry.")
    effective_on: date | None = strawberry.field(default=None, description="Defaults to today.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="A credit note, applied to its invoice at once.")
class CreateCreditNoteInput:
    number: str = text("Credit note number, unique in the tenant.", texts.REFERENCE)
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    issue_date: date = strawberry.field(description="Issue date.")
    amount: MoneyInput = strawberry.field(description="Amount, at most the open amount.")
    reason: str = text("Why (returns, price correction ...).", texts.NOTE)
    external_id: str | None = text("Source system id.", texts.REFERENCE, default=None)
    idempotency_key: str = text(KEY_NOTE, KEY)


def _lines(raw: list[AllocationLineInput] | None) -> list[AllocationLine]:
    return [
        AllocationLine(decode(line.invoice_id, "Invoice", f"lines.{n}.invoiceId"), line.amount)
        for n, line in enumerate(raw or [])
    ]


def _show_invoice(info: Info[Context, Any]) -> Callable[[Once[InvoicePosted]], Awaitable[Shown]]:
    """Re-read the posted invoice for the payload, and say whether it was a replay."""

    async def show(posted: Once[InvoicePosted]) -> Shown:
        record = (
            await ledger_reads.invoices_by_ids(info.context.session, [posted.result.invoice_id])
        )[0]
        return {
            "invoice": Invoice.from_row(record) if record else None,
            "replayed": posted.replayed,
        }

    return show


class PaymentMove(Protocol):
    """Any outcome of a payment movement: it names the payment it touched."""

    @property
    def payment_id(self) -> UUID: ...


def _show_payment(info: Info[Context, Any]) -> Callable[[Once[PaymentMove]], Awaitable[Shown]]:
    """Re-read the payment a movement touched, and say whether it was a replay."""

    async def show(moved: Once[PaymentMove]) -> Shown:
        record = (
            await ledger_reads.payments_by_ids(info.context.session, [moved.result.payment_id])
        )[0]
        return {"payment": Payment.from_row(record) if record else None, "replayed": moved.replayed}

    return show


async def create_invoice(
    info: Info[Context, Any], input: Annotated[CreateInvoiceInput, INPUT]
) -> InvoicePayload:
    async def work(uow: UnitOfWork) -> Once[InvoicePosted]:
        data = InvoiceIn(
            number=input.number,
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            issue_date=input.issue_date,
            amount=MoneyIn(input.amount.amount, input.amount.currency),
            due_date=input.due_date,
            order_ref=input.order_ref,
            external_id=input.external_id,
            salesperson=input.salesperson,
        )
        return await invoice_service.create_invoice(uow, data, input.idempotency_key)

    return await respond(info, InvoicePayload, work, _show_invoice(info))


async def create_credit_note(
    info: Info[Context, Any], input: Annotated[CreateCreditNoteInput, INPUT]
) -> InvoicePayload:
    async def work(uow: UnitOfWork) -> Once[InvoicePosted]:
        data = CreditNoteIn(
            number=input.number,
            invoice_id=decode(input.invoice_id, "Invoice", "invoiceId"),
            issue_date=input.issue_date,
            amount=MoneyIn(input.amount.amount, input.amount.currency),
            reason=input.reason,
            external_id=input.external_id,
        )
        return await invoice_service.create_credit_note(uow, data, input.idempotency_key)

    return await respond(info, InvoicePayload, work, _show_invoice(info))


async def create_payment(
    info: Info[Context, Any], input: Annotated[CreatePaymentInput, INPUT]
) -> PaymentPayload:
    async def work(uow: UnitOfWork) -> Once[PaymentPosted]:
        data = PaymentIn(
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            received_on=input.received_on,
            amount=MoneyIn(input.amount.amount, input.amount.currency),
            method=input.method.value,
            reference=input.reference,
            external_id=input.external_id,
            allocation=input.allocation.value,
            lines=_lines(input.lines),
        )
        return await payment_service.create_payment(uow, data, input.idempotency_key)

    return await respond(info, PaymentPayload, work, _show_payment(info))


async def allocate_payment(
    info: Info[Context, Any], input: Annotated[AllocatePaymentInput, INPUT]
) -> PaymentPayload:
    async def work(uow: UnitOfWork) -> Once[PaymentPosted]:
        return await payment_service.allocate_payment(
            uow,
            decode(input.payment_id, "Payment", "paymentId"),
            input.mode.value,
            _lines(input.lines),
            input.effective_on or info.context.today,
            input.idempotency_key,
        )

    return await respond(info, PaymentPayload, work, _show_payment(info))


async def reverse_payment(
    info: Info[Context, Any], input: Annotated[ReversePaymentInput, INPUT]
) -> PaymentPayload:
    async def work(uow: UnitOfWork) -> Once[PaymentReversed]:
        return await payment_service.reverse_payment(
            uow,
            decode(input.payment_id, "Payment", "paymentId"),
            input.reason,
            input.effective_on or info.context.today,
            input.idempotency_key,
        )

    return await respond(info, PaymentPayload, work, _show_payment(info))


async def reverse_allocation(
    info: Info[Context, Any], input: Annotated[ReverseAllocationInput, INPUT]
) -> PaymentPayload:
    async def work(uow: UnitOfWork) -> Once[AllocationReversed]:
        return await payment_service.reverse_allocation(
            uow,
            decode(input.allocation_id, "Allocation", "allocationId"),
            input.effective_on or info.context.today,
            input.idempotency_key,
        )

    return await respond(info, PaymentPayload, work, _show_payment(info))


FIELDS = {
    "create_invoice": strawberry.mutation(
        resolver=create_invoice,
        extensions=allow(roles.POST_INVOICES),
        description="Post an invoice (idempotent)." + roles_note(roles.POST_INVOICES),
    ),
    "create_credit_note": strawberry.mutation(
        resolver=create_credit_note,
        extensions=allow(roles.POST_INVOICES),
        description="Credit part of an invoice (idempotent)." + roles_note(roles.POST_INVOICES),
    ),
    "create_payment": strawberry.mutation(
        resolver=create_payment,
        extensions=allow(roles.POST_PAYMENTS),
        description="Record cash received and allocate it (idempotent)."
        + roles_note(roles.POST_PAYMENTS),
    ),
    "allocate_payment": strawberry.mutation(
        resolver=allocate_payment,
        extensions=allow(roles.POST_PAYMENTS),
        description="Allocate cash left on account (idempotent)." + roles_note(roles.POST_PAYMENTS),
    ),
    "reverse_payment": strawberry.mutation(
        resolver=reverse_payment,
        extensions=allow(roles.REVERSE_ENTRIES),
        description="Reverse a payment; what it paid re-opens (idempotent)."
        + roles_note(roles.REVERSE_ENTRIES),
    ),
    "reverse_allocation": strawberry.mutation(
        resolver=reverse_allocation,
        extensions=allow(roles.REVERSE_ENTRIES),
        description="Reverse one payment allocation (idempotent)."
        + roles_note(roles.REVERSE_ENTRIES),
    ),
}
