"""Monthly statements at scale: 1,000 customers, zh-CN and en (2,000 PDFs), rendered by two
worker processes through the real outbox, relay and Dramatiq path."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

from benchmarks.harness import ROOT, Bench, database
from infra.tenants import create_tenant

STATEMENT_CUSTOMERS = 1_000
TODAY = date.today()


def seed_statement_tenant(bench: Bench) -> tuple[str, date]:
    """A second tenant: 1,000 customers, each with invoices and a payment last month."""
    tenant_id, _ = create_tenant(bench.owner_url, "bench-statements", "Statements Bench")
    period = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    bench.sql(
        """INSERT INTO customers (tenant_id, code, legal_name, country, contacts)
           SELECT %s, 'S-' || lpad(g::text, 5, '0'), '对账客户 ' || g, 'CN', '[]'::jsonb
             FROM generate_series(1, %s) g""",
        tenant_id,
        STATEMENT_CUSTOMERS,
    )
    bench.sql(
        """INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency,
               amount_minor, open_minor, fingerprint, created_by)
           SELECT c.tenant_id, 'S-INV-' || c.code || '-' || k, c.id, %s + k * 7, %s + k * 7 + 30,
                  'CNY', 100000 * k, 100000 * k, 'bench', 'bench'
             FROM customers c CROSS JOIN generate_series(1, 3) k WHERE c.tenant_id = %s""",
        period,
        period,
        tenant_id,
    )
    return str(tenant_id), period


def measure(bench: Bench) -> dict[str, Any]:
    """The monthly statement job for 1,000 customers, rendered in zh-CN and en by a real
    Dramatiq worker with 2 processes; timed from the request to the last PDF stored."""
    tenant_id, period = seed_statement_tenant(bench)
    env = {**bench.env(), "BROKER_URL": "postgres"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "worker", "--processes", "2", "--threads", "2"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # workers import and connect before the clock starts
        start = time.perf_counter()
        asyncio.run(_request_statements(bench, tenant_id, period))
        expected = 1 + 2 * STATEMENT_CUSTOMERS
        deadline = time.monotonic() + 900
        while True:
            done, failed = bench.sql(
                "SELECT count(*) FILTER (WHERE status = 'SUCCEEDED'), "
                "count(*) FILTER (WHERE status = 'FAILED') FROM jobs WHERE tenant_id = %s",
                tenant_id,
            )[0]
            if failed:
                raise RuntimeError(f"{failed} statement jobs failed")
            if done == expected:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"statements unfinished after 900 s: {done}/{expected}")
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    pdfs, size = bench.sql(
        "SELECT count(*), sum(length(pdf)) FROM statement_documents WHERE tenant_id = %s",
        tenant_id,
    )[0]
    return {
        "customers": STATEMENT_CUSTOMERS,
        "pdfs": pdfs,
        "megabytes": round(int(size) / 1e6, 1),
        "seconds": round(elapsed, 1),
        "pdfs_per_s": round(int(pdfs) / elapsed, 1),
    }


async def _request_statements(bench: Bench, tenant_id: str, period: date) -> None:
    """Ask for the month's statements through the outbox and relay until all are sent."""
    from infra.runtime import open_runtime
    from infra.settings import load
    from jobs.broker import make_broker
    from jobs.relay import Relay
    from services.jobs.catalogue import MONTHLY_STATEMENTS, Period
    from services.jobs.requests import request_job
    from services.uow import UnitOfWork

    os.environ.update(
        {
            "DATABASE_URL": bench.owner_url,
            "APP_DATABASE_URL": bench.app_url,
            "BROKER_URL": "postgres",
        }
    )
    settings = load()
    runtime = open_runtime(settings)
    broker = make_broker(settings)
    try:
        async with UnitOfWork(runtime.engine, tenant_id) as uow:
            await request_job(uow, MONTHLY_STATEMENTS, Period(period))
            await uow.commit()
        relay = Relay(runtime, broker)
        task = asyncio.create_task(relay.run())
        expected = 1 + 2 * STATEMENT_CUSTOMERS
        while True:  # the relay forwards the render jobs the statement job queues
            sent = bench.sql(
                "SELECT count(*) FROM jobs WHERE tenant_id = %s AND status <> 'PENDING'",
                tenant_id,
            )[0][0]
            if sent >= expected:
                break
            await asyncio.sleep(0.5)
        relay.stop()
        await task
    finally:
        broker.close()
        await runtime.close()


def report(figures: dict[str, Any]) -> None:
    """One line, against the floor."""
    verdict = "ok" if figures["seconds"] <= 300 else "BELOW FLOOR"
    print(
        f"statements: {figures['pdfs']} PDFs for {figures['customers']} customers in "
        f"{figures['seconds']} s with 2 worker processes ({figures['pdfs_per_s']} PDFs/s, "
        f"{figures['megabytes']} MB) [floor 300 s: {verdict}]"
    )


def main() -> None:
    """Run on its own database: `python -m benchmarks.statements` (the receivables benchmark
    runs it too, beside its 1M-invoice tenant)."""
    with database() as bench:
        report(measure(bench))


if __name__ == "__main__":
    main()
