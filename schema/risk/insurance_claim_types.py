"""Credit insurance claims as the API shows them: the claim, its invoices, and the
insurer's payments and the recoveries after it."""

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
from schema.money import DecimalString, Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.documents import RiskDocument, document_of
from schema.risk.insurance_policy_types import InsurancePolicy, policy_of
from schema.risk.transfer import customer_of, edge_types, invoice_of, loader_of, percent
from services.risk import insurance_reads
from services.risk.insurance_reads import ClaimRecord

CLAIMS = loader_of(insurance_reads.claims_by_ids)
CLAIM_LINES = loader_of(insurance_reads.claim_lines_for)
MOVEMENTS = loader_of(insurance_reads.movements_for)


@strawberry.enum(description="Where a claim stands.")
class ClaimStatus(Enum):
    FILED = strawberry.enum_value("FILED", description="Sent to the insurer, nothing paid.")
    PARTLY_PAID = strawberry.enum_value("PARTLY_PAID", description="Part of it paid.")
    PAID = strawberry.enum_value("PAID", description="The indemnity claimed is paid.")
    REJECTED = strawberry.enum_value(
        "REJECTED", description="Refused; its invoices may be claimed again."
    )


@strawberry.type(description="One invoice of a claim.")
class ClaimLine:
    raw_invoice_id: strawberry.Private[UUID]
    number: str = strawberry.field(description="Invoice number.")
    open: Money = strawberry.field(description="Open when claimed.")
    covered: Money = strawberry.field(description="The part within the cover.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw_invoice_id)


@strawberry.type(description="The insurer's payment on a claim, or a recovery after it.")
class ClaimMovement:
    kind: str = strawberry.field(description="INDEMNITY or RECOVERY.")
    on: date = strawberry.field(description="When.")
    amount: Money = strawberry.field(description="How much.")
    insurer_share: Money = strawberry.field(description="Of a recovery, the insurer's share.")
    reference: str | None = strawberry.field(description="Bank or insurer reference.")


@strawberry.type(description="A credit-insurance claim and its indemnity.")
class InsuranceClaim(Node):
    raw: strawberry.Private[ClaimRecord]
    filed_on: date = strawberry.field(description="When it was filed.")
    status: ClaimStatus = strawberry.field(description="Where it stands.")
    open: Money = strawberry.field(description="Open amount of its invoices when filed.")
    covered_loss: Money = strawberry.field(description="The part within the cover.")
    deductible: Money = strawberry.field(description="The deductible this claim bears.")
    indemnity_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The policy's indemnity percentage."
    )
    cover_cap: Money = strawberry.field(description="The cover limit capping it.")
    indemnity: Money = strawberry.field(description="The indemnity claimed.")
    capped_by: str | None = strawberry.field(description="COVER or MAX_LIABILITY when capped.")
    paid: Money = strawberry.field(description="Paid by the insurer so far.")
    shared_with_insurer: Money = strawberry.field(
        description="Recoveries owed to the insurer so far."
    )
    rejection_reason: str | None = strawberry.field(description="Why it was rejected.")

    @strawberry.field(description="The customer claimed on.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw.customer_id)

    @strawberry.field(description="The policy.")
    async def policy(self, info: Info[Context, Any]) -> InsurancePolicy | None:
        return await policy_of(info, self.raw.policy_id)

    @strawberry.field(description="Its invoices.")
    async def lines(self, info: Info[Context, Any]) -> list[ClaimLine]:
        found = await info.context.loader("risk_claim_lines", CLAIM_LINES).load(self.raw.id)
        cur = self.raw.currency
        return [
            ClaimLine(
                raw_invoice_id=line.invoice_id,
                number=line.number,
                open=Money.of(line.open_minor, cur),
                covered=Money.of(line.covered_minor, cur),
            )
            for line in found
        ]

    @strawberry.field(description="The insurer's payments and the recoveries, oldest first.")
    async def movements(self, info: Info[Context, Any]) -> list[ClaimMovement]:
        found = await info.context.loader("risk_movements", MOVEMENTS).load(self.raw.id)
        cur = self.raw.currency
        return [
            ClaimMovement(
                kind=m.kind,
                on=m.on,
                amount=Money.of(m.amount_minor, cur),
                insurer_share=Money.of(m.insurer_minor, cur),
                reference=m.reference,
            )
            for m in found
        ]

    @strawberry.field(description="The claim pack as filed (PDF in zh-CN and en).")
    async def document(self, info: Info[Context, Any]) -> RiskDocument | None:
        return await document_of(info, self.raw.document_id)

    @classmethod
    def of(cls, c: ClaimRecord) -> InsuranceClaim:
        """From a claim record."""
        cur = c.currency
        return cls(
            id=to_global_id("InsuranceClaim", c.id),
            raw=c,
            filed_on=c.filed_on,
            status=ClaimStatus(c.status),
            open=Money.of(c.open_minor, cur),
            covered_loss=Money.of(c.covered_loss_minor, cur),
            deductible=Money.of(c.deductible_minor, cur),
            indemnity_percent=percent(c.indemnity_percent),
            cover_cap=Money.of(c.cover_cap_minor, cur),
            indemnity=Money.of(c.indemnity_minor, cur),
            capped_by=c.capped_by,
            paid=Money.of(c.paid_minor, cur),
            shared_with_insurer=Money.of(c.shared_minor, cur),
            rejection_reason=c.rejection_reason,
        )


ClaimEdge, ClaimConnection = edge_types("InsuranceClaim", InsuranceClaim, "claim")

register_node(
    "InsuranceClaim", "risk_claims", CLAIMS, InsuranceClaim.of, readers=roles.READ_RISK_TRANSFER
)
