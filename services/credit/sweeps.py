"""The daily credit sweep the scheduler runs: expiries, escalations and reviews.

Each step is idempotent for a date (a lapsed limit is recorded once, an expired agreement
changes status once, an application is escalated once, a review opens once per cause), so a
retried or repeated run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.credit import agreements, applications, limit_expiry, review_schedule
from services.uow import UnitOfWork


@dataclass(frozen=True)
class CreditSweep:
    """What one day's sweep did."""

    as_of: date
    limits_expired: int
    agreements_expired: int
    applications_escalated: int
    reviews_scheduled: int
    reviews_by_event: int
    reviews_warned: int


async def daily_sweep(uow: UnitOfWork, as_of: date) -> CreditSweep:
    """Expire limits, increases and agreements; escalate stalled applications; open and warn
    reviews (an agreement expiring soon opens its review before it lapses)."""
    limits = await limit_expiry.expire_limits(uow, as_of)
    reviews = await review_schedule.sweep_reviews(uow, as_of)
    ended = await agreements.expire_agreements(uow, as_of)
    escalated = await applications.escalate_overdue(uow, as_of)
    return CreditSweep(
        as_of,
        limits,
        ended,
        escalated,
        reviews.scheduled,
        reviews.by_event,
        reviews.warned,
    )
