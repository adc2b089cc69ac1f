"""Invoices, payments, credit notes and the allocation entries between them."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from dbschema.ledger_tables import invoices as invoice_table
from dbschema.ledger_tables import payments as payment_table
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.money import Money
from schema.node import register_node
from schema.relay import Node, PageInfo, to_global_id
from services.ledger import reads as ledger_reads

_money = Money.of


def allocations_loader(column: str) -> Any:
    """Allocation entries by invoice id or payment id."""

    def factory(ctx: Context) -> DataLoader[UUID, list[dict[str, Any]]]:
        async def load(ids: list[UUID]) -> list[list[dict[str, Any]]]:
            return await ledger_reads.allocations_for(ctx.session, column, ids)

        return DataLoader(load_fn=load)

    return factory


def rows_loader(table: Any) -> Any:
    """Ledger rows by id."""

    def factory(ctx: Context) -> DataLoader[UUID, dict[str, Any] | None]:
        async def load(ids: list[UUID]) -> list[dict[str, Any] | None]:
            return await ledger_reads.by_ids(ctx.session, table, ids)

        return DataLoader(load_fn=load)

    return factory


def interest_loader(as_of: date) -> Any:
    """Accrued interest by invoice id, as of one date."""

    def factory(ctx: Context) -> DataLoader[UUID, int]:
        async def load(ids: list[UUID]) -> list[int]:
            from services.ledger.interest import interest_for

            found = await ctx.session.run(lambda c: interest_for(c, ids, as_of))
            return [found.get(i, 0) for i in ids]

        return DataLoader(load_fn=load)

    return factory


def instalments_loader(ctx: Context) -> DataLoader[UUID, list[dict[str, Any]]]:
    """Instalment schedules by invoice id."""

    async def load(ids: list[UUID]) -> list[list[dict[str, Any]]]:
        return await ledger_reads.instalments_for(ctx.session, ids)

    return DataLoader(load_fn=load)


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
class Allocation:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
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
    def from_row(cls, row: dict[str, Any]) -> Allocation:
        """From a stored entry joined with its invoice number."""
        return cls(
            id=to_global_id("Allocation", row["id"]),
            kind=AllocationKind(row["kind"]),
            amount=_money(row["amount_minor"], row["currency"]),
            effective_on=row["effective_on"],
            invoice_id=to_global_id("Invoice", row["invoice_id"]),
            invoice_number=row["invoice_number"],
            payment_id=to_global_id("Payment", row["payment_id"]) if row["payment_id"] else None,
            reverses_id=to_global_id("Allocation", row["reverses_id"])
            if row["reverses_id"]
            else None,
            created_at=row["created_at"],
            created_by=row["created_by"],
        )


@strawberry.type(description="One instalment of an invoice's payment schedule.")
class Instalment:
    seq: int = strawberry.field(description="1, 2, 3 ...")
    due_date: date = strawberry.field(description="When it is due.")
    amount: Money = strawberry.field(description="How much is due then.")


@strawberry.type(description="An invoice issued to a customer on credit.")
class Invoice(Node):
    raw_id: strawberry.Private[UUID]
    raw_customer_id: strawberry.Private[UUID]
    number: str = strawberry.field(description="Invoice number, unique in the tenant.")
    external_id: str | None = strawberry.field(description="Id in the source system.")
    order_ref: str | None = strawberry.field(description="Sales order reference.")
    issue_date: date = strawberry.field(description="Issue date.")
    due_date: date = strawberry.field(description="Final due date.")
    amount: Money = strawberry.field(description="Invoiced amount.")
    open_amount: Money = strawberry.field(description="Still owed now.")
    disputed_amount: Money = strawberry.field(description="Under open dispute.")
    written_off_amount: Money = strawberry.field(description="Written off.")
    salesperson: str | None = strawberry.field(description="Salesperson credited with it.")
    status: InvoiceStatus = strawberry.field(description="Open, paid or written off.")
    created_at: datetime = strawberry.field(description="When it was posted.")

    @strawberry.field(description="Days past due today (negative: days until due).")
    def days_past_due(self, info: Info[Context, Any]) -> int:
        return (info.context.today - self.due_date).days

    @strawberry.field(description="The customer billed.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        row = await info.context.loader("customers", loaders.customers).load(self.raw_customer_id)
        return Customer.from_row(row) if row else None

    @strawberry.field(
        description="Late interest accrued by a date (default today): simple "
        "daily interest on the overdue principal at the agreed rate."
    )
    async def accrued_interest(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
    ) -> Money:
        day = as_of or info.context.today
        minor = await info.context.loader(f"interest:{day}", interest_loader(day)).load(self.raw_id)
        return _money(minor, self.amount.currency)

    @strawberry.field(description="Ledger entries against this invoice, oldest first.")
    async def allocations(self, info: Info[Context, Any]) -> list[Allocation]:
        rows = await info.context.loader(
            "allocations_by_invoice", allocations_loader("invoice_id")
        ).load(self.raw_id)
        return [Allocation.from_row(r) for r in rows]

    @strawberry.field(description="Instalment schedule, when the terms split the invoice.")
    async def instalments(self, info: Info[Context, Any]) -> list[Instalment]:
        rows = await info.context.loader("instalments", instalments_loader).load(self.raw_id)
        return [
            Instalment(
                seq=r["seq"],
                due_date=r["due_date"],
                amount=_money(r["amount_minor"], self.amount.currency),
            )
            for r in rows
        ]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Invoice:
        """From a stored invoice."""
        currency = row["currency"]
        status = (
            InvoiceStatus.OPEN
            if row["open_minor"] > 0
            else InvoiceStatus.WRITTEN_OFF
            if row["written_off_minor"] > 0
            else InvoiceStatus.PAID
        )
        return cls(
            id=to_global_id("Invoice", row["id"]),
            raw_id=row["id"],
            raw_customer_id=row["customer_id"],
            number=row["number"],
            external_id=row["external_id"],
            order_ref=row["order_ref"],
            issue_date=row["issue_date"],
            due_date=row["due_date"],
            amount=_money(row["amount_minor"], currency),
            open_amount=_money(row["open_minor"], currency),
            disputed_amount=_money(row["disputed_minor"], currency),
            written_off_amount=_money(row["written_off_minor"], currency),
            salesperson=row["salesperson"],
            status=status,
            created_at=row["created_at"],
        )


@strawberry.type(description="Cash received from a customer.")
class Payment(Node):
    raw_id: strawberry.Private[UUID]
    raw_customer_id: strawberry.Private[UUID]
    external_id: str | None = strawberry.field(description="Id in the source system.")
    received_on: date = strawberry.field(description="Date received.")
    amount: Money = strawberry.field(description="Amount received.")
    unallocated: Money = strawberry.field(description="Still on account, not yet allocated.")
    method: str = strawberry.field(description="BANK_TRANSFER, CHEQUE, CASH, CARD, BILL, OTHER.")
    reference: str | None = strawberry.field(description="Bank or cheque reference.")
    status: str = strawberry.field(description="POSTED or REVERSED.")
    reversal_reason: str | None = strawberry.field(description="Why it was reversed.")
    created_at: datetime = strawberry.field(description="When it was posted.")

    @strawberry.field(description="The paying customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        row = await info.context.loader("customers", loaders.customers).load(self.raw_customer_id)
        return Customer.from_row(row) if row else None

    @strawberry.field(description="Ledger entries made from this payment, oldest first.")
    async def allocations(self, info: Info[Context, Any]) -> list[Allocation]:
        rows = await info.context.loader(
            "allocations_by_payment", allocations_loader("payment_id")
        ).load(self.raw_id)
        return [Allocation.from_row(r) for r in rows]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Payment:
        """From a stored payment."""
        currency = row["currency"]
        return cls(
            id=to_global_id("Payment", row["id"]),
            raw_id=row["id"],
            raw_customer_id=row["customer_id"],
            external_id=row["external_id"],
            received_on=row["received_on"],
            amount=_money(row["amount_minor"], currency),
            unallocated=_money(row["unallocated_minor"], currency),
            method=row["method"],
            reference=row["reference"],
            status=row["status"],
            reversal_reason=row["reversal_reason"],
            created_at=row["created_at"],
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
    currency: str | None = strawberry.field(default=None, description="ISO 4217 code.")
    overdue: bool | None = strawberry.field(default=None, description="Only overdue ones.")


INVOICE_ROWS = rows_loader(invoice_table)
PAYMENT_ROWS = rows_loader(payment_table)
register_node("Invoice", "Invoice", INVOICE_ROWS, Invoice.from_row)
register_node("Payment", "Payment", PAYMENT_ROWS, Payment.from_row)
