"""What the scheduler asks for each day: idempotent per tenant and date (dedupe keys)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services import reviews
from services.runtime import Runtime
from services.uow import SYSTEM, UnitOfWork


async def request_daily_reviews(runtime: Runtime, as_of: date) -> dict[UUID, UUID]:
    """Queue one credit-file review per tenant for the date; a second call adds nothing."""
    queued: dict[UUID, UUID] = {}
    for tenant_id in await runtime.all_tenant_ids():
        async with UnitOfWork(runtime.engine, tenant_id, SYSTEM) as uow:
            queued[tenant_id] = await reviews.request_review(
                uow, as_of, dedupe_key=f"{reviews.JOB_ACTOR}:{as_of.isoformat()}"
            )
            await uow.commit()
    return queued
