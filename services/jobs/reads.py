"""Job reads: a job's status and result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import jobs
from services.read_session import ReadSession, fetch_all


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A background job as requested and as far as it has run."""

    id: UUID
    actor: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    #: what it did, as the job reported it (counts); None until it succeeds
    result: dict[str, Any] | None


async def jobs_by_ids(session: ReadSession, ids: list[UUID]) -> list[JobRecord | None]:
    """Jobs in the order asked, None where not found for this tenant."""
    query = sa.select(jobs).where(jobs.c.id.in_(ids))
    found = {
        r.id: JobRecord(r.id, r.actor, r.status, r.created_at, r.finished_at, r.result)
        for r in await session.run(lambda c: fetch_all(c, query))
    }
    return [found.get(i) for i in ids]


async def job_by_id(session: ReadSession, job_id: UUID) -> JobRecord | None:
    """A job's status and result."""
    return (await jobs_by_ids(session, [job_id]))[0]
