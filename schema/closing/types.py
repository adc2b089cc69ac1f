"""Provision runs, write-off proposals and bad-debt cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.errors import DomainError
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.ledger import loaders as ledger_loaders
from schema.ledger.types import Invoice
from schema.money import DecimalString, Money
from schema.relay import (
    PageInfo,
    decode_cursor,
    encode_cursor,
    from_global_id,
    page_size,
    to_global_id,
)
from services.closing import reads as closing_reads


@strawberry.type(description="Provision totals of a run in one currency (minor units moved).")
class ProvisionTotal:
    currency: str = strawberry.field(description="ISO 4217 code.")
    open: Money = strawberry.field(description="Open receivables provided against.")
    provision: Money = strawberry.field(description="Provision at period end.")
    previous: Money = strawberry.field(description="Provision at the previous run.")
    charge: Money = strawberry.field(description="Increase charged to profit and loss.")
    release: Money = strawberry.field(description="Decrease released (paid or better aged).")
    utilised: Money = strawberry.field(description="Decrease used up by write-offs.")


@strawberry.type(description="One invoice's provision in a run.")
class ProvisionInvoiceLine:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    open: Money = strawberry.field(description="Open at period end.")
    rate: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Rate from the matrix, 0..1."
    )
    provision: Money = strawberry.field(description="Provision at period end.")
    previous: Money = strawberry.field(description="Provision at the previous run.")
    raw_invoice_id: strawberry.Private[UUID]

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        row = await info.context.loader("invoices", ledger_loaders.invoices).load(
            self.raw_invoice_id
        )
        return Invoice.from_row(row) if row else None


@strawberry.type(description="One customer's provision in a run, in one currency.")
class ProvisionCustomerLine:
    currency: str = strawberry.field(description="ISO 4217 code.")
    open: Money = strawberry.field(description="Open at period end.")
    provision: Money = strawberry.field(description="Provision at period end.")
    previous: Money = strawberry.field(description="Provision at the previous run.")
    charge: Money = strawberry.field(description="Increase charged.")
    release: Money = strawberry.field(description="Decrease released.")
    utilised: Money = strawberry.field(description="Decrease used by write-offs.")
    cursor: str = strawberry.field(description="Pass as `after` to continue after this line.")
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        found = await info.context.loader("customers", loaders.customers).load(
            self.row["customer_id"]
        )
        return Customer.from_row(found) if found else None

    @strawberry.field(description="Per invoice, largest provision first.")
    def invoices(self) -> list[ProvisionInvoiceLine]:
        r, currency = self.row, self.currency
        items = sorted(
            zip(
                r["invoice_ids"],
                r["invoice_open"],
                r["invoice_rate"],
                r["invoice_provision"],
                r["invoice_previous"],
                strict=True,
            ),
            key=lambda item: -item[3],
        )
        return [
            ProvisionInvoiceLine(
                invoice_id=to_global_id("Invoice", i),
                raw_invoice_id=i,
                open=_money(o, currency),
                rate=str(rate),
                provision=_money(p, currency),
                previous=_money(prev, currency),
            )
            for i, o, rate, p, prev in items
        ]

    @classmethod
    def from_row(cls, row: dict[str, Any], cursor: str) -> ProvisionCustomerLine:
        """From a stored customer line."""
        c = row["currency"].strip()
        return cls(
            currency=c,
            open=_money(row["open_minor"], c),
            provision=_money(row["provision_minor"], c),
            previous=_money(row["previous_minor"], c),
            charge=_money(row["charge_minor"], c),
            release=_money(row["release_minor"], c),
            utilised=_money(row["utilised_minor"], c),
            cursor=cursor,
            row=row,
        )


@strawberry.type(description="A page of customer lines.")
class ProvisionCustomerLines:
    lines: list[ProvisionCustomerLine] = strawberry.field(description="Largest first.")
    page_info: PageInfo = strawberry.field(description="Paging state.")


_money = Money.of


@strawberry.type(description="A month-end provision run.")
class ProvisionRun:
    raw_id: strawberry.Private[UUID]
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    period_end: date = strawberry.field(description="Period end date.")
    basis: str = strawberry.field(description="AGE or DPD.")
    status: str = strawberry.field(description="OPEN (re-runnable) or CLOSED (final).")
    totals: list[ProvisionTotal] = strawberry.field(description="Per currency.")
    created_at: datetime = strawberry.field(description="When it was first computed.")

    @strawberry.field(description="Lines per customer and currency, largest provision first.")
    async def customers(
        self,
        info: Info[Context, Any],
        first: Annotated[int | None, strawberry.argument(description="1-100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="Cursor.")] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this customer.")
        ] = None,
    ) -> ProvisionCustomerLines:
        ctx = info.context
        size = page_size(first, ctx.runtime.settings.max_page_size)
        cursor = None
        if after:
            value, _ = decode_cursor(after)
            cursor = (int(value[0]), str(value[1]), str(value[2]))
        customer = None
        if customer_id is not None:
            try:
                customer = from_global_id(customer_id, "Customer")[1]
            except DomainError:
                customer = UUID(int=0)
        rows = await closing_reads.provision_customer_page(
            ctx.session, self.raw_id, customer, cursor, size
        )
        lines = [
            ProvisionCustomerLine.from_row(
                r,
                encode_cursor(
                    [r["provision_minor"], str(r["customer_id"]), r["currency"].strip()],
                    UUID(int=0),
                ),
            )
            for r in rows[:size]
        ]
        return ProvisionCustomerLines(
            lines=lines,
            page_info=PageInfo(
                has_next_page=len(rows) > size, end_cursor=lines[-1].cursor if lines else None
            ),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ProvisionRun:
        """From a stored run."""

        totals = [
            ProvisionTotal(currency=c, **{k: Money.of(v, c) for k, v in t.items()})
            for c, t in sorted(row["totals"].items())
        ]
        return cls(
            raw_id=row["id"],
            id=to_global_id("ProvisionRun", row["id"]),
            period_end=row["period_end"],
            basis=row["basis"],
            status=row["status"],
            totals=totals,
            created_at=row["created_at"],
        )


@strawberry.type(description="A proposal to write off part of a customer's receivables.")
class WriteOffProposal:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    total: Money = strawberry.field(description="Amount proposed.")
    reason: str = strawberry.field(description="Why it is irrecoverable.")
    evidence: JSON = strawberry.field(description="Evidence references.")
    status: str = strawberry.field(description="PROPOSED, APPROVED, POSTED or REJECTED.")
    required_roles: list[str] = strawberry.field(description="Roles whose approval it needs.")
    proposed_by: str = strawberry.field(description="Who proposed it.")
    created_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WriteOffProposal:
        """From a stored proposal."""
        total = Money.from_minor(row["total_minor"], row["currency"])
        assert total is not None
        return cls(
            id=to_global_id("WriteOffProposal", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            total=total,
            reason=row["reason"],
            evidence=row["evidence"],
            status=row["status"],
            required_roles=list(row["required_roles"]),
            proposed_by=row["created_by"],
            created_at=row["created_at"],
        )


@strawberry.type(description="A written-off debt in the case library: cause and lessons.")
class BadDebtCase:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: Money = strawberry.field(description="Written off.")
    recovered: Money = strawberry.field(description="Recovered since.")
    cause: str = strawberry.field(description="What went wrong.")
    lessons: str | None = strawberry.field(description="What to do differently.")
    created_at: datetime = strawberry.field(description="When it was written off.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BadDebtCase:
        """From a stored case."""
        amount = Money.from_minor(row["amount_minor"], row["currency"])
        recovered = Money.from_minor(row["recovered_minor"], row["currency"])
        assert amount is not None and recovered is not None
        return cls(
            id=to_global_id("BadDebtCase", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            amount=amount,
            recovered=recovered,
            cause=row["cause"],
            lessons=row["lessons"],
            created_at=row["created_at"],
        )
