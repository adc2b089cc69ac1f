"""What the ledger services hand out: read models of its rows and typed outcomes of its moves.

Field names are the rows' column names, so a read selects exactly these columns in this order
and builds a record positionally; an outcome's fields are what an idempotent replay stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar
from uuid import UUID

from domain.aging import days_past_due
from domain.errors import DomainError
from domain.invoices import InvoiceStatus, invoice_status

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    """An invoice as posted, with the balances its entries keep current."""

    id: UUID
    customer_id: UUID
    number: str
    external_id: str | None
    order_ref: str | None
    issue_date: date
    due_date: date
    currency: str
    amount_minor: int
    open_minor: int
    disputed_minor: int
    written_off_minor: int
    salesperson: str | None
    created_at: datetime

    @property
    def status(self) -> InvoiceStatus:
        """Open, paid or written off (domain.invoices)."""
        return invoice_status(self.open_minor, self.written_off_minor)

    def days_past_due(self, as_of: date) -> int:
        """Days after the due date on a day (negative: days until due)."""
        return days_past_due(self.due_date, as_of)


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """Cash received, with what is still on account."""

    id: UUID
    customer_id: UUID
    external_id: str | None
    received_on: date
    currency: str
    amount_minor: int
    unallocated_minor: int
    method: str
    reference: str | None
    status: str
    reversal_reason: str | None
    created_at: datetime
    is_recovery: bool


@dataclass(frozen=True, slots=True)
class AllocationEntry:
    """One entry moving an invoice's open amount, with the invoice's number."""

    id: UUID
    kind: str
    currency: str
    amount_minor: int
    effective_on: date
    invoice_id: UUID
    payment_id: UUID | None
    reverses_id: UUID | None
    created_at: datetime
    created_by: str
    invoice_number: str


@dataclass(frozen=True, slots=True)
class InstalmentRecord:
    """One instalment of an invoice's schedule."""

    invoice_id: UUID
    seq: int
    due_date: date
    amount_minor: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """A page of records, how many match in all, and whether more follow."""

    items: list[T]
    total: int
    has_next: bool


@dataclass(frozen=True)
class InvoicePosted:
    """An invoice posted (a credit note names the note too)."""

    invoice_id: UUID
    credit_note_id: UUID | None = None


@dataclass(frozen=True)
class PaymentPosted:
    """A payment recorded or allocated, and the entries this call made from it."""

    payment_id: UUID
    allocation_ids: tuple[UUID, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PaymentReversed:
    """A payment reversed, and how many of its allocations re-opened an invoice."""

    payment_id: UUID
    reopened: int


@dataclass(frozen=True)
class AllocationReversed:
    """One allocation reversed by a new entry; its cash is back on account."""

    allocation_id: UUID
    payment_id: UUID


@dataclass(frozen=True)
class DisputeChanged:
    """A dispute opened or resolved on an invoice."""

    dispute_id: UUID
    invoice_id: UUID


class RowStatus(StrEnum):
    """What happened to one row."""

    CREATED = "CREATED"  #: posted by this call
    REPLAYED = "REPLAYED"  #: posted before with the same content; nothing new
    ERROR = "ERROR"  #: refused, with the reasons


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One row's outcome by its index in the batch: the document's id, or why it was refused."""

    index: int
    status: RowStatus
    id: UUID | None = None
    errors: tuple[DomainError, ...] = ()


@dataclass(frozen=True)
class ImportOutcome:
    """Every row's outcome, in the batch's order."""

    rows: tuple[RowOutcome, ...]

    @property
    def created(self) -> int:
        """Rows posted by this call."""
        return sum(r.status is RowStatus.CREATED for r in self.rows)

    @property
    def replayed(self) -> int:
        """Rows posted before with the same content."""
        return sum(r.status is RowStatus.REPLAYED for r in self.rows)

    @property
    def failed(self) -> int:
        """Rows refused."""
        return sum(r.status is RowStatus.ERROR for r in self.rows)
