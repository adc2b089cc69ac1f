"""The jobs table: every write of a job's status, and every job query, in one module.

A job moves PENDING (requested) -> DISPATCHED (the relay sent it) -> RUNNING -> SUCCEEDED or
FAILED (the runner). Each step is a function here; the caller's transaction decides when it
counts, so a job's effects and its SUCCEEDED mark commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.tables import jobs

ERROR_CHARS = 4000  #: the tail of a traceback kept on a failed job


@dataclass(frozen=True)
class JobRow:
    """A stored job as the runner needs it: which job, its stored arguments, where it stands."""

    id: UUID
    actor: str
    args: dict[str, Any]
    status: str

    @property
    def done(self) -> bool:
        """Succeeded already: a redelivered message finds nothing left to do."""
        return self.status == "SUCCEEDED"


async def enqueue(
    conn: AsyncConnection,
    *,
    tenant_id: UUID,
    actor: str,
    args: dict[str, Any],
    requested_by: str,
    dedupe_key: str | None = None,
) -> tuple[UUID, bool]:
    """A PENDING job; the relay sends it after commit. Returns (job id, newly created)."""
    stmt = insert(jobs).values(
        tenant_id=tenant_id,
        actor=actor,
        args=args,
        status="PENDING",
        requested_by=requested_by,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
    job_id = await conn.scalar(stmt.returning(jobs.c.id))
    if job_id is not None:
        return job_id, True
    existing = await conn.scalar(sa.select(jobs.c.id).where(jobs.c.dedupe_key == dedupe_key))
    assert existing is not None
    return existing, False


async def pending(conn: AsyncConnection, limit: int) -> list[tuple[UUID, UUID]]:
    """(tenant id, job id) of the oldest PENDING jobs of every tenant (a SECURITY DEFINER scan)."""
    rows = await conn.execute(sa.text("SELECT tenant_id, id FROM pending_jobs(:n)"), {"n": limit})
    return [(tenant_id, job_id) for tenant_id, job_id in rows]


async def claim_pending(conn: AsyncConnection, job_id: UUID) -> str | None:
    """Lock a job that is still PENDING and return its actor; None when another relay has it."""
    actor: str | None = await conn.scalar(
        sa.select(jobs.c.actor)
        .where(jobs.c.id == job_id, jobs.c.status == "PENDING")
        .with_for_update(skip_locked=True)
    )
    return actor


async def mark_dispatched(conn: AsyncConnection, job_id: UUID) -> None:
    """The relay handed the job to the broker."""
    await conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(status="DISPATCHED", dispatched_at=sa.func.now())
    )


async def lock(conn: AsyncConnection, job_id: UUID) -> JobRow | None:
    """A job under a row lock, so two deliveries of one message run it one after the other."""
    row = (
        await conn.execute(
            sa.select(jobs.c.id, jobs.c.actor, jobs.c.args, jobs.c.status)
            .where(jobs.c.id == job_id)
            .with_for_update()
        )
    ).first()
    return None if row is None else JobRow(row.id, row.actor, dict(row.args), row.status)


async def mark_running(conn: AsyncConnection, job_id: UUID) -> None:
    """A worker starts an attempt (counted, so a job that keeps dying shows it)."""
    await conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(status="RUNNING", started_at=sa.func.now(), attempts=jobs.c.attempts + 1)
    )


async def mark_succeeded(conn: AsyncConnection, job_id: UUID, result: Any) -> None:
    """Done: written in the transaction that holds the job's effects."""
    await conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(status="SUCCEEDED", finished_at=sa.func.now(), result=result, error=None)
    )


async def mark_failed(conn: AsyncConnection, job_id: UUID, error: str) -> None:
    """The attempt raised; the broker's retry policy decides whether another comes."""
    await conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(status="FAILED", finished_at=sa.func.now(), error=error[-ERROR_CHARS:])
    )


async def attempts(conn: AsyncConnection, job_id: UUID) -> int:
    """How many attempts of a job have started, the running one included."""
    count = await conn.scalar(sa.select(jobs.c.attempts).where(jobs.c.id == job_id))
    return int(count or 0)
