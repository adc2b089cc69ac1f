"""The runner owns a job's transaction: effects and status commit together, or neither does."""

from __future__ import annotations

from typing import Any

import pytest

from jobs.actors import WORK
from jobs.runner import Work, run_job, runs
from services.customers import reviews
from services.jobs.catalogue import REVIEW_CREDIT_FILES, AsOf
from services.jobs.requests import request_job
from services.uow import UnitOfWork
from tests.jobs.test_review_job import AS_OF, seed

REVIEW = next(w for w in WORK if w.spec is REVIEW_CREDIT_FILES)


async def review_then_fail(uow: UnitOfWork, args: AsOf) -> Any:
    """The real review's writes, then a failure before the job could be marked done."""
    await reviews.review_credit_files(uow, args.as_of)
    raise RuntimeError("the worker lost its footing")


async def requested(runtime: Any, tenant: Any) -> str:
    """A review job in the outbox, as the mutation leaves it."""
    async with UnitOfWork(runtime.engine, tenant) as uow:
        job_id = await request_job(uow, REVIEW_CREDIT_FILES, AsOf(AS_OF))
        await uow.commit()
    return str(job_id)


async def test_a_failed_attempt_leaves_no_effects_and_a_rerun_does_the_work_once(
    runtime, tenants, database
):
    # given
    tenant = tenants["acme"]
    await seed(runtime, tenant, n=2)
    job_id = await requested(runtime, tenant)
    failing: Work[AsOf] = runs(REVIEW_CREDIT_FILES, review_then_fail)
    # when: an attempt fails after writing
    with pytest.raises(RuntimeError):
        await run_job(runtime.engine, failing, str(tenant), job_id)
    # then: its writes are gone, the job says why
    assert database.query("SELECT count(*) FROM warnings") == [(0,)]
    status, attempts, error = database.query("SELECT status, attempts, error FROM jobs")[0]
    assert (status, attempts) == ("FAILED", 1) and "lost its footing" in error
    # when: the retry succeeds, and the message is delivered once more
    assert await run_job(runtime.engine, REVIEW, str(tenant), job_id) == "SUCCEEDED"
    assert await run_job(runtime.engine, REVIEW, str(tenant), job_id) == "ALREADY_DONE"
    # then: the effects and the SUCCEEDED mark are there together, once
    assert database.query("SELECT count(*) FROM warnings") == [(4,)]
    assert database.query("SELECT status, attempts, result, error FROM jobs") == [
        ("SUCCEEDED", 2, {"reviewed": 2, "raised": 4}, None)
    ]
