"""What the scheduler asks for: idempotent per tenant and date or period (dedupe keys)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from infra.runtime import Runtime
from services.customers import reviews
from services.jobs.requests import request_job
from services.uow import SYSTEM, UnitOfWork

#: Source practice: monthly statements reach customers by the 5th.
STATEMENT_DEADLINE_DAY = 5


def previous_month_end(today: date) -> date:
    """The last day of the month before `today`'s."""
    return today.replace(day=1) - timedelta(days=1)


def due_jobs(today: date) -> list[tuple[str, dict[str, str], str]]:
    """(actor, args, dedupe key) of every job due on a day."""
    jobs = [
        (reviews.JOB_ACTOR, {"asOf": today.isoformat()}, f"review:{today}"),
        ("daily_collections", {"asOf": today.isoformat()}, f"collections:{today}"),
        ("aging_snapshot", {"asOf": today.isoformat()}, f"aging:{today}"),
    ]
    month_end = previous_month_end(today)
    # month-end provisions run from the 1st; asking again later the same month is a no-op
    jobs.append(("run_provisions", {"periodEnd": month_end.isoformat()}, f"provisions:{month_end}"))
    if today.day <= STATEMENT_DEADLINE_DAY:
        period = month_end.replace(day=1)
        jobs.append(("monthly_statements", {"period": period.isoformat()}, f"statements:{period}"))
    return jobs


async def request_due_jobs(runtime: Runtime, today: date) -> dict[UUID, list[UUID]]:
    """Queue today's jobs for every tenant; calling twice a day adds nothing."""
    queued: dict[UUID, list[UUID]] = {}
    for tenant_id in await runtime.all_tenant_ids():
        async with UnitOfWork(runtime.engine, tenant_id, SYSTEM) as uow:
            queued[tenant_id] = [
                await request_job(uow, actor, args, key) for actor, args, key in due_jobs(today)
            ]
            await uow.commit()
    return queued
