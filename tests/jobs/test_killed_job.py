"""A worker killed in the middle of a month-end run: no partial period, and the job runs again."""

from __future__ import annotations

import os
import signal
from datetime import date

import psycopg

from services.jobs.catalogue import RUN_PROVISIONS, PeriodEnd
from tests.conftest import Database
from tests.jobs.conftest import start_worker, stop_process, wait_for
from tests.jobs.test_receivables_jobs import ask, seed_ledger

FAST_REAPING = {"BROKER_HEARTBEAT_TTL": "2"}  #: a silent worker counts as dead after 2 s


def waiting_on_lines(database: Database) -> bool:
    """The run has written its run row and now waits to write its lines."""
    rows = database.query(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'provision_customer_lines' AND NOT l.granted"
    )
    return rows[0][0] > 0


async def test_killed_provision_run_leaves_nothing_and_runs_again(
    runtime, tenants, database, relay
):
    # given: a month-end run that will block half-way, after writing its run row
    await seed_ledger(runtime, tenants["acme"])
    blocker = psycopg.connect(database.owner_url)
    blocker.execute("LOCK TABLE provision_customer_lines IN EXCLUSIVE MODE")
    worker = start_worker(database, "postgres", FAST_REAPING)
    try:
        await ask(runtime, tenants["acme"], RUN_PROVISIONS, PeriodEnd(date(2026, 11, 30)), "k")
        await wait_for(lambda: waiting_on_lines(database), 45)
        # when: the worker dies mid-run
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
        stop_process(worker)
    # then: the half-written period is gone with the dead worker's transaction
    await wait_for(lambda: not waiting_on_lines(database), 30)
    assert database.query("SELECT count(*) FROM provision_runs") == [(0,)]
    assert database.query("SELECT status FROM jobs") == [("RUNNING",)]
    # when: another worker starts, the broker hands it the dead worker's message
    second = start_worker(database, "postgres", FAST_REAPING)
    try:
        await wait_for(lambda: database.query("SELECT status FROM jobs") == [("SUCCEEDED",)], 60)
    finally:
        output = stop_process(second)
    # then: the period is complete, once
    assert database.query("SELECT count(*), min(status) FROM provision_runs") == [(1, "OPEN")], (
        output
    )
    assert database.query(
        "SELECT sum(cardinality(invoice_ids)), sum(provision_minor) FROM provision_customer_lines"
    ) == [(3, 3000)]
    assert database.query("SELECT attempts FROM jobs") == [(2,)]
