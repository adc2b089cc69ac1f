"""Actors: thin, JSON-simple arguments, re-load state, guard on status, explicit retries."""

from __future__ import annotations

import dramatiq
from sqlalchemy.ext.asyncio import AsyncEngine

from infra import settings as settings_module
from infra.runtime import Runtime, open_runtime
from jobs import runner as job_service

_runtime: Runtime | None = None


def _engine() -> AsyncEngine:
    """One engine per worker process, bound to the AsyncIO middleware's event loop."""
    global _runtime
    if _runtime is None:
        _runtime = open_runtime(settings_module.load())
    return _runtime.engine


#: Review jobs retry with backoff: a database hiccup should not lose the day's review.
@dramatiq.actor(
    queue_name="credit",
    max_retries=5,
    min_backoff=2_000,
    max_backoff=120_000,
    time_limit=30 * 60 * 1000,
)
async def review_credit_files(tenant_id: str, job_id: str) -> None:
    """Run a queued credit-file review job (idempotent: a finished job is not rerun)."""
    await job_service.run_job(_engine(), tenant_id, job_id)


#: Month-end provisions: one transaction per run, so a killed run leaves no partial period.
@dramatiq.actor(
    queue_name="credit",
    max_retries=5,
    min_backoff=5_000,
    max_backoff=300_000,
    time_limit=60 * 60 * 1000,
)
async def run_provisions(tenant_id: str, job_id: str) -> None:
    """Compute a month-end provision run (idempotent per period until closed)."""
    await job_service.run_job(_engine(), tenant_id, job_id)


#: Daily reminders and escalation: idempotent per date, so a retry cannot remind twice.
@dramatiq.actor(
    queue_name="credit",
    max_retries=5,
    min_backoff=2_000,
    max_backoff=120_000,
    time_limit=30 * 60 * 1000,
)
async def daily_collections(tenant_id: str, job_id: str) -> None:
    """Reminders, escalation, promises and plans for one date."""
    await job_service.run_job(_engine(), tenant_id, job_id)


#: Daily aging snapshot: one row per customer and currency per day (insert-once).
@dramatiq.actor(
    queue_name="credit",
    max_retries=5,
    min_backoff=2_000,
    max_backoff=120_000,
    time_limit=30 * 60 * 1000,
)
async def aging_snapshot(tenant_id: str, job_id: str) -> None:
    """Keep the day's aging for trend queries."""
    await job_service.run_job(_engine(), tenant_id, job_id)


#: Monthly statements: creates the month's statements and queues one render job each.
@dramatiq.actor(
    queue_name="credit",
    max_retries=5,
    min_backoff=5_000,
    max_backoff=300_000,
    time_limit=60 * 60 * 1000,
)
async def monthly_statements(tenant_id: str, job_id: str) -> None:
    """Generate a month's statements (existing ones are kept)."""
    await job_service.run_job(_engine(), tenant_id, job_id)


#: One PDF per statement and language, so several worker processes share a month's run.
@dramatiq.actor(
    queue_name="credit",
    max_retries=3,
    min_backoff=2_000,
    max_backoff=60_000,
    time_limit=5 * 60 * 1000,
)
async def render_statement(tenant_id: str, job_id: str) -> None:
    """Render one statement PDF and keep it."""
    await job_service.run_job(_engine(), tenant_id, job_id)


ACTORS = {
    "monthly_statements": monthly_statements,
    "render_statement": render_statement,
    "aging_snapshot": aging_snapshot,
    "review_credit_files": review_credit_files,
    "run_provisions": run_provisions,
    "daily_collections": daily_collections,
}
