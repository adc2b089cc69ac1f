"""What a warning set in motion: tasks, proposals, reviews brought forward, holds, notices."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from domain import roles
from schema.node import by_ids, register_node
from schema.relay import Node, to_global_id
from services.warnings import reads
from services.warnings.records import ResponseRecord


@strawberry.enum(description="One response to a warning (per level, configurable per tenant).")
class WarningResponseAction(Enum):
    TASK = strawberry.enum_value("TASK", description="A follow-up task for the salesperson.")
    TERMS_PROPOSAL = strawberry.enum_value(
        "TERMS_PROPOSAL",
        description="Shorter terms or prepayment proposed for the credit manager's approval.",
    )
    REVIEW_FORWARD = strawberry.enum_value(
        "REVIEW_FORWARD", description="The customer's credit review brought forward."
    )
    CREDIT_HOLD = strawberry.enum_value(
        "CREDIT_HOLD",
        description="A credit hold the credit check enforces, until a credit manager lifts "
        "it with a reason (setCreditHold).",
    )
    NOTIFY_LEGAL = strawberry.enum_value("NOTIFY_LEGAL", description="The legal team told.")


@strawberry.type(description="What the platform did or proposed because of a warning.")
class WarningResponse(Node):
    action: WarningResponseAction = strawberry.field(description="What it is.")
    level: str = strawberry.field(description="The warning's level that called for it.")
    role: str = strawberry.field(description="The role it is for.")
    status: str = strawberry.field(
        description="OPEN or DONE (tasks, reviews, notices), PENDING, APPROVED or REJECTED "
        "(proposals), DONE for a hold applied."
    )
    due_on: date | None = strawberry.field(description="When it is due, if it has a date.")
    details: JSON = strawberry.field(description="Its particulars (assignee, proposal ...).")
    created_at: datetime = strawberry.field(description="When it was raised.")
    decided_by: str | None = strawberry.field(description="Who decided or closed it.")
    decided_at: datetime | None = strawberry.field(description="When.")
    decision_note: str | None = strawberry.field(description="Their note.")

    @classmethod
    def from_record(cls, r: ResponseRecord) -> WarningResponse:
        """From a response record of the warning services."""
        return cls(
            id=to_global_id("WarningResponse", r.id),
            action=WarningResponseAction(r.action),
            level=r.level,
            role=r.role,
            status=r.status,
            due_on=r.due_on,
            details=r.details,
            created_at=r.created_at,
            decided_by=r.decided_by,
            decided_at=r.decided_at,
            decision_note=r.decision_note,
        )


register_node(
    "WarningResponse", "warning_responses_by_id", by_ids(reads.responses_by_ids),
    WarningResponse.from_record, readers=roles.READ_CUSTOMERS,
)  # fmt: skip
