"""Factoring agreements as the API shows them: their terms, where debtors pay the factor,
the factor's limits on debtors, and the factor's statements imported against them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers.types import Customer
from schema.money import DecimalString, Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.factoring_reconciliation_types import StatementDifference
from schema.risk.transfer import customer_of, edge_types, loader_of, percent
from services.risk import factoring_reads
from services.risk.factoring import AgreementRecord
from services.risk.factoring_reads import StatementRecord
from services.risk.factoring_reconcile import StatementReconciliation

AGREEMENTS = loader_of(factoring_reads.agreements_by_ids)
LIMITS = loader_of(factoring_reads.limits_for)
AGREEMENT_STATEMENTS = loader_of(factoring_reads.statements_for)
STATEMENTS = loader_of(factoring_reads.statements_by_ids)


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
    async def statements(self, info: Info[Context, Any]) -> list[FactorStatement]:
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


AgreementEdge, AgreementConnection = edge_types(
    "FactoringAgreement", FactoringAgreement, "factoring agreement"
)


register_node(
    "FactoringAgreement",
    "risk_agreements",
    AGREEMENTS,
    FactoringAgreement.of,
    readers=roles.READ_RISK_TRANSFER,
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


register_node(
    "FactorStatement",
    "risk_statements",
    STATEMENTS,
    FactorStatement.of,
    readers=roles.READ_RISK_TRANSFER,
)
