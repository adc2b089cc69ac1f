"""Buyer covers as the API shows them (the limit an insurer grants on a customer, and its
decisions), and an invoice's insurance on a date: whether, why, and its clock."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers.types import Customer
from schema.ledger.types import Invoice
from schema.money import Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from schema.risk.insurance_policy_types import InsurancePolicy, policy_of
from schema.risk.transfer import customer_of, edge_types, invoice_of, loader_of
from services.risk import insurance_reads
from services.risk.insurance import CoverRecord
from services.risk.insurance_clock import InvoiceInsurance as InsuranceRecord

COVERS = loader_of(insurance_reads.covers_by_ids)
DECISIONS = loader_of(insurance_reads.decisions_for)


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


CoverEdge, CoverConnection = edge_types("BuyerCover", BuyerCover, "buyer cover")

register_node("BuyerCover", "risk_covers", COVERS, BuyerCover.of, readers=roles.READ_RISK_TRANSFER)
