"""Collection cases, tasks and activities."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from domain import roles
from schema.node import by_ids, register_node
from schema.relay import Node, to_global_id
from services.collections import reads
from services.collections.reads import ActivityRecord, CaseRecord, TaskRecord


@strawberry.type(description="A customer's open (or closed) collection case.")
class CollectionCase(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    stage: str = strawberry.field(description="Ladder stage, e.g. CREDIT_MANAGER.")
    owner_role: str = strawberry.field(description="Role that owns the case now.")
    next_action: str = strawberry.field(description="What to do next.")
    next_action_on: date = strawberry.field(description="When.")
    days_overdue: int = strawberry.field(description="Oldest undisputed debt, in days.")
    status: str = strawberry.field(description="OPEN or CLOSED.")
    opened_at: datetime = strawberry.field(description="When the case opened.")

    @classmethod
    def from_record(cls, case: CaseRecord) -> CollectionCase:
        """From a stored case."""
        return cls(
            id=to_global_id("CollectionCase", case.id),
            customer_id=to_global_id("Customer", case.customer_id),
            stage=case.stage,
            owner_role=case.owner_role,
            next_action=case.next_action,
            next_action_on=case.next_action_on,
            days_overdue=case.days_overdue,
            status=case.status,
            opened_at=case.opened_at,
        )


@strawberry.type(description="A task for a role, created when a case moves stage.")
class CollectionTask(Node):
    case_id: strawberry.ID = strawberry.field(description="Global id of the case.")
    role: str = strawberry.field(description="Role expected to act.")
    title: str = strawberry.field(description="What to do.")
    due_on: date = strawberry.field(description="By when.")
    status: str = strawberry.field(description="OPEN or DONE.")

    @classmethod
    def from_record(cls, task: TaskRecord) -> CollectionTask:
        """From a stored task."""
        return cls(
            id=to_global_id("CollectionTask", task.id),
            case_id=to_global_id("CollectionCase", task.case_id),
            role=task.role,
            title=task.title,
            due_on=task.due_on,
            status=task.status,
        )


@strawberry.type(description="A call, e-mail, letter, visit, legal step or note (append-only).")
class Activity(Node):
    kind: str = strawberry.field(description="CALL, EMAIL, LETTER, VISIT, LEGAL, NOTE ...")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    outcome: str | None = strawberry.field(description="Outcome.")
    notes: str | None = strawberry.field(description="Notes.")
    document_ref: str | None = strawberry.field(description="Where the document is kept.")
    created_by: str = strawberry.field(description="Who recorded it.")

    @classmethod
    def from_record(cls, activity: ActivityRecord) -> Activity:
        """From a stored activity."""
        return cls(
            id=to_global_id("Activity", activity.id),
            kind=activity.kind,
            occurred_at=activity.occurred_at,
            outcome=activity.outcome,
            notes=activity.notes,
            document_ref=activity.document_ref,
            created_by=activity.created_by,
        )


#: Collections are read by everyone who works receivables (the collection queries' roles).
READERS = roles.READ_RECEIVABLES
register_node(
    "CollectionCase", "collection_cases", by_ids(reads.cases_by_ids), CollectionCase.from_record,
    readers=READERS,
)  # fmt: skip
register_node(
    "CollectionTask", "collection_tasks", by_ids(reads.tasks_by_ids), CollectionTask.from_record,
    readers=READERS,
)  # fmt: skip
register_node(
    "Activity", "activities", by_ids(reads.activities_by_ids), Activity.from_record,
    readers=READERS,
)  # fmt: skip
