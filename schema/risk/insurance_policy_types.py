"""Credit insurance policies as the API shows them, with what hangs off a policy: the
insurer's required actions, monthly declarations and overdue notifications."""

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
from schema.money import DecimalString, Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.documents import RiskDocument, document_of
from schema.risk.transfer import customer_of, edge_types, loader_of, percent
from services.risk import insurance_declarations, insurance_reads
from services.risk.insurance import ActionRecord, PolicyRecord
from services.risk.insurance_reads import NotificationRecord

POLICIES = loader_of(insurance_reads.policies_by_ids)
ACTIONS = loader_of(insurance_reads.actions_for)
NOTIFICATIONS = loader_of(insurance_reads.notifications_for)
NOTIFICATION_ROWS = loader_of(insurance_reads.notifications_by_ids)
DECLARATIONS = loader_of(insurance_declarations.declarations_for)
ACTION_ROWS = loader_of(insurance_reads.actions_by_ids)


@strawberry.enum(description="How a policy's deductible applies.")
class DeductibleKind(Enum):
    PER_CLAIM = strawberry.enum_value("PER_CLAIM", description="Taken off each claim.")
    AGGREGATE = strawberry.enum_value(
        "AGGREGATE", description="Taken off the policy's claims until used up."
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


PolicyEdge, PolicyConnection = edge_types("InsurancePolicy", InsurancePolicy, "policy")

register_node(
    "InsurancePolicy",
    "risk_policies",
    POLICIES,
    InsurancePolicy.of,
    readers=roles.READ_RISK_TRANSFER,
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
