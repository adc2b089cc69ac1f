"""The runner owns a job's transaction: its effects and its SUCCEEDED mark commit together.

It is the one writer of a job's RUNNING, SUCCEEDED and FAILED status, so a rerun is safe: a
redelivered message finds the job done, and a killed attempt leaves nothing half-written.
"""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.queries import jobs as job_queries
from services.clock import SYSTEM_CLOCK, Clock
from services.jobs.spec import JobSpec, to_json
from services.uow import Actor, UnitOfWork

A = TypeVar("A")
Outcome = Literal["MISSING", "ALREADY_DONE", "SUCCEEDED"]


@dataclass(frozen=True)
class Work(Generic[A]):
    """A spec bound to the service call it makes, in the unit of work the runner opens."""

    spec: JobSpec[A]
    run: Callable[[UnitOfWork, A], Awaitable[Any]]


def runs(spec: JobSpec[A], run: Callable[[UnitOfWork, A], Awaitable[Any]]) -> Work[A]:
    """Bind a spec to its service call (typed: the call receives the spec's arguments)."""
    return Work(spec, run)


async def run_job(
    engine: AsyncEngine,
    work: Work[Any],
    tenant_id: str,
    job_id: str,
    clock: Clock = SYSTEM_CLOCK,
) -> Outcome:
    """Run one job at most once to success; a redelivered message finds it done and stops.
    Its units of work read "now" from `clock` (the worker's runtime's)."""
    actor = Actor(f"job:{job_id}")
    async with UnitOfWork(engine, tenant_id, actor, clock=clock) as uow:
        row = await job_queries.lock(uow.conn, UUID(job_id))
        if row is None:
            return "MISSING"
        if row.done:
            return "ALREADY_DONE"
        await job_queries.mark_running(uow.conn, row.id)
        await uow.commit()
    try:
        async with UnitOfWork(engine, tenant_id, actor, clock=clock) as uow:
            locked = await job_queries.lock(uow.conn, row.id)
            if locked is None or locked.done:  # a concurrent delivery finished first
                return "ALREADY_DONE"
            if row.actor != work.spec.name:
                raise LookupError(f"job {job_id} is {row.actor!r}, not {work.spec.name!r}")
            result = await work.run(uow, work.spec.decode(row.args))
            await job_queries.mark_succeeded(uow.conn, row.id, to_json(result))
            await uow.commit()
            return "SUCCEEDED"
    except Exception:
        async with UnitOfWork(engine, tenant_id, actor, clock=clock) as uow:
            await job_queries.mark_failed(uow.conn, row.id, traceback.format_exc(limit=5))
            await uow.commit()
        raise
