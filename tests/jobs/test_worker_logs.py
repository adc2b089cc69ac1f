"""The worker process logs one JSON object a line, like the API, and WeasyPrint's progress
lines stay below INFO even while it renders a document."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.risk import insurance_notifications
from tests.jobs.conftest import stop_process, wait_for, worker_env
from tests.services.risk_fixtures import cover, customer, invoice, policy, uow_for

#: `credit worker`, and dramatiq's own command on the entry module (no plain format of its own)
COMMANDS = {
    "credit-worker": ["-m", "api.cli", "worker", "--processes", "1", "--threads", "1"],
    "dramatiq": ["-m", "dramatiq", "jobs.worker", "--skip-logging", "--processes", "1"],
}


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_the_worker_logs_json_lines(runtime, tenants, database, relay, command):
    # given a risk document waiting to be rendered, and a worker process
    tenant = tenants["acme"]
    async with uow_for(runtime, tenant) as uow:
        c = await customer(uow, "LOG-1", "A")
        p = await policy(uow)
        await cover(uow, p, c, "10000.00", date(2026, 1, 15))
        inv = await invoice(uow, c, "L-1", date(2026, 3, 1), date(2026, 3, 31), "5000.00")
        told = await insurance_notifications.notify_insurer(uow, c, [inv], date(2026, 4, 15))
        await request_job(
            uow, job.RENDER_RISK_DOCUMENT, job.RiskDocumentPdf(told.document_id, "en")
        )
        await uow.commit()
    proc = _start(COMMANDS[command], worker_env(database, "postgres", {"LOG_LEVEL": "INFO"}))
    # when it renders the document and stops
    try:
        await wait_for(
            lambda: database.query(
                "SELECT 1 FROM jobs WHERE actor = 'render_risk_document' AND status = 'SUCCEEDED'"
            ),
            60,
        )
    finally:
        printed = stop_process(proc)
    # then every line it printed is a JSON object, and none is WeasyPrint's at INFO or below
    lines = [line for line in printed.splitlines() if line.strip()]
    assert lines, "the worker printed nothing at INFO"
    entries = [json.loads(line) for line in lines]
    assert all({"ts", "level", "logger", "msg"} <= set(e) for e in entries)
    assert any(e["logger"].startswith("dramatiq.WorkerProcess") for e in entries)
    assert not [
        e
        for e in entries
        if e["logger"].startswith(("weasyprint", "fontTools")) and e["level"] in ("DEBUG", "INFO")
    ]
