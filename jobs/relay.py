"""The outbox relay: committed job rows become broker messages, at least once.

A row is marked DISPATCHED in the same transaction that held its lock while sending, so a
crash before commit re-sends it (actors are idempotent) and a rolled-back request never
produced a row at all.
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq

from dbschema.queries import jobs as job_queries
from infra.runtime import Runtime
from jobs.woken import WokenLoop
from services.jobs.catalogue import BY_NAME
from services.jobs.spec import DEFAULT_QUEUE
from services.uow import UnitOfWork

log = logging.getLogger("credit.relay")
POLL_SECONDS = 2.0  #: safety net when a NOTIFY is missed (e.g. the relay was down)
BATCH = 100


class Relay(WokenLoop):
    """Moves PENDING jobs to the broker; any number may run (rows are locked SKIP LOCKED)."""

    channel = "credit_jobs"
    poll = POLL_SECONDS

    def __init__(self, runtime: Runtime, broker: dramatiq.Broker) -> None:
        super().__init__(runtime.app_url, log)
        self.runtime = runtime
        self.broker = broker

    async def round(self) -> int:
        """A round is a drain."""
        return await self.drain()

    async def drain(self) -> int:
        """Dispatch everything pending now; returns how many were sent."""
        sent = 0
        async with self.runtime.engine.connect() as conn:
            pending = await job_queries.pending(conn, BATCH)
        for tenant_id, job_id in pending:
            async with UnitOfWork(self.runtime.engine, tenant_id) as uow:
                actor = await job_queries.claim_pending(uow.conn, job_id)
                if actor is None:
                    continue
                spec = BY_NAME.get(actor)
                message: dramatiq.Message[None] = dramatiq.Message(
                    queue_name=spec.queue if spec else DEFAULT_QUEUE,
                    actor_name=actor,
                    args=(),
                    kwargs={"tenant_id": str(tenant_id), "job_id": str(job_id)},
                    options={},
                )
                await asyncio.to_thread(self.broker.enqueue, message)
                await job_queries.mark_dispatched(uow.conn, job_id)
                await uow.commit()
                sent += 1
        if len(pending) == BATCH:
            self.again()
        return sent
