"""Collections and cash events for subscribers: one shape, the details as JSON per topic."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer


@strawberry.enum(description="What happened in receivables.")
class ReceivablesTopic(Enum):
    REMINDER_DUE = strawberry.enum_value(
        "collections.reminder_due", description="An invoice falls due soon: pre-due reminder."
    )
    STAGE_CHANGED = strawberry.enum_value(
        "collections.stage_changed", description="A collection case moved up the ladder."
    )
    CASE_CLOSED = strawberry.enum_value(
        "collections.case_closed", description="A customer is no longer overdue."
    )
    PROMISE_BROKEN = strawberry.enum_value(
        "collections.promise_broken", description="A promise to pay was not kept."
    )
    PLAN_DEFAULTED = strawberry.enum_value(
        "collections.plan_defaulted", description="A payment plan instalment was missed."
    )
    PAYMENT_RECEIVED = strawberry.enum_value("payment.received", description="Cash was recorded.")
    WRITE_OFF_POSTED = strawberry.enum_value(
        "writeoff.posted", description="A write-off was posted."
    )


ALL_TOPICS = tuple(t.value for t in ReceivablesTopic)


@strawberry.input(description="Which receivables events to receive.")
class ReceivablesEventFilter:
    topics: list[ReceivablesTopic] | None = strawberry.field(
        default=None, description="Topics to receive; all when omitted."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this customer's events."
    )


@strawberry.type(description="One receivables event, with the cursor to resume after it.")
class ReceivablesEvent:
    cursor: str = strawberry.field(description="Pass as `after` to resume after this event.")
    topic: ReceivablesTopic = strawberry.field(description="What happened.")
    occurred_at: datetime | None = strawberry.field(description="When it was committed.")
    details: JSON = strawberry.field(
        description="Topic-specific facts: amounts as decimal strings with their currency."
    )
    customer_id: strawberry.Private[UUID | None]

    @strawberry.field(description="The customer concerned.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        if self.customer_id is None:
            return None
        row = await info.context.loader("customers", loaders.customers).load(self.customer_id)
        return Customer.from_row(row) if row else None
