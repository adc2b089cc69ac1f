"""The risk-transfer jobs run through the runner: the day's sweep, the factoring run, the
monthly declaration and a document render each commit their effects with their SUCCEEDED mark,
and the schedule asks for each once per day or month."""

from __future__ import annotations

from datetime import date, timedelta

from jobs.actors import WORK
from jobs.runner import run_job
from jobs.schedule import due_jobs
from services.jobs import catalogue as job
from services.jobs.requests import request_job
from services.risk import factoring, insurance_notifications
from tests.services.risk_fixtures import cover, customer, invoice, pay, policy, uow_for
from tests.services.test_risk_factoring import terms

BY_SPEC = {w.spec.name: w for w in WORK}


async def _run(runtime, tenant, spec, args):  # type: ignore[no-untyped-def]
    async with uow_for(runtime, tenant) as uow:
        job_id = await request_job(uow, spec, args)
        await uow.commit()
    outcome = await run_job(runtime.engine, BY_SPEC[spec.name], str(tenant), str(job_id))
    again = await run_job(runtime.engine, BY_SPEC[spec.name], str(tenant), str(job_id))
    return outcome, again


async def test_each_risk_job_runs_once_to_success(runtime, tenants, database):
    tenant = tenants["acme"]
    async with uow_for(runtime, tenant) as uow:
        c = await customer(uow, "JOB-1", "A")
        p = await policy(uow)
        await cover(uow, p, c, "10000.00", date(2026, 1, 15))
        inv = await invoice(uow, c, "J-1", date(2026, 3, 1), date(2026, 3, 31), "5000.00")
        told = await insurance_notifications.notify_insurer(uow, c, [inv], date(2026, 4, 15))
        agreement = (await factoring.create_agreement(uow, terms("JOB"))).id
        sold = await invoice(uow, c, "J-2", date(2026, 5, 1), date(2026, 5, 31), "100.00")
        await factoring.assign(uow, agreement, [sold], date(2026, 5, 1), "b")
        await pay(uow, c, sold, "100.00", date(2026, 5, 20), "p")
        await uow.commit()
    runs = [
        await _run(runtime, tenant, job.INSURANCE_SWEEP, job.AsOf(date(2026, 7, 1))),
        await _run(runtime, tenant, job.FACTORING_DAILY, job.AsOf(date(2026, 5, 21))),
        await _run(runtime, tenant, job.INSURANCE_DECLARATIONS, job.Period(date(2026, 3, 1))),
        await _run(
            runtime, tenant, job.RENDER_RISK_DOCUMENT, job.RiskDocumentPdf(told.document_id, "en")
        ),
    ]
    assert runs == [("SUCCEEDED", "ALREADY_DONE")] * 4
    results = dict(database.query("SELECT actor, result FROM jobs WHERE status = 'SUCCEEDED'"))
    assert results["insurance_sweep"]["notices"] == {"CLAIM:MISSED": 1, "STOP_DELIVERY:MISSED": 1}
    assert results["factoring_daily"] == {
        "asOf": "2026-05-21",
        "mirrored": 1,
        "settled": 0,  # we received it: owed on to the factor until remitted
        "boughtBack": 0,
    }
    assert results["insurance_declarations"] == {"period": "2026-03-01", "declared": 1}
    assert results["render_risk_document"]["lang"] == "en"
    assert database.query("SELECT count(*) FROM risk_document_pdfs") == [(1,)]


def test_the_schedule_asks_for_the_sweep_and_the_factoring_run_daily_and_declarations_monthly():
    day = date(2026, 12, 3)
    due = {d.spec.name: d for d in due_jobs(day)}
    assert due["insurance_sweep"].dedupe_key == f"insurance:{day}"
    assert due["factoring_daily"].dedupe_key == f"factoring:{day}"
    assert due["insurance_declarations"].args == job.Period(date(2026, 11, 1))
    later = {d.spec.name: d for d in due_jobs(day + timedelta(days=20))}
    assert later["insurance_declarations"].dedupe_key == due["insurance_declarations"].dedupe_key
