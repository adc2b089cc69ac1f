"""Requesting a job: an outbox row written in the caller's transaction, run after it commits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dbschema.queries import jobs as job_queries
from services.uow import UnitOfWork


async def request_job(
    uow: UnitOfWork, actor: str, args: dict[str, Any], dedupe_key: str | None = None
) -> UUID:
    """Ask the worker for a job through the outbox (runs after this transaction commits)."""
    job_id, _ = await job_queries.enqueue(
        uow.conn,
        tenant_id=uow.tenant_id,
        actor=actor,
        args=args,
        requested_by=uow.actor.subject,
        dedupe_key=dedupe_key,
    )
    return job_id
