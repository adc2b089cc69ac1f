"""Provision runs, write-off proposals and bad-debt cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain import roles
from domain.provisions import ProvisionLine, ProvisionTotals
from domain.writeoff import missing_roles
from schema.closing import loaders as closing_loaders
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.input_rules import guarded
from schema.ledger import loaders as ledger_loaders
from schema.ledger.types import Invoice
from schema.money import DecimalString, Money
from schema.node import by_ids, register_node
from schema.paging import After, Before, First, Last
from schema.relay import (
    Node,
    PageInfo,
    connection,
    edges_of,
    encode_cursor,
    from_global_id,
    ranked_cursor,
    to_global_id,
    window,
)
from services.closing import reads as closing_reads
from services.closing.reads import (
    ApprovalRecord,
    CaseRecord,
    ProposalRecord,
    ProvisionRunRecord,
)

_money = Money.of


def _figures(f: ProvisionTotals | ProvisionLine) -> dict[str, Money]:
    """The six figures a run's total or customer line shows, as API money."""
    c = f.currency
    return {
        "open": _money(f.open_minor, c),
        "provision": _money(f.provision_minor, c),
        "previous": _money(f.previous_minor, c),
        "charge": _money(f.charge_minor, c),
        "release": _money(f.release_minor, c),
        "utilised": _money(f.utilised_minor, c),
    }


@strawberry.type(description="Provision totals of a run in one currency (minor units moved).")
class ProvisionTotal:
    currency: str = strawberry.field(description="ISO 4217 code.")
    open: Money = strawberry.field(description="Open receivables provided against.")
    provision: Money = strawberry.field(description="Provision at period end.")
    previous: Money = strawberry.field(description="Provision at the previous run.")
    charge: Money = strawberry.field(description="Increase charged to profit and loss.")
    release: Money = strawberry.field(description="Decrease released (paid or better aged).")
    utilised: Money = strawberry.field(description="Decrease used up by write-offs.")

    @classmethod
    def build(cls, t: ProvisionTotals) -> ProvisionTotal:
        """From a run's totals in one currency."""
        return cls(currency=t.currency, **_figures(t))


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
    cursor: str = strawberry.field(
        description="Pass as `after` for the lines after this one, or as `before` for those "
        "before it."
    )
    line: strawberry.Private[ProvisionLine]

    @strawberry.field(description="The customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        found = await info.context.loader("customers", loaders.customers).load(
            self.line.customer_id
        )
        return Customer.from_row(found) if found else None

    @strawberry.field(description="Per invoice, largest provision first.")
    def invoices(self) -> list[ProvisionInvoiceLine]:
        currency = self.currency
        items = sorted(self.line.invoices, key=lambda item: -item.provision_minor)
        return [
            ProvisionInvoiceLine(
                invoice_id=to_global_id("Invoice", i.invoice_id),
                raw_invoice_id=i.invoice_id,
                open=_money(i.open_minor, currency),
                rate=str(i.rate),
                provision=_money(i.provision_minor, currency),
                previous=_money(i.previous_minor, currency),
            )
            for i in items
        ]

    @classmethod
    def build(cls, cursor: str, node: ProvisionLine) -> ProvisionCustomerLine:
        """From a stored customer line and its cursor."""
        return cls(currency=node.currency, cursor=cursor, line=node, **_figures(node))


def _line_cursor(line: ProvisionLine) -> str:
    """Keyset cursor: the line's place in (provision desc, customer, currency) order."""
    return encode_cursor([line.provision_minor, str(line.customer_id), line.currency], UUID(int=0))


@strawberry.type(description="A page of customer lines.")
class ProvisionCustomerLines:
    lines: list[ProvisionCustomerLine] = strawberry.field(description="Largest first.")
    page_info: PageInfo = strawberry.field(description="Paging state.")


@strawberry.type(description="A month-end provision run.")
class ProvisionRun(Node):
    raw_id: strawberry.Private[UUID]
    period_end: date = strawberry.field(description="Period end date.")
    basis: str = strawberry.field(description="AGE or DPD.")
    status: str = strawberry.field(description="OPEN (re-runnable) or CLOSED (final).")
    totals: list[ProvisionTotal] = strawberry.field(description="Per currency.")
    created_at: datetime = strawberry.field(description="When it was first computed.")

    @guarded("Lines per customer and currency, largest provision first.")
    async def customers(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this customer.")
        ] = None,
    ) -> ProvisionCustomerLines:
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        customer = None
        if customer_id is not None:
            customer = from_global_id(customer_id, "Customer")[1]
        page = await closing_reads.provision_customer_page(
            ctx.session, self.raw_id, customer, ranked_cursor(asked.cursor), asked.size,
            asked.backward,
        )  # fmt: skip
        lines = edges_of(ProvisionCustomerLine.build, page.lines, lambda line: line, _line_cursor)
        return connection(
            lambda edges, page_info: ProvisionCustomerLines(lines=edges, page_info=page_info),
            lines,
            page.has_next,
            None,
            asked,
        )

    @classmethod
    def build(cls, run: ProvisionRunRecord) -> ProvisionRun:
        """From a stored run."""
        return cls(
            raw_id=run.id,
            id=to_global_id("ProvisionRun", run.id),
            period_end=run.period_end,
            basis=run.basis,
            status=run.status,
            totals=[ProvisionTotal.build(t) for t in run.totals],
            created_at=run.created_at,
        )


@strawberry.type(description="One decision on a write-off proposal.")
class WriteOffApproval:
    role: str = strawberry.field(description="The required role this decision filled.")
    by: str = strawberry.field(description="Who decided (the token's subject).")
    decision: str = strawberry.field(description="APPROVED or REJECTED.")
    note: str | None = strawberry.field(description="The approver's note.")
    decided_at: datetime = strawberry.field(description="When.")


@strawberry.type(description="A proposal to write off part of a customer's receivables.")
class WriteOffProposal(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    total: Money = strawberry.field(description="Amount proposed.")
    reason: str = strawberry.field(description="Why it is irrecoverable.")
    evidence: JSON = strawberry.field(description="Evidence references.")
    status: str = strawberry.field(description="PROPOSED, APPROVED, POSTED or REJECTED.")
    required_roles: list[str] = strawberry.field(description="Roles whose approval it needs.")
    proposed_by: str = strawberry.field(description="Who proposed it.")
    created_at: datetime = strawberry.field(description="When.")
    raw_id: strawberry.Private[UUID]

    async def _decisions(self, info: Info[Context, Any]) -> list[ApprovalRecord]:
        return await info.context.loader("write_off_approvals", closing_loaders.approvals).load(
            self.raw_id
        )

    @strawberry.field(description="Decisions so far (approvals and a rejection), oldest first.")
    async def approvals(self, info: Info[Context, Any]) -> list[WriteOffApproval]:
        return [
            WriteOffApproval(
                role=a.role, by=a.by, decision=a.decision, note=a.note, decided_at=a.decided_at
            )
            for a in await self._decisions(info)
        ]

    @strawberry.field(
        description="Roles whose approval it still waits for; empty once approved, posted or "
        "rejected."
    )
    async def missing_roles(self, info: Info[Context, Any]) -> list[str]:
        decided = await self._decisions(info)
        approved = [a.role for a in decided if a.decision == "APPROVED"]
        return missing_roles(self.status, self.required_roles, approved)

    @classmethod
    def build(cls, p: ProposalRecord) -> WriteOffProposal:
        """From a stored proposal."""
        return cls(
            raw_id=p.id,
            id=to_global_id("WriteOffProposal", p.id),
            customer_id=to_global_id("Customer", p.customer_id),
            total=_money(p.total.minor, p.total.currency),
            reason=p.reason,
            evidence=list(p.evidence),
            status=p.status,
            required_roles=list(p.required_roles),
            proposed_by=p.proposed_by,
            created_at=p.created_at,
        )


@strawberry.type(description="A written-off debt in the case library: cause and lessons.")
class BadDebtCase(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: Money = strawberry.field(description="Written off.")
    recovered: Money = strawberry.field(description="Recovered since.")
    cause: str = strawberry.field(description="What went wrong.")
    lessons: str | None = strawberry.field(description="What to do differently.")
    created_at: datetime = strawberry.field(description="When it was written off.")

    @classmethod
    def build(cls, c: CaseRecord) -> BadDebtCase:
        """From a stored case."""
        return cls(
            id=to_global_id("BadDebtCase", c.id),
            customer_id=to_global_id("Customer", c.customer_id),
            amount=_money(c.amount.minor, c.amount.currency),
            recovered=_money(c.recovered.minor, c.recovered.currency),
            cause=c.cause,
            lessons=c.lessons,
            created_at=c.created_at,
        )


#: Provisions, write-offs and the case library are read by the credit team and finance.
READERS = roles.READ_CASES
register_node(
    "ProvisionRun", "provision_runs", by_ids(closing_reads.runs_by_ids), ProvisionRun.build,
    readers=READERS,
)  # fmt: skip
register_node(
    "WriteOffProposal", "write_off_proposals", by_ids(closing_reads.proposals_by_ids),
    WriteOffProposal.build, readers=READERS,
)  # fmt: skip
register_node(
    "BadDebtCase", "bad_debt_cases", by_ids(closing_reads.cases_by_ids), BadDebtCase.build,
    readers=READERS,
)  # fmt: skip
