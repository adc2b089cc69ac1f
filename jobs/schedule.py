"""What the scheduler asks for: idempotent per tenant and date or period (dedupe keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from infra.runtime import Runtime
from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.jobs.spec import JobSpec
from services.tenant.local_date import local_today, zone_in
from services.uow import SYSTEM, UnitOfWork

A = TypeVar("A")

#: Source practice: monthly statements reach customers by the 5th.
STATEMENT_DEADLINE_DAY = 5
#: A tenant's day's jobs are due from 02:00 on its own clock, before its working day, once
#: the night's late postings are in.
DAY_STARTS_AT = timedelta(hours=2)


@dataclass(frozen=True)
class Due(Generic[A]):
    """One job the day asks for; its dedupe key makes asking again the same day a no-op."""

    spec: JobSpec[A]
    args: A
    dedupe_key: str

    def __post_init__(self) -> None:
        if not isinstance(self.args, self.spec.args):  # a list of Due[Any] hides it from mypy
            raise TypeError(f"{self.spec.name} takes {self.spec.args.__name__}")


def previous_month_end(today: date) -> date:
    """The last day of the month before `today`'s."""
    return today.replace(day=1) - timedelta(days=1)


def due_jobs(today: date) -> list[Due[Any]]:
    """Every job due on a day."""
    due: list[Due[Any]] = [
        Due(job.REVIEW_CREDIT_FILES, job.AsOf(today), f"review:{today}"),
        Due(job.DAILY_COLLECTIONS, job.AsOf(today), f"collections:{today}"),
        Due(job.AGING_SNAPSHOT, job.AsOf(today), f"aging:{today}"),
        Due(job.INSURANCE_SWEEP, job.AsOf(today), f"insurance:{today}"),
        Due(job.FACTORING_DAILY, job.AsOf(today), f"factoring:{today}"),
        Due(job.GUARANTEE_SWEEP, job.AsOf(today), f"guarantees:{today}"),
        Due(job.RESCORE_CHANGED, job.AsOf(today), f"rescore:{today}"),
        Due(job.CREDIT_SWEEP, job.AsOf(today), f"credit-sweep:{today}"),
        Due(job.WARNING_RULES, job.AsOf(today), f"warning-rules:{today}"),
    ]
    month_end = previous_month_end(today)
    # month-end provisions run from the 1st; asking again later the same month is a no-op
    due.append(Due(job.RUN_PROVISIONS, job.PeriodEnd(month_end), f"provisions:{month_end}"))
    # last month's insured-turnover declaration from the 1st; once per month by its key
    declared = month_end.replace(day=1)
    due.append(Due(job.INSURANCE_DECLARATIONS, job.Period(declared), f"declarations:{declared}"))
    # the month's reclassification runs from the 1st, scored as of that day, once a month
    first = today.replace(day=1)
    due.append(Due(job.RECLASSIFY, job.Period(first), f"reclassify:{first}"))
    if today.day <= STATEMENT_DEADLINE_DAY:
        period = month_end.replace(day=1)
        due.append(Due(job.MONTHLY_STATEMENTS, job.Period(period), f"statements:{period}"))
    return due


def schedule_day(now: datetime, zone: ZoneInfo) -> date:
    """The day whose jobs a tenant is due at `now`: its local date, turning at 02:00 local
    (before then, the day before's, which its dedupe keys make a no-op once requested)."""
    return local_today(zone, now - DAY_STARTS_AT)


async def request_due_jobs(runtime: Runtime, today: date | None = None) -> dict[UUID, list[UUID]]:
    """Queue each tenant's jobs for its own day (the date on its clock, not the host's UTC
    one), or for `today` given for every tenant; asking again the same day adds nothing."""
    now = runtime.clock.now()
    queued: dict[UUID, list[UUID]] = {}
    for tenant_id in await runtime.all_tenant_ids():
        async with UnitOfWork(runtime.engine, tenant_id, SYSTEM) as uow:
            day = today or schedule_day(now, await zone_in(uow))
            queued[tenant_id] = [
                await request_job(uow, d.spec, d.args, d.dedupe_key) for d in due_jobs(day)
            ]
            await uow.commit()
    return queued
