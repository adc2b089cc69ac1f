"""Receivables jobs through the outbox, the relay and a real worker process."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.jobs.spec import JobSpec
from services.ledger.inputs import InvoiceIn
from services.ledger.invoices import create_invoice
from services.uow import Actor, UnitOfWork
from tests.conftest import Database
from tests.jobs.conftest import wait_for


async def seed_ledger(runtime: Any, tenant: UUID, customers: int = 3) -> None:
    """Customers with one October invoice each, 60 days overdue by 2026-11-30."""
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        for n in range(customers):
            row = await create_customer(
                uow,
                CustomerChanges(code=f"J-{n}", legal_name=f"客户 {n}", country="CN", contacts=[]),
            )
            await create_invoice(
                uow,
                InvoiceIn(
                    f"J-INV-{n}",
                    row.id,
                    date(2026, 9, 1),
                    MoneyIn(f"{100 * (n + 1)}.00", "CNY"),
                    due_date=date(2026, 10, 1),
                ),
                f"J-INV-{n}",
            )
        await uow.commit()


async def ask(runtime: Any, tenant: UUID, spec: JobSpec[Any], args: Any, key: str) -> None:
    """Request a job through the outbox, as the scheduler does."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await request_job(uow, spec, args, dedupe_key=key)
        await uow.commit()


def all_done(database: Database, expected: int) -> bool:
    """Every job finished; fails fast when one failed."""
    rows = dict(database.query("SELECT status, count(*) FROM jobs GROUP BY status"))
    assert "FAILED" not in rows, database.query("SELECT actor, error FROM jobs")
    return rows.get("SUCCEEDED", 0) == expected


async def test_monthly_statements_render_as_pdfs_in_both_languages(
    runtime, tenants, database, relay, worker
):
    # given
    await seed_ledger(runtime, tenants["acme"])
    # when: the month's statement job, asked for twice (a scheduler catch-up)
    for _ in range(2):
        await ask(
            runtime,
            tenants["acme"],
            job.MONTHLY_STATEMENTS,
            job.Period(date(2026, 9, 1)),
            "statements:2026-09",
        )
    # then: one statement job, one render job per statement and language
    await wait_for(lambda: all_done(database, 1 + 3 * 2), 120)
    docs = database.query(
        "SELECT s.closing_minor, d.lang, substr(d.pdf, 1, 5) FROM statement_documents d "
        "JOIN statements s ON s.id = d.statement_id ORDER BY 1, 2"
    )
    assert [(closing, lang) for closing, lang, _ in docs] == [
        (10000, "en"),
        (10000, "zh-CN"),
        (20000, "en"),
        (20000, "zh-CN"),
        (30000, "en"),
        (30000, "zh-CN"),
    ]
    assert {bytes(head) for _, _, head in docs} == {b"%PDF-"}


async def test_daily_and_month_end_jobs_run_in_the_worker_and_twice_change_nothing(
    runtime, tenants, database, relay, worker
):
    # given
    await seed_ledger(runtime, tenants["acme"])
    month_end = date(2026, 11, 30)
    jobs: list[tuple[JobSpec[Any], Any]] = [
        (job.AGING_SNAPSHOT, job.AsOf(month_end)),
        (job.DAILY_COLLECTIONS, job.AsOf(month_end)),
        (job.RUN_PROVISIONS, job.PeriodEnd(month_end)),
    ]
    # when: each asked for under two dedupe keys, so each really runs twice
    for run in ("a", "b"):
        for spec, args in jobs:
            await ask(runtime, tenants["acme"], spec, args, f"{spec.name}:{run}")
    # then
    await wait_for(lambda: all_done(database, 6), 90)
    assert database.query("SELECT count(*), sum(overdue_minor) FROM aging_snapshots") == [
        (3, 60000)
    ]
    assert database.query(
        "SELECT stage, owner_role, days_overdue, count(*) FROM collection_cases GROUP BY 1, 2, 3"
    ) == [("CREDIT_MANAGER", "credit_manager", 60, 3)]  # 31-60 days: the credit manager
    assert database.query("SELECT count(*) FROM collection_tasks") == [(3,)]
    runs = database.query("SELECT period_end::text, basis, status FROM provision_runs")
    assert runs == [("2026-11-30", "AGE", "OPEN")]
    # under one year old: 5% of 600.00
    assert database.query("SELECT sum(provision_minor) FROM provision_customer_lines") == [(3000,)]
