"""What the ledger services accept: plain values as the API received them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.inputs import MoneyIn


@dataclass(frozen=True)
class InvoiceIn:
    """A new invoice; due date explicit or derived from the customer's payment terms."""

    number: str
    customer_id: UUID
    issue_date: date
    amount: MoneyIn
    due_date: date | None = None
    order_ref: str | None = None
    external_id: str | None = None
    salesperson: str | None = None


@dataclass(frozen=True)
class AllocationLine:
    """An explicit allocation of part of a payment to one invoice."""

    invoice_id: UUID
    amount: str  # decimal string in the payment's currency


@dataclass(frozen=True)
class PaymentIn:
    """A payment received; allocated oldest-due-first unless lines or no allocation given."""

    customer_id: UUID
    received_on: date
    amount: MoneyIn
    method: str = "BANK_TRANSFER"
    reference: str | None = None
    external_id: str | None = None
    allocation: str = "AUTO"  # AUTO | NONE | EXPLICIT
    lines: list[AllocationLine] = field(default_factory=list)


@dataclass(frozen=True)
class CreditNoteIn:
    """A credit note against one invoice, applied to it at once."""

    number: str
    invoice_id: UUID
    issue_date: date
    amount: MoneyIn
    reason: str
    external_id: str | None = None
