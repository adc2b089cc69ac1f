"""Webhook delivery in the worker: the actor, and the dispatcher that wakes it.

Deliveries are rows (webhook_deliveries) fanned out when an event commits; the dispatcher, in
the scheduler process, asks for a delivery pass per endpoint with something due (woken by
NOTIFY, and every second for retries coming due); the actor sends that endpoint's due
deliveries in order. A lost or repeated message is harmless: the rows are the truth.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from uuid import UUID

import dramatiq
import httpx
import sqlalchemy as sa

from infra import settings as settings_module
from infra.runtime import Runtime, open_runtime
from jobs.woken import WokenLoop
from services.integration.webhook_delivery import deliver_due, httpx_sender
from services.integration.webhooks import UrlPolicy
from services.jobs.catalogue import DELIVER_WEBHOOKS
from services.uow import SYSTEM, UnitOfWork

log = logging.getLogger("credit.webhooks")
POLL_SECONDS = (
    0.25  #: retries come due without a NOTIFY, and a busy endpoint is asked again: look this often
)
RESEND_AFTER = 0.25  #: an endpoint asked for less than this ago is left to that pass
BATCH = 200  #: endpoints looked at per round
LINGER_SECONDS = 2.0  #: a pass waits this long for more of an endpoint's events before ending

_runtime: Runtime | None = None
_client: httpx.AsyncClient | None = None


def _shared() -> tuple[Runtime, httpx.AsyncClient]:
    global _runtime, _client
    if _runtime is None:
        _runtime = open_runtime(settings_module.load())
    if _client is None:
        _client = httpx.AsyncClient(limits=httpx.Limits(max_connections=100))
    return _runtime, _client


def policy_for(settings: settings_module.Settings) -> UrlPolicy:
    """https only in production; loopback only where the test setting allows it."""
    return UrlPolicy(
        https_only=settings.is_production, allow_private=settings.webhooks_allow_private
    )


async def deliver(tenant_id: str, endpoint_id: str) -> None:
    """Send one endpoint's due deliveries (skipped when another worker is already on it)."""
    runtime, client = _shared()
    tenant = UUID(tenant_id)
    await deliver_due(
        lambda: UnitOfWork(runtime.engine, tenant, SYSTEM),
        UUID(endpoint_id),
        httpx_sender(client),
        policy_for(runtime.settings),
        linger=LINGER_SECONDS,
    )


deliver_webhooks = dramatiq.actor(
    actor_name=DELIVER_WEBHOOKS.name,
    queue_name=DELIVER_WEBHOOKS.queue,
    **DELIVER_WEBHOOKS.retry.actor_options(),
)(deliver)


class Dispatcher(WokenLoop):
    """Asks the workers for a delivery pass wherever deliveries are due."""

    channel = "credit_webhooks"
    poll = POLL_SECONDS

    def __init__(self, runtime: Runtime, broker: dramatiq.Broker) -> None:
        super().__init__(runtime.app_url, log)
        self.runtime = runtime
        self.broker = broker
        self._asked: dict[tuple[Any, Any], float] = {}

    async def round(self) -> int:
        """One look at what is due; returns how many passes were asked for."""
        async with self.runtime.engine.connect() as conn:
            due = list(
                await conn.execute(
                    sa.text("SELECT tenant_id, endpoint_id FROM due_webhook_endpoints(:n)"),
                    {"n": BATCH},
                )
            )
        now = time.monotonic()
        asked = 0
        for tenant_id, endpoint_id in due:
            key = (tenant_id, endpoint_id)
            if now - self._asked.get(key, 0.0) < RESEND_AFTER:
                continue
            self._asked[key] = now
            message: dramatiq.Message[None] = dramatiq.Message(
                queue_name=DELIVER_WEBHOOKS.queue,
                actor_name=DELIVER_WEBHOOKS.name,
                args=(),
                kwargs={"tenant_id": str(tenant_id), "endpoint_id": str(endpoint_id)},
                options={},
            )
            await asyncio.to_thread(self.broker.enqueue, message)
            asked += 1
        if len(self._asked) > 10 * BATCH:
            self._asked = {k: v for k, v in self._asked.items() if now - v < RESEND_AFTER}
        return asked
