"""Early-warning signals and their subscription events."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.customers import loaders as customer_loaders
from schema.customers.types import Customer
from schema.input_rules import text
from schema.node import register_node
from schema.relay import Node, PageInfo, to_global_id
from schema.warnings import loaders
from schema.warnings.response_types import WarningResponse
from services.warnings.records import WarningRecord


@strawberry.enum(description="How serious a warning is; subscribers filter by a minimum.")
class WarningLevel(Enum):
    LIGHT = strawberry.enum_value("LIGHT", description="Watch: follow up in routine.")
    MEDIUM = strawberry.enum_value("MEDIUM", description="Act: tighten terms, call the customer.")
    SEVERE = strawberry.enum_value("SEVERE", description="Stop: hold shipments, escalate.")


@strawberry.enum(
    description="Where a warning stands: OPEN -> ACKNOWLEDGED -> INVESTIGATING -> RESOLVED or "
    "DISMISSED (the last two are final)."
)
class WarningStatus(Enum):
    OPEN = strawberry.enum_value("OPEN", description="Nobody has acknowledged it yet.")
    ACKNOWLEDGED = strawberry.enum_value("ACKNOWLEDGED", description="Someone follows it up.")
    INVESTIGATING = strawberry.enum_value(
        "INVESTIGATING", description="Being looked into (facts checked, customer called)."
    )
    RESOLVED = strawberry.enum_value(
        "RESOLVED", description="Dealt with: the risk was real and was acted on."
    )
    DISMISSED = strawberry.enum_value(
        "DISMISSED",
        description="Set aside, usually as a false alarm; the rule stays quiet "
        "for the rest of its window.",
    )


@strawberry.enum(description="Whether a warning was right: rule quality counts these.")
class WarningFeedback(Enum):
    TRUE_ALARM = strawberry.enum_value("TRUE_ALARM", description="The risk was real.")
    FALSE_ALARM = strawberry.enum_value("FALSE_ALARM", description="Nothing was wrong.")


@strawberry.type(description="An early-warning signal raised on a customer.")
class Warning(Node):
    raw_id: strawberry.Private[UUID]
    raw_customer_id: strawberry.Private[UUID]
    kind: str = strawberry.field(description="What was detected, e.g. CREDIT_FILE_STALE.")
    level: WarningLevel = strawberry.field(description="Severity.")
    status: WarningStatus = strawberry.field(description="Where it stands in its lifecycle.")
    evidence: JSON = strawberry.field(description="The facts that raised it.")
    raised_at: datetime = strawberry.field(description="When it was raised.")
    acknowledged_by: str | None = strawberry.field(description="Who acknowledged it.")
    acknowledged_at: datetime | None = strawberry.field(description="When.")
    acknowledge_note: str | None = strawberry.field(description="Their note.")
    customer_id: strawberry.ID = strawberry.field(
        description="Global id of the customer it concerns."
    )
    customer_code: str | None = strawberry.field(
        default=None, description="Code of the customer at the time it was raised (events)."
    )
    window: str = strawberry.field(
        default="",
        description="The rule's deduplication window (a month, a lapse month, LAPSED); empty "
        "for warnings not raised by the rules engine.",
    )
    level_raised_at: datetime | None = strawberry.field(
        default=None, description="When a later run raised its level, if one did."
    )
    status_by: str | None = strawberry.field(default=None, description="Who last moved it.")
    status_at: datetime | None = strawberry.field(default=None, description="When.")
    status_note: str | None = strawberry.field(default=None, description="Their note.")
    feedback: WarningFeedback | None = strawberry.field(
        default=None, description="True or false alarm, once someone said."
    )
    owner_role: str | None = strawberry.field(
        default=None, description="The role that must take it up (moves up when its SLA lapses)."
    )
    sla_due_at: datetime | None = strawberry.field(
        default=None, description="When it must have left OPEN before it is escalated."
    )
    escalated_at: datetime | None = strawberry.field(
        default=None, description="When it was last escalated to the next role."
    )

    @strawberry.field(description="What the platform did or proposed because of it.")
    async def responses(self, info: Info[Context, Any]) -> list[WarningResponse]:
        loader = info.context.loader("warning_responses", loaders.responses)
        return [WarningResponse.from_record(r) for r in await loader.load(self.raw_id)]

    @strawberry.field(description="The customer it concerns.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        loader = info.context.loader("customers", customer_loaders.customers)
        record = await loader.load(self.raw_customer_id)
        return Customer.from_row(record) if record else None

    @classmethod
    def from_row(cls, warning: WarningRecord) -> Warning:
        """From a warning record of the warning services."""
        return cls(
            id=to_global_id("Warning", warning.id),
            raw_id=warning.id,
            raw_customer_id=warning.customer_id,
            customer_id=to_global_id("Customer", warning.customer_id),
            kind=warning.kind,
            level=WarningLevel(warning.level),
            status=WarningStatus(warning.status),
            evidence=warning.evidence,
            raised_at=warning.raised_at,
            acknowledged_by=warning.acknowledged_by,
            acknowledged_at=warning.acknowledged_at,
            acknowledge_note=warning.acknowledge_note,
            window=warning.window,
            level_raised_at=warning.level_raised_at,
            status_by=warning.status_by,
            status_at=warning.status_at,
            status_note=warning.status_note,
            feedback=WarningFeedback(warning.feedback) if warning.feedback else None,
            owner_role=warning.owner_role,
            sla_due_at=warning.sla_due_at,
            escalated_at=warning.escalated_at,
        )

    @classmethod
    def from_event(cls, payload: dict[str, Any]) -> Warning:
        """From an outbox snapshot (subscriptions read no table per event)."""
        return cls(
            id=to_global_id("Warning", UUID(payload["id"])),
            raw_id=UUID(payload["id"]),
            raw_customer_id=UUID(payload["customerId"]),
            customer_id=to_global_id("Customer", UUID(payload["customerId"])),
            kind=payload["kind"],
            level=WarningLevel(payload["level"]),
            status=WarningStatus(payload["status"]),
            evidence=payload["evidence"],
            raised_at=datetime.fromisoformat(payload["raisedAt"]),
            acknowledged_by=None,
            acknowledged_at=None,
            acknowledge_note=None,
            customer_code=payload.get("customer", {}).get("code"),
        )


register_node(
    "Warning", "warnings", loaders.warnings, Warning.from_row, readers=roles.READ_CUSTOMERS
)


@strawberry.type(description="One warning in a page.")
class WarningEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Warning = strawberry.field(description="The warning.")


@strawberry.type(description="A page of warnings, newest first.")
class WarningConnection:
    edges: list[WarningEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching the filter, all pages.")


@strawberry.type(description="A warning delivered to a subscriber, with its resume cursor.")
class WarningEvent:
    cursor: str = strawberry.field(description="Reconnect with `after: cursor` to resume here.")
    warning: Warning = strawberry.field(description="The warning raised.")


@strawberry.input(description="Narrow the warning list.")
class WarningFilter:
    status: WarningStatus | None = strawberry.field(default=None, description="Open or acked.")
    min_level: WarningLevel | None = strawberry.field(
        default=None, description="This level or worse."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="One customer's warnings."
    )
    kind: str | None = text("One kind of warning.", texts.CODE, default=None)


@strawberry.input(description="Which warnings a subscriber wants.")
class WarningSubscriptionFilter:
    min_level: WarningLevel | None = strawberry.field(
        default=None, description="This level or worse."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this customer."
    )
