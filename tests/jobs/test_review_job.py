"""The credit-file review job: outbox, relay, real worker process, idempotent reruns."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import dramatiq

from dbschema.queries import jobs as job_queries
from dbschema.tables import customers
from jobs.broker import make_broker
from jobs.relay import Relay
from jobs.schedule import due_jobs, request_due_jobs
from services.customers import reviews
from services.customers.master_data import CustomerChanges, create_customer
from services.jobs.catalogue import (
    MONTHLY_STATEMENTS,
    REVIEW_CREDIT_FILES,
    RUN_PROVISIONS,
    AsOf,
    Period,
    PeriodEnd,
)
from services.jobs.requests import request_job
from services.uow import Actor, UnitOfWork
from tests.conftest import gql, token
from tests.jobs.conftest import start_worker, stop_process, wait_for

RUN = """mutation Run($input: RunCreditFileReviewInput) {
  runCreditFileReview(input: $input) { job { id status } userErrors { code } } }"""
AS_OF = date.today()


async def seed(runtime: Any, tenant_id: Any, n: int = 3, reviewed_days_ago: int = 400) -> None:
    """Customers with thin files reviewed long ago: each earns two LIGHT warnings."""
    async with UnitOfWork(runtime.engine, tenant_id, Actor("seed")) as uow:
        for i in range(n):
            row = await create_customer(
                uow,
                CustomerChanges(code=f"R-{i}", legal_name=f"Review {i}", country="SE", contacts=[]),
            )
            await uow.conn.execute(
                customers.update()
                .where(customers.c.id == row.id)
                .values(last_reviewed_on=AS_OF - timedelta(days=reviewed_days_ago))
            )
        await uow.commit()


async def test_review_service_raises_once_per_customer_and_kind(runtime, tenants, database):
    # given
    await seed(runtime, tenants["acme"])
    # when
    results = []
    for _ in range(2):
        async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
            results.append(await reviews.review_credit_files(uow, AS_OF))
            await uow.commit()
    # then
    assert results == [reviews.ReviewTally(3, 6), reviews.ReviewTally(3, 0)]
    rows = database.query(
        "SELECT kind, level, status, count(*) FROM warnings GROUP BY 1, 2, 3 ORDER BY 1"
    )
    assert rows == [
        ("CREDIT_FILE_INCOMPLETE", "LIGHT", "OPEN", 3),
        ("CREDIT_FILE_STALE", "LIGHT", "OPEN", 3),
    ]
    assert database.query("SELECT count(*) FROM events WHERE topic = 'warning.raised'") == [(6,)]
    evidence = database.query(
        "SELECT evidence FROM warnings WHERE kind = 'CREDIT_FILE_STALE' LIMIT 1"
    )[0][0]
    assert evidence["daysOverdue"] == 35 and evidence["intervalDays"] == 365


async def test_mutation_to_worker_end_to_end(
    client, settings, runtime, tenants, database, relay, worker
):
    # given
    await seed(runtime, tenants["acme"])
    await seed(runtime, tenants["globex"], n=1, reviewed_days_ago=10)
    # when
    body = await gql(
        client,
        RUN,
        {"input": {"asOf": AS_OF.isoformat()}},
        token(settings, roles=["credit_analyst"]),
    )
    # then
    job = body["data"]["runCreditFileReview"]["job"]
    assert job["status"] == "PENDING"
    await wait_for(lambda: database.query("SELECT status FROM jobs WHERE status = 'SUCCEEDED'"), 45)
    result = database.query("SELECT result, attempts FROM jobs")
    assert result == [({"reviewed": 3, "raised": 6}, 1)]
    per_tenant = database.query(
        "SELECT t.slug, count(w.*) FROM tenants t LEFT JOIN warnings w "
        "ON w.tenant_id = t.id GROUP BY 1 ORDER BY 1"
    )
    assert per_tenant == [("acme", 6), ("globex", 0)]
    status = await gql(
        client,
        "query J($id: ID!) { job(id: $id) { status result } }",
        {"id": job["id"]},
        token(settings),
    )
    assert status["data"]["job"]["status"] == "SUCCEEDED"


async def test_redelivered_message_changes_nothing(settings, runtime, tenants, database, worker):
    # given: a job row as stored before typed specs (camelCase JSON), delivered directly
    await seed(runtime, tenants["acme"], n=2)
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        job_id, _ = await job_queries.enqueue(
            uow.conn,
            tenant_id=tenants["acme"],
            actor="review_credit_files",
            args={"asOf": AS_OF.isoformat()},
            requested_by="test",
        )
        await uow.commit()
    broker = make_broker(settings)
    message = dramatiq.Message(
        queue_name=REVIEW_CREDIT_FILES.queue,
        actor_name=REVIEW_CREDIT_FILES.name,
        args=(),
        kwargs={"tenant_id": str(tenants["acme"]), "job_id": str(job_id)},
        options={},
    )
    # when: the same message is delivered three times
    for _ in range(3):
        broker.enqueue(
            message.copy(
                message_id=dramatiq.Message(
                    queue_name=REVIEW_CREDIT_FILES.queue,
                    actor_name="x",
                    args=(),
                    kwargs={},
                    options={},
                ).message_id
            )
        )
    broker.close()
    await wait_for(lambda: database.query("SELECT 1 FROM jobs WHERE status = 'SUCCEEDED'"))
    await wait_for(lambda: database.query("SELECT count(*) FROM dramatiq.queue") == [(0,)])
    # then: all three were acknowledged, the work was done once
    assert database.query("SELECT count(*) FROM warnings") == [(4,)]
    assert database.query("SELECT status, result FROM jobs") == [
        ("SUCCEEDED", {"reviewed": 2, "raised": 4})
    ]
    assert database.query("SELECT count(*) FROM events") == [(4,)]


async def test_rolled_back_change_never_runs_a_job(settings, runtime, tenants, database):
    # given / when: a job is requested inside a transaction that rolls back
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await request_job(uow, REVIEW_CREDIT_FILES, AsOf(AS_OF))
        # no commit
    broker = make_broker(settings)
    sent = await Relay(runtime, broker).drain()
    broker.close()
    # then
    assert sent == 0
    assert database.query("SELECT count(*) FROM jobs") == [(0,)]
    assert database.query("SELECT count(*) FROM dramatiq.queue") == [(0,)]


async def test_committed_job_runs_even_if_nothing_was_listening(
    settings, runtime, tenants, database
):
    # given: the process that committed the request died before any relay saw it
    await seed(runtime, tenants["acme"], n=1)
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await request_job(uow, REVIEW_CREDIT_FILES, AsOf(AS_OF))
        await uow.commit()
    assert database.query("SELECT status FROM jobs") == [("PENDING",)]
    # when: a relay and a worker start later
    broker = make_broker(settings)
    sent = await Relay(runtime, broker).drain()
    broker.close()
    proc = start_worker(database, "postgres")
    try:
        await wait_for(lambda: database.query("SELECT 1 FROM jobs WHERE status = 'SUCCEEDED'"), 45)
    finally:
        output = stop_process(proc)
    # then
    assert sent == 1, output
    assert database.query("SELECT count(*) FROM warnings") == [(2,)]


async def test_daily_schedule_is_idempotent_per_date(runtime, tenants, database):
    first = await request_due_jobs(runtime, AS_OF)
    second = await request_due_jobs(runtime, AS_OF)
    assert first == second and set(first) == set(tenants.values())
    per_tenant = len(due_jobs(AS_OF))
    assert database.query("SELECT count(*) FROM jobs") == [(2 * per_tenant,)]


def test_month_start_schedules_provisions_and_statements():
    due = {d.spec: d.args for d in due_jobs(date(2026, 12, 3))}
    assert due[RUN_PROVISIONS] == PeriodEnd(date(2026, 11, 30))
    assert due[MONTHLY_STATEMENTS] == Period(date(2026, 11, 1))
    assert MONTHLY_STATEMENTS not in {d.spec for d in due_jobs(date(2026, 12, 6))}


async def test_redis_broker_runs_jobs_for_real(settings, runtime, tenants, database, redis_url):
    # given
    await seed(runtime, tenants["acme"], n=1)
    redis_settings = type(settings)(**{**settings.__dict__, "broker_url": redis_url})
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await request_job(uow, REVIEW_CREDIT_FILES, AsOf(AS_OF))
        await uow.commit()
    proc = start_worker(database, redis_url)
    broker = make_broker(redis_settings)
    try:
        # when
        sent = await Relay(runtime, broker).drain()
        await wait_for(lambda: database.query("SELECT 1 FROM jobs WHERE status = 'SUCCEEDED'"), 45)
    finally:
        broker.close()
        output = stop_process(proc)
    # then
    assert sent == 1, output
    assert database.query("SELECT count(*) FROM warnings") == [(2,)]
    assert database.query("SELECT count(*) FROM dramatiq.queue") == [(0,)]
