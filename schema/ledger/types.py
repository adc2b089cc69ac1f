"""Invoices, payments, credit notes and the allocation entries between them."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.invoices import invoice_status
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.input_rules import guarded, text
from schema.ledger import loaders as ledger_loaders
from schema.money import Money
from schema.node import register_node
from schema.relay import Node, PageInfo, to_global_id
from services.ledger.records import AllocationEntry, InvoiceRecord, PaymentRecord

_money = Money.of
#: every as-of argument of an invoice's day-dependent figures
AS_OF_NOTE = "The day (end of day); default today."


async def customer_of(info: Info[Context, Any], customer_id: UUID) -> Customer | None:
    """A customer through the request's customer loader."""
    row = await info.context.loader("customers", loaders.customers).load(customer_id)
    return Customer.from_row(row) if row else None


@strawberry.enum(description="Where an invoice stands.")
class InvoiceStatus(Enum):
    OPEN = strawberry.enum_value("OPEN", description="Something is still owed.")
    PAID = strawberry.enum_value("PAID", description="Settled by payments or credit notes.")
    WRITTEN_OFF = strawberry.enum_value("WRITTEN_OFF", description="Closed by a write-off.")


@strawberry.enum(description="What settled (part of) an invoice.")
class AllocationKind(Enum):
    PAYMENT = strawberry.enum_value("PAYMENT", description="Cash received.")
    CREDIT_NOTE = strawberry.enum_value("CREDIT_NOTE", description="A credit note.")
    WRITE_OFF = strawberry.enum_value("WRITE_OFF", description="A posted write-off.")


@strawberry.type(
    description="One ledger entry moving an invoice's open amount (append-only; "
    "negative amounts reverse an earlier entry)."
)
class Allocation(Node):
    kind: AllocationKind = strawberry.field(description="What settled it.")
    amount: Money = strawberry.field(description="Amount; negative for a reversal.")
    effective_on: date = strawberry.field(description="Date it takes effect (for aging).")
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    invoice_number: str = strawberry.field(description="Number of the invoice.")
    payment_id: strawberry.ID | None = strawberry.field(description="Global id of the payment.")
    reverses_id: strawberry.ID | None = strawberry.field(description="Entry it reverses.")
    created_at: datetime = strawberry.field(description="When it was posted.")
    created_by: str = strawberry.field(description="Who posted it.")

    @classmethod
    def from_row(cls, entry: AllocationEntry) -> Allocation:
        """From a ledger entry joined with its invoice number."""
        return cls(
            id=to_global_id("Allocation", entry.id),
            kind=AllocationKind(entry.kind),
            amount=_money(entry.amount_minor, entry.currency),
            effective_on=entry.effective_on,
            invoice_id=to_global_id("Invoice", entry.invoice_id),
            invoice_number=entry.invoice_number,
            payment_id=to_global_id("Payment", entry.payment_id) if entry.payment_id else None,
            reverses_id=to_global_id("Allocation", entry.reverses_id)
            if entry.reverses_id
            else None,
            created_at=entry.created_at,
            created_by=entry.created_by,
        )


@strawberry.type(description="One instalment of an invoice's payment schedule.")
class Instalment:
    seq: int = strawberry.field(description="1, 2, 3 ...")
    due_date: date = strawberry.field(description="When it is due.")
    amount: Money = strawberry.field(description="How much is due then.")


@strawberry.type(description="An invoice issued to a customer on credit.")
class Invoice(Node):
    record: strawberry.Private[InvoiceRecord]
    number: str = strawberry.field(description="Invoice number, unique in the tenant.")
    external_id: str | None = strawberry.field(description="Id in the source system.")
    order_ref: str | None = strawberry.field(description="Sales order reference.")
    issue_date: date = strawberry.field(description="Issue date.")
    due_date: date = strawberry.field(description="Final due date.")
    amount: Money = strawberry.field(description="Invoiced amount.")
    disputed_amount: Money = strawberry.field(description="Under open dispute.")
    written_off_amount: Money = strawberry.field(description="Written off.")
    salesperson: str | None = strawberry.field(description="Salesperson credited with it.")
    created_at: datetime = strawberry.field(description="When it was posted.")

    async def _balance_on(self, info: Info[Context, Any], as_of: date) -> tuple[int, int]:
        """(open, written off) at the end of a day, batched per date (one loader per date)."""
        loader = info.context.loader(f"balances_on:{as_of}", ledger_loaders.balances_on(as_of))
        found = await loader.load(self.record.id)
        assert found is not None  # the invoice was read in this request's tenant
        return found.open_minor, found.written_off_minor

    @guarded(
        "Still owed at the end of a day: the amount minus the payments, credit notes and "
        "write-offs effective on or before it. Without `asOf`, the balance now."
    )
    async def open_amount(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_NOTE)] = None,
    ) -> Money:
        if as_of is None:
            return _money(self.record.open_minor, self.record.currency)
        return _money((await self._balance_on(info, as_of))[0], self.record.currency)

    @guarded("Open, paid or written off at the end of a day (default: now).")
    async def status(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_NOTE)] = None,
    ) -> InvoiceStatus:
        if as_of is None:
            return InvoiceStatus(self.record.status.value)
        return InvoiceStatus(invoice_status(*await self._balance_on(info, as_of)).value)

    @guarded("Days past due on a day (negative: days until due); default today.")
    def days_past_due(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description=AS_OF_NOTE)] = None,
    ) -> int:
        return self.record.days_past_due(as_of or info.context.today)

    @strawberry.field(description="The customer billed.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.record.customer_id)

    @guarded(
        "Late interest accrued by a date (default today): simple "
        "daily interest on the overdue principal at the agreed rate."
    )
    async def accrued_interest(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
    ) -> Money:
        day = as_of or info.context.today
        loader = info.context.loader(f"interest:{day}", ledger_loaders.interest(day))
        minor = await loader.load(self.record.id)
        return _money(minor, self.amount.currency)

    @strawberry.field(description="Ledger entries against this invoice, oldest first.")
    async def allocations(self, info: Info[Context, Any]) -> list[Allocation]:
        loader = info.context.loader(
            "allocations_by_invoice", ledger_loaders.allocations_by_invoice
        )
        return [Allocation.from_row(e) for e in await loader.load(self.record.id)]

    @strawberry.field(description="Instalment schedule, when the terms split the invoice.")
    async def instalments(self, info: Info[Context, Any]) -> list[Instalment]:
        loader = info.context.loader("instalments", ledger_loaders.instalments)
        return [
            Instalment(
                seq=i.seq, due_date=i.due_date, amount=_money(i.amount_minor, self.amount.currency)
            )
            for i in await loader.load(self.record.id)
        ]

    @classmethod
    def from_row(cls, record: InvoiceRecord) -> Invoice:
        """From the ledger's invoice record."""
        currency = record.currency
        return cls(
            id=to_global_id("Invoice", record.id),
            record=record,
            number=record.number,
            external_id=record.external_id,
            order_ref=record.order_ref,
            issue_date=record.issue_date,
            due_date=record.due_date,
            amount=_money(record.amount_minor, currency),
            disputed_amount=_money(record.disputed_minor, currency),
            written_off_amount=_money(record.written_off_minor, currency),
            salesperson=record.salesperson,
            created_at=record.created_at,
        )


@strawberry.enum(description="How a payment was made.")
class PaymentMethod(Enum):
    BANK_TRANSFER = strawberry.enum_value(
        "BANK_TRANSFER", description="A bank transfer (电汇), the usual way."
    )
    CHEQUE = strawberry.enum_value("CHEQUE", description="A cheque (支票).")
    CASH = strawberry.enum_value("CASH", description="Cash.")
    CARD = strawberry.enum_value("CARD", description="A card payment.")
    BILL = strawberry.enum_value(
        "BILL", description="A bank or commercial acceptance bill (承兑汇票)."
    )
    OTHER = strawberry.enum_value("OTHER", description="Any other way.")


@strawberry.enum(description="Where a payment stands in the ledger.")
class PaymentStatus(Enum):
    POSTED = strawberry.enum_value("POSTED", description="Booked; its allocations stand.")
    REVERSED = strawberry.enum_value(
        "REVERSED", description="Reversed (bounced, posted twice): every invoice it paid reopened."
    )


@strawberry.type(description="Cash received from a customer.")
class Payment(Node):
    record: strawberry.Private[PaymentRecord]
    external_id: str | None = strawberry.field(description="Id in the source system.")
    received_on: date = strawberry.field(description="Date received.")
    amount: Money = strawberry.field(description="Amount received.")
    unallocated: Money = strawberry.field(description="Still on account, not yet allocated.")
    method: PaymentMethod = strawberry.field(description="How it was paid.")
    reference: str | None = strawberry.field(description="Bank or cheque reference.")
    status: PaymentStatus = strawberry.field(description="Posted or reversed.")
    reversal_reason: str | None = strawberry.field(description="Why it was reversed.")
    created_at: datetime = strawberry.field(description="When it was posted.")
    is_recovery: bool = strawberry.field(
        description="Cash recovered on a written-off debt (recordRecovery), not allocated to "
        "invoices; reversing it takes it off the bad-debt case's recovered amount."
    )

    @strawberry.field(description="The paying customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.record.customer_id)

    @strawberry.field(description="Ledger entries made from this payment, oldest first.")
    async def allocations(self, info: Info[Context, Any]) -> list[Allocation]:
        loader = info.context.loader(
            "allocations_by_payment", ledger_loaders.allocations_by_payment
        )
        return [Allocation.from_row(e) for e in await loader.load(self.record.id)]

    @classmethod
    def from_row(cls, record: PaymentRecord) -> Payment:
        """From the ledger's payment record."""
        currency = record.currency
        return cls(
            id=to_global_id("Payment", record.id),
            record=record,
            external_id=record.external_id,
            received_on=record.received_on,
            amount=_money(record.amount_minor, currency),
            unallocated=_money(record.unallocated_minor, currency),
            method=PaymentMethod(record.method),
            reference=record.reference,
            status=PaymentStatus(record.status),
            reversal_reason=record.reversal_reason,
            created_at=record.created_at,
            is_recovery=record.is_recovery,
        )


@strawberry.type(description="One invoice in a page.")
class InvoiceEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Invoice = strawberry.field(description="The invoice.")


@strawberry.type(description="A page of invoices, by due date.")
class InvoiceConnection:
    edges: list[InvoiceEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching the filter, all pages.")


@strawberry.type(description="One payment in a page.")
class PaymentEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Payment = strawberry.field(description="The payment.")


@strawberry.type(description="A page of payments, newest first.")
class PaymentConnection:
    edges: list[PaymentEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching the filter, all pages.")


@strawberry.input(description="Narrow the invoice list.")
class InvoiceFilter:
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="One customer's invoices."
    )
    status: InvoiceStatus | None = strawberry.field(default=None, description="Open, paid ...")
    currency: str | None = text("ISO 4217 code.", texts.CURRENCY, default=None)
    overdue: bool | None = strawberry.field(default=None, description="Only overdue ones.")


#: The ledger is read by everyone who works receivables (the ledger queries' roles).
READERS = roles.READ_RECEIVABLES
register_node("Invoice", "invoices", ledger_loaders.invoices, Invoice.from_row, readers=READERS)
register_node("Payment", "payments", ledger_loaders.payments, Payment.from_row, readers=READERS)
register_node(
    "Allocation", "allocations_by_id", ledger_loaders.allocations, Allocation.from_row,
    readers=READERS,
)  # fmt: skip
