"""Credit insurance as the API shows it: policies, covers, the clock, notifications, claims."""

from __future__ import annotations

from datetime import date, datetime
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
from schema.risk.transfer import customer_of, edge_types, invoice_of, loader_of, percent
from services.risk import insurance_declarations, insurance_reads
from services.risk.insurance import ActionRecord, CoverRecord, PolicyRecord
from services.risk.insurance_clock import InvoiceInsurance as InsuranceRecord
from services.risk.insurance_reads import ClaimRecord, NotificationRecord

POLICIES = loader_of(insurance_reads.policies_by_ids)
COVERS = loader_of(insurance_reads.covers_by_ids)
DECISIONS = loader_of(insurance_reads.decisions_for)
ACTIONS = loader_of(insurance_reads.actions_for)
NOTIFICATIONS = loader_of(insurance_reads.notifications_for)
NOTIFICATION_ROWS = loader_of(insurance_reads.notifications_by_ids)
CLAIMS = loader_of(insurance_reads.claims_by_ids)
CLAIM_LINES = loader_of(insurance_reads.claim_lines_for)
MOVEMENTS = loader_of(insurance_reads.movements_for)
DECLARATIONS = loader_of(insurance_declarations.declarations_for)
ACTION_ROWS = loader_of(insurance_reads.actions_by_ids)


@strawberry.enum(description="How a policy's deductible applies.")
class DeductibleKind(Enum):
    PER_CLAIM = strawberry.enum_value("PER_CLAIM", description="Taken off each claim.")
    AGGREGATE = strawberry.enum_value(
        "AGGREGATE", description="Taken off the policy's claims until used up."
    )


@strawberry.enum(description="Where a buyer cover stands.")
class CoverStatus(Enum):
    REQUESTED = strawberry.enum_value("REQUESTED", description="Asked of the insurer.")
    GRANTED = strawberry.enum_value("GRANTED", description="Granted (or raised).")
    REDUCED = strawberry.enum_value(
        "REDUCED", description="Cut; applies to deliveries from its effective date."
    )
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="Ended; deliveries from its effective date are uninsured."
    )
    REFUSED = strawberry.enum_value("REFUSED", description="The insurer refused the request.")


@strawberry.enum(description="Whether an invoice is insured, and if not why.")
class InsuranceReason(Enum):
    INSURED = strawberry.enum_value("INSURED", description="Insured.")
    NO_POLICY = strawberry.enum_value(
        "NO_POLICY", description="No policy of its currency covers its delivery date."
    )
    NO_COVER = strawberry.enum_value(
        "NO_COVER", description="Its customer held no cover when it was delivered."
    )
    TERMS_TOO_LONG = strawberry.enum_value(
        "TERMS_TOO_LONG", description="Its terms exceed the policy's maximum credit period."
    )
    DELIVERED_AFTER_STOP = strawberry.enum_value(
        "DELIVERED_AFTER_STOP",
        description="Delivered after an unpaid invoice's stop-delivery point.",
    )
    NOTIFICATION_MISSED = strawberry.enum_value(
        "NOTIFICATION_MISSED", description="The insurer was not told of it in time."
    )
    CLAIM_DEADLINE_MISSED = strawberry.enum_value(
        "CLAIM_DEADLINE_MISSED", description="No claim was filed in time."
    )


@strawberry.enum(description="Where a claim stands.")
class ClaimStatus(Enum):
    FILED = strawberry.enum_value("FILED", description="Sent to the insurer, nothing paid.")
    PARTLY_PAID = strawberry.enum_value("PARTLY_PAID", description="Part of it paid.")
    PAID = strawberry.enum_value("PAID", description="The indemnity claimed is paid.")
    REJECTED = strawberry.enum_value(
        "REJECTED", description="Refused; its invoices may be claimed again."
    )


@strawberry.type(description="Something the insurer requires about a customer by a date.")
class InsurerAction(Node):
    raw_customer_id: strawberry.Private[UUID]
    description: str = strawberry.field(description="What is required.")
    due_on: date = strawberry.field(description="By when (the daily job warns a week before).")
    completed_on: date | None = strawberry.field(description="When it was done.")

    @strawberry.field(description="The customer it concerns.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw_customer_id)

    @classmethod
    def of(cls, a: ActionRecord) -> InsurerAction:
        """From an action record."""
        return cls(
            id=to_global_id("InsurerAction", a.id),
            raw_customer_id=a.customer_id,
            description=a.description,
            due_on=a.due_on,
            completed_on=a.completed_on,
        )


@strawberry.type(description="A month's insured-turnover declaration and its premium.")
class InsuranceDeclaration:
    period: date = strawberry.field(description="First day of the month declared.")
    invoice_count: int = strawberry.field(description="Insured deliveries in the month.")
    insured_turnover: Money = strawberry.field(description="Their invoiced amount.")
    premium_rate_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The policy's premium rate on insured turnover, in percent."
    )
    premium: Money = strawberry.field(description="The premium due.")


@strawberry.type(description="An overdue notification sent to the insurer.")
class InsurerNotification(Node):
    raw: strawberry.Private[NotificationRecord]
    notified_on: date = strawberry.field(description="When the insurer was told.")
    total: Money = strawberry.field(description="Open amount notified.")

    @strawberry.field(description="The customer notified about.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw.customer_id)

    @strawberry.field(description="The letter as sent (PDF in zh-CN and en).")
    async def document(self, info: Info[Context, Any]) -> RiskDocument | None:
        return await document_of(info, self.raw.document_id)

    @classmethod
    def of(cls, n: NotificationRecord) -> InsurerNotification:
        """From a notification record."""
        return cls(
            id=to_global_id("InsurerNotification", n.id),
            raw=n,
            notified_on=n.notified_on,
            total=Money.of(n.total_minor, n.currency),
        )


@strawberry.type(description="A credit-insurance policy.")
class InsurancePolicy(Node):
    raw_id: strawberry.Private[UUID]
    insurer: str = strawberry.field(description="The insurer.")
    policy_number: str = strawberry.field(description="The policy number.")
    currency: str = strawberry.field(description="The currency it insures.")
    starts_on: date = strawberry.field(description="First delivery date covered.")
    ends_on: date = strawberry.field(description="Last delivery date covered.")
    indemnity_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share of a covered loss the insurer pays, in percent."
    )
    max_liability: Money = strawberry.field(description="Most the insurer pays in all.")
    deductible: Money = strawberry.field(description="The deductible.")
    deductible_kind: DeductibleKind = strawberry.field(description="Per claim or aggregate.")
    max_credit_days: int = strawberry.field(description="Longest terms insured, in days.")
    notification_days: int = strawberry.field(
        description="Days after the due date by which an unpaid invoice is notified."
    )
    max_extension_days: int = strawberry.field(
        description="Days after the due date after which deliveries stop while it is unpaid."
    )
    claim_filing_days: int = strawberry.field(
        description="Days after the due date by which an unpaid invoice is claimed."
    )
    premium_rate_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Premium rate on insured turnover, in percent."
    )
    recovery_share_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Share of recoveries after an indemnity owed to the insurer, in percent."
    )
    cover_required: bool = strawberry.field(
        description="Whether a cut or cancelled cover puts the customer on credit hold."
    )
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @strawberry.field(description="The insurer's required actions, by due date.")
    async def actions(self, info: Info[Context, Any]) -> list[InsurerAction]:
        found = await info.context.loader("risk_actions", ACTIONS).load(self.raw_id)
        return [InsurerAction.of(a) for a in found]

    @strawberry.field(description="Monthly declarations, newest first.")
    async def declarations(self, info: Info[Context, Any]) -> list[InsuranceDeclaration]:
        found = await info.context.loader("risk_declarations", DECLARATIONS).load(self.raw_id)
        return [
            InsuranceDeclaration(
                period=d.period,
                invoice_count=d.invoice_count,
                insured_turnover=Money.of(d.insured_turnover_minor, d.currency),
                premium_rate_percent=percent(d.premium_rate_percent),
                premium=Money.of(d.premium_minor, d.currency),
            )
            for d in found
        ]

    @strawberry.field(description="Overdue notifications sent, newest first.")
    async def notifications(self, info: Info[Context, Any]) -> list[InsurerNotification]:
        found = await info.context.loader("risk_notifications", NOTIFICATIONS).load(self.raw_id)
        return [InsurerNotification.of(n) for n in found]

    @classmethod
    def of(cls, p: PolicyRecord) -> InsurancePolicy:
        """From a policy record."""
        t = p.terms
        return cls(
            id=to_global_id("InsurancePolicy", p.id),
            raw_id=p.id,
            insurer=t.insurer,
            policy_number=t.policy_number,
            currency=t.currency,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            indemnity_percent=percent(t.indemnity_percent),
            max_liability=Money.of(t.max_liability_minor, t.currency),
            deductible=Money.of(t.deductible_minor, t.currency),
            deductible_kind=DeductibleKind(t.deductible_kind.value),
            max_credit_days=t.max_credit_days,
            notification_days=t.notification_days,
            max_extension_days=t.max_extension_days,
            claim_filing_days=t.claim_filing_days,
            premium_rate_percent=percent(t.premium_rate_percent),
            recovery_share_percent=percent(t.recovery_share_percent),
            cover_required=t.cover_required,
            created_at=p.created_at,
        )


async def policy_of(info: Info[Context, Any], policy_id: UUID | None) -> InsurancePolicy | None:
    """A policy by raw id through the request's loader."""
    if policy_id is None:
        return None
    found = await info.context.loader("risk_policies", POLICIES).load(policy_id)
    return InsurancePolicy.of(found) if found else None


@strawberry.type(description="One decision in a cover's history.")
class CoverDecision:
    status: CoverStatus = strawberry.field(description="What was decided.")
    amount: Money = strawberry.field(description="The amount requested or granted (0 if ended).")
    effective_on: date = strawberry.field(description="Deliveries from this date are under it.")
    note: str | None = strawberry.field(description="Why, as recorded.")
    decided_by: str = strawberry.field(description="Who recorded it.")
    decided_at: datetime = strawberry.field(description="When it was recorded.")


@strawberry.type(description="A credit limit an insurer grants on one customer (buyer cover).")
class BuyerCover(Node):
    raw: strawberry.Private[CoverRecord]
    status: CoverStatus = strawberry.field(description="Where it stands.")
    requested: Money = strawberry.field(description="The amount last requested.")
    limit: Money = strawberry.field(description="The limit for deliveries from `effectiveOn`.")
    effective_on: date = strawberry.field(description="Date of the last decision.")
    version: int = strawberry.field(description="Pass back to decide on it.")

    @strawberry.field(description="The policy it is under.")
    async def policy(self, info: Info[Context, Any]) -> InsurancePolicy | None:
        return await policy_of(info, self.raw.policy_id)

    @strawberry.field(description="The customer covered.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        return await customer_of(info, self.raw.customer_id)

    @strawberry.field(description="Every decision, oldest first.")
    async def decisions(self, info: Info[Context, Any]) -> list[CoverDecision]:
        found = await info.context.loader("risk_decisions", DECISIONS).load(self.raw.id)
        return [
            CoverDecision(
                status=CoverStatus(d.status),
                amount=Money.of(d.amount_minor, self.raw.currency),
                effective_on=d.effective_on,
                note=d.note,
                decided_by=d.decided_by,
                decided_at=d.decided_at,
            )
            for d in found
        ]

    @classmethod
    def of(cls, c: CoverRecord) -> BuyerCover:
        """From a cover record."""
        return cls(
            id=to_global_id("BuyerCover", c.id),
            raw=c,
            status=CoverStatus(c.status),
            requested=Money.of(c.requested_minor, c.currency),
            limit=Money.of(c.limit_minor, c.currency),
            effective_on=c.effective_on,
            version=c.version,
        )


@strawberry.type(description="An invoice's insurance on a date: whether, why, and its clock.")
class InvoiceInsurance:
    raw: strawberry.Private[InsuranceRecord]
    insured: bool = strawberry.field(description="Insured on the date asked.")
    reason: InsuranceReason = strawberry.field(description="Why (INSURED when it is).")
    open: Money = strawberry.field(description="Its open amount on the date.")
    limit_at_delivery: Money | None = strawberry.field(
        description="The cover limit in effect when it was delivered."
    )
    notification_deadline: date | None = strawberry.field(
        description="Tell the insurer by this day if still unpaid."
    )
    stop_delivery_point: date | None = strawberry.field(
        description="After this day deliveries on credit are uninsured while it is unpaid."
    )
    claim_deadline: date | None = strawberry.field(description="File a claim by this day.")
    notified_on: date | None = strawberry.field(description="When the insurer was told.")
    claimed_on: date | None = strawberry.field(description="When it was claimed.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw.invoice_id)

    @strawberry.field(description="The policy it falls under, if any.")
    async def policy(self, info: Info[Context, Any]) -> InsurancePolicy | None:
        return await policy_of(info, self.raw.policy_id)

    @classmethod
    def of(cls, r: InsuranceRecord) -> InvoiceInsurance:
        """From the clock's record."""
        clock = r.clock
        return cls(
            raw=r,
            insured=r.insured,
            reason=InsuranceReason(r.reason.value),
            open=Money.of(r.open_minor, r.currency),
            limit_at_delivery=Money.from_minor(r.limit_at_delivery_minor, r.currency),
            notification_deadline=clock.notification_on if clock else None,
            stop_delivery_point=clock.stop_delivery_on if clock else None,
            claim_deadline=clock.claim_by if clock else None,
            notified_on=r.notified_on,
            claimed_on=r.claimed_on,
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


PolicyEdge, PolicyConnection = edge_types("InsurancePolicy", InsurancePolicy, "policy")
CoverEdge, CoverConnection = edge_types("BuyerCover", BuyerCover, "buyer cover")
ClaimEdge, ClaimConnection = edge_types("InsuranceClaim", InsuranceClaim, "claim")

register_node(
    "InsurancePolicy",
    "risk_policies",
    POLICIES,
    InsurancePolicy.of,
    readers=roles.READ_RISK_TRANSFER,
)
register_node("BuyerCover", "risk_covers", COVERS, BuyerCover.of, readers=roles.READ_RISK_TRANSFER)
register_node(
    "InsuranceClaim", "risk_claims", CLAIMS, InsuranceClaim.of, readers=roles.READ_RISK_TRANSFER
)
register_node(
    "InsurerNotification",
    "risk_notification_rows",
    NOTIFICATION_ROWS,
    InsurerNotification.of,
    readers=roles.READ_RISK_TRANSFER,
)

register_node(
    "InsurerAction",
    "risk_action_rows",
    ACTION_ROWS,
    InsurerAction.of,
    readers=roles.READ_RISK_TRANSFER,
)
