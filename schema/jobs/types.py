"""Background jobs as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain import roles
from schema.context import Context
from schema.node import register_node
from schema.relay import Node, to_global_id
from services.jobs import reads
from services.jobs.reads import JobRecord


@strawberry.enum(description="Where a background job stands.")
class JobStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Requested, not yet handed out.")
    DISPATCHED = strawberry.enum_value(
        "DISPATCHED", description="Handed to the workers' queue, not yet started."
    )
    RUNNING = strawberry.enum_value("RUNNING", description="A worker is running it.")
    SUCCEEDED = strawberry.enum_value("SUCCEEDED", description="Done; see result.")
    FAILED = strawberry.enum_value("FAILED", description="Gave up after its retries.")


@strawberry.type(description="A background job requested through the API.")
class Job(Node):
    actor: str = strawberry.field(description="Which job, e.g. review_credit_files.")
    status: JobStatus = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was requested.")
    finished_at: datetime | None = strawberry.field(description="When it ended.")
    result: JSON | None = strawberry.field(description="What it did (counts).")

    @classmethod
    def from_row(cls, job: JobRecord) -> Job:
        """From a job record of the job reads."""
        return cls(
            id=to_global_id("Job", job.id),
            actor=job.actor,
            status=JobStatus(job.status),
            created_at=job.created_at,
            finished_at=job.finished_at,
            result=job.result,
        )


def jobs(ctx: Context) -> DataLoader[UUID, JobRecord | None]:
    """Jobs by id."""

    async def load(ids: list[UUID]) -> list[JobRecord | None]:
        return await reads.jobs_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


async def load_job(ctx: Context, job_id: UUID) -> Job | None:
    """The job as it stands now (a mutation that requested it shows it in its payload)."""
    job = await ctx.loader("jobs", jobs).load(job_id)
    return None if job is None else Job.from_row(job)


register_node("Job", "jobs", jobs, Job.from_row, readers=roles.READ_CUSTOMERS)
