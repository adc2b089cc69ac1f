"""What the scheduler asks for: idempotent per tenant and date or period (dedupe keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID

from infra.runtime import Runtime
from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.jobs.spec import JobSpec
from services.uow import SYSTEM, UnitOfWork

A = TypeVar("A")

#: Source practice: monthly statements reach customers by the 5th.
STATEMENT_DEADLINE_DAY = 5


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


async def request_due_jobs(runtime: Runtime, today: date) -> dict[UUID, list[UUID]]:
    """Queue today's jobs for every tenant; calling twice a day adds nothing."""
    queued: dict[UUID, list[UUID]] = {}
    for tenant_id in await runtime.all_tenant_ids():
        async with UnitOfWork(runtime.engine, tenant_id, SYSTEM) as uow:
            queued[tenant_id] = [
                await request_job(uow, d.spec, d.args, d.dedupe_key) for d in due_jobs(today)
            ]
            await uow.commit()
    return queued
