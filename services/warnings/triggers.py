"""The events that run a customer's warning rules at once instead of waiting for the night.

Called inside the unit of work of the change itself: the job is requested through the jobs
outbox, so it runs only if the change commits. Risk transfer calls `cover_cancelled` when
it lands (a cancelled or reduced cover is an event that matters).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.tenant.local_date import local_today, zone_in
from services.uow import UnitOfWork

PAYMENT_REVERSED = "PAYMENT_REVERSED"
LEGAL_RECORD = "LEGAL_RECORD"
COVER_CANCELLED = "COVER_CANCELLED"


async def rules_now(uow: UnitOfWork, customer_id: UUID, cause: str, ref: str, on: date) -> UUID:
    """Request the customer's rules run as of `on` (once per cause and reference)."""
    args = job.CustomerEvent(customer_id, on, cause)
    return await request_job(uow, job.WARNING_RULES_NOW, args, f"warning-rules:{cause}:{ref}")


async def today(uow: UnitOfWork) -> date:
    """The business date of an event recorded in this work: the tenant's calendar at the
    work's clock (01:00 in Beijing is already its day, whatever the host's UTC date says),
    its stored zone read once per unit of work."""
    day = uow.memo.get("today")
    if not isinstance(day, date):
        day = uow.memo["today"] = local_today(await zone_in(uow), uow.now())
    return day


async def payment_reversed(uow: UnitOfWork, customer_id: UUID, payment_id: UUID) -> UUID:
    """A payment reversed (bounced): the reversal rule and overdue may fire now."""
    return await rules_now(uow, customer_id, PAYMENT_REVERSED, str(payment_id), await today(uow))


async def legal_record(uow: UnitOfWork, customer_id: UUID, record_id: UUID) -> UUID:
    """A new legal record (lawsuit, enforcement, 失信) on the customer."""
    return await rules_now(uow, customer_id, LEGAL_RECORD, str(record_id), await today(uow))


async def cover_cancelled(uow: UnitOfWork, customer_id: UUID, cover_id: UUID, on: date) -> UUID:
    """The hook for risk transfer: a guarantee, policy or cover cancelled or reduced."""
    return await rules_now(uow, customer_id, COVER_CANCELLED, str(cover_id), on)
