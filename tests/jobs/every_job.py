"""Run every scheduled job of a tenant in this process, as the worker would, and what they ask for.

The scheduler's days (`jobs.schedule.due_jobs`) are requested through the outbox and run by the
runner with the service call `jobs.actors.WORK` binds them to; the jobs they request in turn
(one statement PDF per language) run after them, until none is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import jobs
from infra.runtime import Runtime
from jobs.actors import WORK
from jobs.runner import run_job
from jobs.schedule import due_jobs
from services.jobs.requests import request_job
from services.uow import SYSTEM, UnitOfWork

BY_NAME = {w.spec.name: w for w in WORK}


async def _pending(runtime: Runtime, tenant: UUID) -> list[tuple[UUID, str]]:
    async with UnitOfWork(runtime.engine, tenant, SYSTEM) as uow:
        rows = await uow.conn.execute(
            sa.select(jobs.c.id, jobs.c.actor)
            .where(jobs.c.status == "PENDING")
            .order_by(jobs.c.created_at)
        )
        return [(r.id, r.actor) for r in rows]


async def run_every_job(
    runtime: Runtime, tenant: UUID, days: Iterable[date], tag: str = "all"
) -> list[tuple[str, str]]:
    """(job name, outcome) of every scheduled job on each day, then of every job they asked
    for; a job that raises fails the caller with its traceback."""
    outcomes: list[tuple[str, str]] = []
    for day in days:
        for due in due_jobs(day):
            async with UnitOfWork(runtime.engine, tenant, SYSTEM) as uow:
                job = await request_job(
                    uow, due.spec, due.args, dedupe_key=f"{tag}:{due.dedupe_key}"
                )
                await uow.commit()
            work = BY_NAME[due.spec.name]
            outcomes.append(
                (due.spec.name, await run_job(runtime.engine, work, str(tenant), str(job)))
            )
    while pending := await _pending(runtime, tenant):
        for job_id, actor in pending:
            outcome = await run_job(runtime.engine, BY_NAME[actor], str(tenant), str(job_id))
            outcomes.append((actor, outcome))
    return outcomes


async def run_one(runtime: Runtime, tenant: UUID, spec: object, args: object, key: str) -> str:
    """Request and run one job (a period a mutation asked for, say)."""
    async with UnitOfWork(runtime.engine, tenant, SYSTEM) as uow:
        job = await request_job(uow, spec, args, dedupe_key=key)  # type: ignore[arg-type]
        await uow.commit()
    return await run_job(runtime.engine, BY_NAME[spec.name], str(tenant), str(job))  # type: ignore[attr-defined]


async def run_pending(runtime: Runtime, tenant: UUID, limit: int) -> list[tuple[str, str]]:
    """Run at most `limit` of the jobs waiting (a sample of a month's statement PDFs)."""
    outcomes = []
    for job_id, actor in (await _pending(runtime, tenant))[:limit]:
        outcomes.append(
            (actor, await run_job(runtime.engine, BY_NAME[actor], str(tenant), str(job_id)))
        )
    return outcomes
