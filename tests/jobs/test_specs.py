"""Job specs: each has its actor on the worker's broker, the schedule names only specs, and the
stored argument format (camelCase JSON) is the one job rows have always had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, fields
from datetime import date, timedelta
from uuid import UUID

import pytest

from jobs.actors import WORK
from jobs.schedule import due_jobs
from services.jobs import catalogue as job
from services.jobs.catalogue import BY_NAME, SPECS
from services.jobs.catalogue import STORED as STORED_SPECS
from services.jobs.spec import JobSpec, Retry, to_json

STATEMENT = UUID("6f1c1a52-3d2e-4f57-9a43-0c6b8f2e9d10")

#: One example per spec, with the JSON that job rows hold for it (and held before specs).
STORED = [
    (job.REVIEW_CREDIT_FILES, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.DAILY_COLLECTIONS, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.AGING_SNAPSHOT, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.WARNING_RULES, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (
        job.WARNING_RULES_NOW,
        job.CustomerEvent(STATEMENT, date(2026, 11, 30), "PAYMENT_REVERSED"),
        {"customerId": str(STATEMENT), "asOf": "2026-11-30", "cause": "PAYMENT_REVERSED"},
    ),
    (job.RUN_PROVISIONS, job.PeriodEnd(date(2026, 11, 30)), {"periodEnd": "2026-11-30"}),
    (job.MONTHLY_STATEMENTS, job.Period(date(2026, 11, 1)), {"period": "2026-11-01"}),
    (
        job.RENDER_STATEMENT,
        job.StatementPdf(STATEMENT, "zh-CN"),
        {"statementId": str(STATEMENT), "lang": "zh-CN"},
    ),
    (job.INSURANCE_SWEEP, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.FACTORING_DAILY, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.INSURANCE_DECLARATIONS, job.Period(date(2026, 10, 1)), {"period": "2026-10-01"}),
    (
        job.RENDER_RISK_DOCUMENT,
        job.RiskDocumentPdf(STATEMENT, "en"),
        {"documentId": str(STATEMENT), "lang": "en"},
    ),
    (job.GUARANTEE_SWEEP, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.RESCORE_CHANGED, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.CREDIT_SWEEP, job.AsOf(date(2026, 11, 30)), {"asOf": "2026-11-30"}),
    (job.RECLASSIFY, job.Period(date(2026, 11, 1)), {"period": "2026-11-01"}),
    (job.SEND_STATEMENT, job.StatementRef(STATEMENT), {"statementId": str(STATEMENT)}),
    (job.DELIVER_DOCUMENT, job.DocumentDelivery(STATEMENT), {"deliveryId": str(STATEMENT)}),
]


def test_every_spec_has_an_actor_with_its_queue_and_retry_policy(database):
    # given: the worker process imports jobs.worker; ask its broker what it registered
    env = {**os.environ, "DATABASE_URL": database.owner_url, "BROKER_URL": "postgres"}
    script = (
        "import json, dramatiq, jobs.worker\n"
        "broker = dramatiq.get_broker()\n"
        "print(json.dumps({name: [broker.get_actor(name).queue_name, broker.get_actor(name)"
        ".options] for name in broker.get_declared_actors()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True, text=True
    )
    registered = json.loads(out.stdout.strip().splitlines()[-1])
    # then: one actor per spec, no other, each with the spec's queue and retry options
    assert registered == {spec.name: [spec.queue, spec.retry.actor_options()] for spec in SPECS}


def test_every_spec_is_bound_to_one_service_call():
    assert sorted(w.spec.name for w in WORK) == sorted(spec.name for spec in STORED_SPECS)
    assert len(BY_NAME) == len(SPECS)


def test_every_scheduled_job_names_a_spec():
    day = date(2026, 1, 1)
    while day.year == 2026:
        for due in due_jobs(day):
            assert BY_NAME[due.spec.name] is due.spec
            assert due.spec.decode(due.spec.encode(due.args)) == due.args
        day += timedelta(days=1)


@pytest.mark.parametrize(("spec", "args", "stored"), STORED, ids=lambda v: getattr(v, "name", ""))
def test_arguments_are_stored_as_job_rows_always_held_them(spec, args, stored):
    assert {s.name for s, _, _ in STORED} == {s.name for s in STORED_SPECS}
    assert spec.encode(args) == stored
    assert spec.decode(stored) == args  # a row queued before the change still runs
    snake = dict(zip([f.name for f in fields(args)], stored.values(), strict=True))
    assert spec.decode(snake) == args  # snake_case keys read the same


def test_wrong_or_unknown_arguments_are_refused():
    with pytest.raises(TypeError):
        job.RUN_PROVISIONS.encode(job.AsOf(date(2026, 11, 30)))
    with pytest.raises(ValueError, match="unknown argument"):
        job.RUN_PROVISIONS.decode({"periodEnd": "2026-11-30", "extra": 1})
    with pytest.raises(TypeError):
        job.RUN_PROVISIONS.decode({})


def test_a_spec_refuses_arguments_it_cannot_store():
    @dataclass(frozen=True)
    class Floaty:
        rate: float

    with pytest.raises(TypeError, match="unsupported type"):
        JobSpec("floaty", Floaty, Retry(1, timedelta(0), timedelta(0), timedelta(seconds=1)))


def test_results_are_stored_as_json_with_camel_case_fields():
    @dataclass(frozen=True)
    class Outcome:
        period_end: date
        statement_ids: tuple[UUID, ...]

    assert to_json(Outcome(date(2026, 11, 30), (STATEMENT,))) == {
        "periodEnd": "2026-11-30",
        "statementIds": [str(STATEMENT)],
    }
    assert to_json({"reviewed": 3, "raised": 6}) == {"reviewed": 3, "raised": 6}
