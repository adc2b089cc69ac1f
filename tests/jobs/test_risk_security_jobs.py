"""The guarantee clock runs through the runner once per day: its notices commit with its
SUCCEEDED mark, a re-delivery is harmless, and the schedule asks for it daily."""

from __future__ import annotations

from datetime import date

from jobs.actors import WORK
from jobs.runner import run_job
from jobs.schedule import due_jobs
from services.jobs import catalogue as job
from services.jobs.requests import request_job
from tests.services.risk_security_helpers import (
    customer,
    guarantee,
    guarantee_in,
    guarantor,
    invoice,
    uow,
)

BY_SPEC = {w.spec.name: w for w in WORK}


async def test_the_guarantee_sweep_runs_once_to_success(runtime, tenants, database):
    tenant = tenants["acme"]
    customer_id = await customer(runtime, tenant, "JOB-1")
    await invoice(runtime, tenant, customer_id, "J-1", date(2026, 1, 1), date(2026, 1, 31),
                  "500.00")  # fmt: skip
    await guarantee(runtime, tenant, guarantee_in(await guarantor(runtime, tenant), customer_id))
    async with uow(runtime, tenant) as work:
        job_id = await request_job(work, job.GUARANTEE_SWEEP, job.AsOf(date(2026, 8, 1)))
        await work.commit()
    work_of = BY_SPEC["guarantee_sweep"]
    outcome = await run_job(runtime.engine, work_of, str(tenant), str(job_id))
    again = await run_job(runtime.engine, work_of, str(tenant), str(job_id))
    assert (outcome, again) == ("SUCCEEDED", "ALREADY_DONE")
    result = database.query("SELECT result FROM jobs WHERE actor = 'guarantee_sweep'")[0][0]
    assert result["periodLapsed"] == 1  # due 31 Jan + six months = 31 Jul, lapsed on 1 Aug
    assert database.query("SELECT kind FROM guarantee_notices") == [("PERIOD_LAPSED",)]


def test_the_schedule_asks_for_the_guarantee_sweep_daily():
    day = date(2026, 12, 3)
    due = {d.spec.name: d for d in due_jobs(day)}
    assert due["guarantee_sweep"].dedupe_key == f"guarantees:{day}"
    assert due["guarantee_sweep"].args == job.AsOf(day)
