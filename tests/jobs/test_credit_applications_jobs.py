"""The credit jobs: scheduled daily and monthly, and the daily sweep idempotent per date."""

from __future__ import annotations

from datetime import date, timedelta

from jobs.schedule import due_jobs
from services.credit import sweeps
from services.jobs import catalogue as job
from services.uow import Actor, UnitOfWork
from tests.services.credit_applications_helpers import submitted, terms
from tests.services.credit_limits_helpers import approved_limit, customer


def test_credit_jobs_are_due_daily_and_monthly():
    due = {d.spec: d for d in due_jobs(date(2026, 12, 17))}
    assert due[job.RESCORE_CHANGED].dedupe_key == "rescore:2026-12-17"
    assert due[job.CREDIT_SWEEP].args == job.AsOf(date(2026, 12, 17))
    assert due[job.RECLASSIFY].args == job.Period(date(2026, 12, 1))
    assert due[job.RECLASSIFY].dedupe_key == "reclassify:2026-12-01"


async def test_the_daily_sweep_changes_nothing_the_second_time(runtime, tenants, database):
    # given a lapsed limit, a stalled application, a customer due for review
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "SW-1", rating="D")
    today = date.today()
    await approved_limit(
        runtime, tenant, cid, "1000.00",
        valid_from=today - timedelta(days=60), valid_to=today - timedelta(days=2),
    )  # fmt: skip
    await submitted(runtime, tenant, cid)
    later = today + timedelta(days=40)
    # when the sweep runs twice for a date
    results = []
    for _ in range(2):
        async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
            results.append(await sweeps.daily_sweep(uow, later))
            await uow.commit()
    # then the first run did each thing once, the second nothing
    first, second = results
    assert (first.limits_expired, first.applications_escalated, first.reviews_scheduled) == (
        1, 1, 1,
    )  # fmt: skip
    assert (second.limits_expired, second.applications_escalated, second.reviews_scheduled) == (
        0, 0, 0,
    )  # fmt: skip
    assert sorted(k for (k,) in database.query("SELECT kind FROM warnings")) == [
        "CREDIT_APPLICATION_OVERDUE", "CREDIT_REVIEW_OVERDUE",
    ]  # fmt: skip
