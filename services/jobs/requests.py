"""Requesting a job: an outbox row written in the caller's transaction, run after it commits."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from dbschema.queries import jobs as job_queries
from services.jobs.spec import JobSpec
from services.uow import UnitOfWork

A = TypeVar("A")


async def request_job(
    uow: UnitOfWork, spec: JobSpec[A], args: A, dedupe_key: str | None = None
) -> UUID:
    """Ask the worker for a job (a repeated dedupe key returns the first request's job)."""
    job_id, _created = await job_queries.enqueue(
        uow.conn,
        tenant_id=uow.tenant_id,
        actor=spec.name,
        args=spec.encode(args),
        requested_by=uow.actor.subject,
        dedupe_key=dedupe_key,
    )
    return job_id
