"""Background jobs as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.relay import Node, to_global_id


@strawberry.type(description="A background job requested through the API.")
class Job(Node):
    actor: str = strawberry.field(description="Which job, e.g. review_credit_files.")
    status: str = strawberry.field(description="PENDING, DISPATCHED, RUNNING, SUCCEEDED, FAILED.")
    created_at: datetime = strawberry.field(description="When it was requested.")
    finished_at: datetime | None = strawberry.field(description="When it ended.")
    result: JSON | None = strawberry.field(description="What it did (counts).")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        """From a stored job."""
        return cls(
            id=to_global_id("Job", row["id"]),
            actor=row["actor"],
            status=row["status"],
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            result=row["result"],
        )
