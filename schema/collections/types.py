"""Collection cases, tasks and activities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from schema.relay import to_global_id


@strawberry.type(description="A customer's open (or closed) collection case.")
class CollectionCase:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    stage: str = strawberry.field(description="Ladder stage, e.g. CREDIT_MANAGER.")
    owner_role: str = strawberry.field(description="Role that owns the case now.")
    next_action: str = strawberry.field(description="What to do next.")
    next_action_on: date = strawberry.field(description="When.")
    days_overdue: int = strawberry.field(description="Oldest undisputed debt, in days.")
    status: str = strawberry.field(description="OPEN or CLOSED.")
    opened_at: datetime = strawberry.field(description="When the case opened.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CollectionCase:
        """From a stored case."""
        return cls(
            id=to_global_id("CollectionCase", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            stage=row["stage"],
            owner_role=row["owner_role"],
            next_action=row["next_action"],
            next_action_on=row["next_action_on"],
            days_overdue=row["days_overdue"],
            status=row["status"],
            opened_at=row["opened_at"],
        )


@strawberry.type(description="A task for a role, created when a case moves stage.")
class CollectionTask:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    case_id: strawberry.ID = strawberry.field(description="Global id of the case.")
    role: str = strawberry.field(description="Role expected to act.")
    title: str = strawberry.field(description="What to do.")
    due_on: date = strawberry.field(description="By when.")
    status: str = strawberry.field(description="OPEN or DONE.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CollectionTask:
        """From a stored task."""
        return cls(
            id=to_global_id("CollectionTask", row["id"]),
            case_id=to_global_id("CollectionCase", row["case_id"]),
            role=row["role"],
            title=row["title"],
            due_on=row["due_on"],
            status=row["status"],
        )


@strawberry.type(description="A call, e-mail, letter, visit, legal step or note (append-only).")
class Activity:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    kind: str = strawberry.field(description="CALL, EMAIL, LETTER, VISIT, LEGAL, NOTE ...")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    outcome: str | None = strawberry.field(description="Outcome.")
    notes: str | None = strawberry.field(description="Notes.")
    document_ref: str | None = strawberry.field(description="Where the document is kept.")
    created_by: str = strawberry.field(description="Who recorded it.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Activity:
        """From a stored activity."""
        return cls(
            id=to_global_id("Activity", row["id"]),
            kind=row["kind"],
            occurred_at=row["occurred_at"],
            outcome=row["outcome"],
            notes=row["notes"],
            document_ref=row["document_ref"],
            created_by=row["created_by"],
        )
