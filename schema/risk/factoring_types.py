"""Factoring as the API shows it: agreements, batches, assigned invoices, the sub-ledger, and
the reconciliations."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers.types import Customer
from schema.ledger.types import Invoice
from schema.money import DecimalString, Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.documents import RiskDocument, document_of
from schema.risk.transfer import customer_of, edge_types, invoice_of, loader_of, percent
from services.risk import factoring_reads
from services.risk.factoring import AgreementRecord
from services.risk.factoring_reads import (
    AssignmentRecord,
    BatchRecord,
    EntryRecord,
    StatementRecord,
)
from services.risk.factoring_reconcile import LedgerReconciliation, StatementReconciliation

AGREEMENTS = loader_of(factoring_reads.agreements_by_ids)
LIMITS = loader_of(factoring_reads.limits_for)
BATCHES = loader_of(factoring_reads.batches_by_ids)
NOTICES = loader_of(factoring_reads.notices_for)
ASSIGNMENTS = loader_of(factoring_reads.assignments_by_ids)
POSITIONS = loader_of(factoring_reads.positions_for)
STATEMENTS = loader_of(factoring_reads.statements_by_ids)
AGREEMENT_STATEMENTS = loader_of(factoring_reads.statements_for)


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


@strawberry.type(description="Where debtors pay the factor.")
class Remittance:
    bank: str | None = strawberry.field(description="The factor's bank.")
    account_name: str | None = strawberry.field(description="The account's name.")
    account_number: str | None = strawberry.field(description="The account number.")


@strawberry.type(description="A factor's limit on one debtor.")
class DebtorLimit:
    raw_customer_id: strawberry.Private[UUID]
    limit: Money = strawberry.field(description="Most the factor takes on the debtor.")
    approved: bool = strawberry.field(description="Whether the factor approved the debtor.")

    @strawberry.field(description="The debtor.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw_customer_id)


@strawberry.type(description="A factoring agreement (保理合同).")
class FactoringAgreement(Node):
    raw_id: strawberry.Private[UUID]
    factor: str = strawberry.field(description="The factor.")
    reference: str = strawberry.field(description="Agreement number.")
    recourse: bool = strawberry.field(description="With recourse (有追索权) or without.")
    disclosed: bool = strawberry.field(
        description="Disclosed (debtors notified, pay the factor) or confidential."
    )
    currencies: list[str] = strawberry.field(description="Currencies it takes.")
    advance_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share of an invoice advanced, in percent."
    )
    commission_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Commission on the face, in percent."
    )
    interest_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Discount interest a year on advances, in percent."
    )
    max_terms_days: int = strawberry.field(description="Longest terms it takes, in days.")
    allowed_classes: list[str] = strawberry.field(description="Customer classes it takes.")
    recourse_days: int = strawberry.field(
        description="Days after due after which an unpaid invoice comes back (with recourse)."
    )
    starts_on: date = strawberry.field(description="First assignment date.")
    remittance: Remittance = strawberry.field(description="Where debtors pay the factor.")
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @strawberry.field(description="Its debtor limits.")
    async def debtor_limits(self, info: Info[Context, Any]) -> list[DebtorLimit]:
        found = await info.context.loader("risk_limits", LIMITS).load(self.raw_id)
        return [
            DebtorLimit(
                raw_customer_id=x.customer_id,
                limit=Money.of(x.limit_minor, x.currency),
                approved=x.approved,
            )
            for x in found
        ]

    @strawberry.field(description="Factor statements imported (CSV), newest first.")
    async def statements(
        self, info: Info[Context, Any]
    ) -> list[Annotated[FactorStatement, strawberry.lazy("schema.risk.factoring_types")]]:
        found = await info.context.loader("risk_agreement_statements", AGREEMENT_STATEMENTS).load(
            self.raw_id
        )
        return [FactorStatement.of(x) for x in found]

    @classmethod
    def of(cls, a: AgreementRecord) -> FactoringAgreement:
        """From an agreement record."""
        t = a.terms
        return cls(
            id=to_global_id("FactoringAgreement", a.id),
            raw_id=a.id,
            factor=t.factor,
            reference=t.reference,
            recourse=t.recourse,
            disclosed=t.disclosed,
            currencies=list(t.currencies),
            advance_percent=percent(t.advance_percent),
            commission_percent=percent(t.commission_percent),
            interest_percent=percent(t.interest_percent),
            max_terms_days=t.max_terms_days,
            allowed_classes=list(t.allowed_classes),
            recourse_days=t.recourse_days,
            starts_on=t.starts_on,
            remittance=Remittance(
                bank=a.remittance.bank,
                account_name=a.remittance.account_name,
                account_number=a.remittance.account_number,
            ),
            created_at=a.created_at,
        )


async def agreement_of(info: Info[Context, Any], agreement_id: UUID) -> FactoringAgreement | None:
    """An agreement by raw id through the request's loader."""
    found = await info.context.loader("risk_agreements", AGREEMENTS).load(agreement_id)
    return FactoringAgreement.of(found) if found else None


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


@strawberry.type(description="An invoice whose factored amount differs from its open amount.")
class ReconciliationDifference:
    raw_invoice_id: strawberry.Private[UUID]
    invoice_number: str = strawberry.field(description="The invoice's number.")
    factored: Money = strawberry.field(description="What the sub-ledger says the factor holds.")
    ledger: Money = strawberry.field(description="The receivables ledger's open amount.")
    difference: Money = strawberry.field(description="Factored minus ledger.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw_invoice_id)


@strawberry.type(description="The sub-ledger against the receivables ledger on a date.")
class FactoringReconciliation:
    as_of: date = strawberry.field(description="The date compared (end of day).")
    compared: int = strawberry.field(description="Assignments active that day.")
    differences: list[ReconciliationDifference] = strawberry.field(
        description="Every assignment that differs (none: reconciled)."
    )

    @classmethod
    def of(cls, r: LedgerReconciliation) -> FactoringReconciliation:
        """From the service's comparison."""
        return cls(
            as_of=r.as_of,
            compared=r.compared,
            differences=[
                ReconciliationDifference(
                    raw_invoice_id=d.invoice_id,
                    invoice_number=d.invoice_number,
                    factored=Money.of(d.factored_minor, d.currency),
                    ledger=Money.of(d.ledger_minor, d.currency),
                    difference=Money.of(d.difference_minor, d.currency),
                )
                for d in r.differences
            ],
        )


@strawberry.type(description="A difference between the factor's statement and our sub-ledger.")
class StatementDifference:
    invoice_number: str = strawberry.field(description="The invoice number on either side.")
    kind: str = strawberry.field(description="The entry kind compared.")
    ours: Money | None = strawberry.field(description="Our total (null: none of ours).")
    theirs: Money | None = strawberry.field(description="The factor's total (null: none).")
    status: str = strawberry.field(
        description="MISSING_IN_OURS, MISSING_IN_FACTORS or AMOUNT_DIFFERS."
    )


@strawberry.type(description="A factor's statement as imported, compared with our sub-ledger.")
class FactorStatement(Node):
    raw: strawberry.Private[StatementRecord]
    statement_date: date = strawberry.field(description="The date it runs to.")
    line_count: int = strawberry.field(description="Lines imported.")

    @strawberry.field(description="Every difference with our sub-ledger up to its date.")
    async def differences(self, info: Info[Context, Any]) -> list[StatementDifference]:
        from services.risk.factoring_reconcile import statement_reconciliation

        found: StatementReconciliation = await statement_reconciliation(
            info.context.session, self.raw.id
        )
        return [
            StatementDifference(
                invoice_number=d.invoice_number,
                kind=d.kind,
                ours=Money.from_minor(d.ours_minor, d.currency),
                theirs=Money.from_minor(d.theirs_minor, d.currency),
                status=d.status,
            )
            for d in found.differences
        ]

    @strawberry.field(description="The agreement.")
    async def agreement(self, info: Info[Context, Any]) -> FactoringAgreement | None:
        return await agreement_of(info, self.raw.agreement_id)

    @classmethod
    def of(cls, s: StatementRecord) -> FactorStatement:
        """From a statement record."""
        return cls(
            id=to_global_id("FactorStatement", s.id),
            raw=s,
            statement_date=s.statement_date,
            line_count=s.line_count,
        )


@strawberry.type(description="Why one offered invoice cannot be assigned.")
class AssignmentRefusal:
    index: int = strawberry.field(description="Its place in the list offered (from 0).")
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    reasons: list[str] = strawberry.field(
        description="Every reason (the assignInvoices refusal codes)."
    )


AgreementEdge, AgreementConnection = edge_types(
    "FactoringAgreement", FactoringAgreement, "factoring agreement"
)
FactoredEdge, FactoredConnection = edge_types(
    "FactoredInvoice", FactoredInvoice, "factored invoice"
)
EntryEdge, EntryConnection = edge_types("FactoringEntry", FactoringEntry, "sub-ledger entry")

register_node(
    "FactoringAgreement",
    "risk_agreements",
    AGREEMENTS,
    FactoringAgreement.of,
    readers=roles.READ_RISK_TRANSFER,
)
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
register_node(
    "FactorStatement",
    "risk_statements",
    STATEMENTS,
    FactorStatement.of,
    readers=roles.READ_RISK_TRANSFER,
)
