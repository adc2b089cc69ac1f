"""Factoring assignments as the API shows them: batches and their notices, the invoices
assigned, their sub-ledger entries and balances, and why an offered invoice is refused."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers.types import Customer
from schema.ledger.types import Invoice
from schema.money import Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.documents import RiskDocument, document_of
from schema.risk.factoring_agreement_types import FactoringAgreement, agreement_of
from schema.risk.transfer import customer_of, edge_types, invoice_of, loader_of
from services.risk import factoring_reads
from services.risk.factoring_reads import (
    AssignmentRecord,
    BatchRecord,
    EntryRecord,
)

BATCHES = loader_of(factoring_reads.batches_by_ids)
NOTICES = loader_of(factoring_reads.notices_for)
ASSIGNMENTS = loader_of(factoring_reads.assignments_by_ids)
POSITIONS = loader_of(factoring_reads.positions_for)


@strawberry.enum(description="Where an assigned invoice stands with the factor.")
class FactoredStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="The factor holds it.")
    SETTLED = strawberry.enum_value(
        "SETTLED", description="Paid up; interest charged, reserve released or shortfall paid."
    )
    BOUGHT_BACK = strawberry.enum_value(
        "BOUGHT_BACK", description="Taken back under recourse: our risk again."
    )


@strawberry.enum(description="A factoring sub-ledger entry's kind.")
class FactoringEntryKind(Enum):
    ASSIGNMENT = strawberry.enum_value("ASSIGNMENT", description="The receivable passes over.")
    ADVANCE = strawberry.enum_value("ADVANCE", description="The factor's advance to us.")
    RESERVE = strawberry.enum_value("RESERVE", description="What the factor keeps back.")
    COMMISSION = strawberry.enum_value("COMMISSION", description="The factor's commission.")
    INTEREST = strawberry.enum_value("INTEREST", description="Discount interest on the advance.")
    COLLECTION = strawberry.enum_value("COLLECTION", description="The debtor paid.")
    DILUTION = strawberry.enum_value("DILUTION", description="A credit note or write-off.")
    REMITTANCE = strawberry.enum_value(
        "REMITTANCE", description="A collection we received passed on to the factor."
    )
    RESERVE_RELEASE = strawberry.enum_value(
        "RESERVE_RELEASE", description="The reserve paid out, less charges."
    )
    SHORTFALL = strawberry.enum_value(
        "SHORTFALL", description="What collections did not cover, paid by us."
    )
    BUYBACK = strawberry.enum_value("BUYBACK", description="Taken back under recourse.")


@strawberry.type(description="A notice of assignment to one debtor of a batch.")
class AssignmentNotice:
    raw_customer_id: strawberry.Private[UUID]
    raw_document_id: strawberry.Private[UUID]

    @strawberry.field(description="The debtor notified.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw_customer_id)

    @strawberry.field(description="The notice (债权转让通知书), PDF in zh-CN and en.")
    async def document(self, info: Info[Context, Any]) -> RiskDocument | None:
        return await document_of(info, self.raw_document_id)


@strawberry.type(description="Invoices assigned to a factor together.")
class FactoringBatch(Node):
    raw: strawberry.Private[BatchRecord]
    assigned_on: date = strawberry.field(description="The assignment date.")
    invoice_count: int = strawberry.field(description="Invoices assigned.")
    totals: list[Money] = strawberry.field(description="Their open amounts per currency.")

    @strawberry.field(description="The agreement.")
    async def agreement(self, info: Info[Context, Any]) -> FactoringAgreement | None:
        return await agreement_of(info, self.raw.agreement_id)

    @strawberry.field(description="One notice of assignment per debtor (disclosed factoring).")
    async def notices(self, info: Info[Context, Any]) -> list[AssignmentNotice]:
        found = await info.context.loader("risk_notices", NOTICES).load(self.raw.id)
        return [
            AssignmentNotice(raw_customer_id=n.customer_id, raw_document_id=n.document_id)
            for n in found
        ]

    @classmethod
    def of(cls, b: BatchRecord) -> FactoringBatch:
        """From a batch record."""
        return cls(
            id=to_global_id("FactoringBatch", b.id),
            raw=b,
            assigned_on=b.assigned_on,
            invoice_count=b.invoice_count,
            totals=[Money(amount=v, currency=k) for k, v in sorted(b.currency_totals.items())],
        )


@strawberry.type(description="An assigned invoice's balances in the sub-ledger now.")
class FactoredPosition:
    factored_open: Money = strawberry.field(description="The receivable the factor holds.")
    advance: Money = strawberry.field(description="Advanced by the factor.")
    reserve: Money = strawberry.field(description="Kept back by the factor, not released.")
    charges: Money = strawberry.field(description="Commission and interest charged.")
    credited: Money = strawberry.field(description="Collections the factor has.")
    held_for_factor: Money = strawberry.field(
        description="Collections we received and still owe on (confidential factoring)."
    )
    owed_to_factor: Money = strawberry.field(
        description="What we owe the factor for it (negative: it owes us)."
    )


@strawberry.type(description="An invoice assigned to a factor.")
class FactoredInvoice(Node):
    raw: strawberry.Private[AssignmentRecord]
    face: Money = strawberry.field(description="Its open amount when assigned.")
    assigned_on: date = strawberry.field(description="When it was assigned.")
    status: FactoredStatus = strawberry.field(description="Where it stands.")
    closed_on: date | None = strawberry.field(description="When it was settled or bought back.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw.invoice_id)

    @strawberry.field(description="The agreement.")
    async def agreement(self, info: Info[Context, Any]) -> FactoringAgreement | None:
        return await agreement_of(info, self.raw.agreement_id)

    @strawberry.field(description="Its balances in the sub-ledger now.")
    async def position(self, info: Info[Context, Any]) -> FactoredPosition:
        p = await info.context.loader("risk_positions", POSITIONS).load(self.raw.id)
        cur = self.raw.currency
        return FactoredPosition(
            factored_open=Money.of(p.factored_open_minor, cur),
            advance=Money.of(p.advance_minor, cur),
            reserve=Money.of(p.reserve_minor, cur),
            charges=Money.of(p.charges_minor, cur),
            credited=Money.of(p.credited_minor, cur),
            held_for_factor=Money.of(p.held_minor, cur),
            owed_to_factor=Money.of(p.owed_to_factor_minor, cur),
        )

    @classmethod
    def of(cls, a: AssignmentRecord) -> FactoredInvoice:
        """From an assignment record."""
        return cls(
            id=to_global_id("FactoredInvoice", a.id),
            raw=a,
            face=Money.of(a.face_minor, a.currency),
            assigned_on=a.assigned_on,
            status=FactoredStatus(a.status),
            closed_on=a.closed_on,
        )


@strawberry.type(description="One factoring sub-ledger entry (never edited).")
class FactoringEntry:
    raw_invoice_id: strawberry.Private[UUID]
    seq: int = strawberry.field(description="Its place in the sub-ledger.")
    invoice_number: str = strawberry.field(description="The invoice's number.")
    kind: FactoringEntryKind = strawberry.field(description="What it records.")
    amount: Money = strawberry.field(description="How much (negative: a reversal mirrored).")
    effective_on: date = strawberry.field(description="When it took effect.")
    received_by: str | None = strawberry.field(
        description="For a collection: FACTOR or US (we owe it on)."
    )
    reverses_seq: int | None = strawberry.field(description="The entry it reverses, if any.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw_invoice_id)

    @classmethod
    def of(cls, e: EntryRecord) -> FactoringEntry:
        """From an entry record."""
        return cls(
            raw_invoice_id=e.invoice_id,
            seq=e.seq,
            invoice_number=e.number,
            kind=FactoringEntryKind(e.kind),
            amount=Money.of(e.amount_minor, e.currency),
            effective_on=e.effective_on,
            received_by=e.received_by,
            reverses_seq=e.reverses_seq,
        )


@strawberry.type(description="Why one offered invoice cannot be assigned.")
class AssignmentRefusal:
    index: int = strawberry.field(description="Its place in the list offered (from 0).")
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    reasons: list[str] = strawberry.field(
        description="Every reason (the assignInvoices refusal codes)."
    )


FactoredEdge, FactoredConnection = edge_types(
    "FactoredInvoice", FactoredInvoice, "factored invoice"
)
EntryEdge, EntryConnection = edge_types("FactoringEntry", FactoringEntry, "sub-ledger entry")


register_node(
    "FactoringBatch", "risk_batches", BATCHES, FactoringBatch.of, readers=roles.READ_RISK_TRANSFER
)
register_node(
    "FactoredInvoice",
    "risk_assignments",
    ASSIGNMENTS,
    FactoredInvoice.of,
    readers=roles.READ_RISK_TRANSFER,
)
