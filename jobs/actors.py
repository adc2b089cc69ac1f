"""Actors, generated: one per job spec, each a thin call of its service through the runner.

`WORK` binds every spec of `services.jobs.catalogue` to the service call it makes; the actor's
name, queue and retry options come from the spec alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dramatiq

from infra import settings as settings_module
from infra.runtime import Runtime, open_runtime
from jobs.runner import Work, run_job, runs
from services.closing import provisions
from services.collections import workflow as collections
from services.credit import scoring, sweeps
from services.customers import reviews
from services.delivery import outbox
from services.jobs import catalogue as job
from services.kpis import snapshots
from services.risk import documents as risk_documents
from services.risk import factoring_ledger, guarantee_sweep, insurance_clock, insurance_declarations
from services.statements import monthly as statements
from services.statements import sending
from services.uow import UnitOfWork
from services.warnings import engine as warning_rules

_runtime: Runtime | None = None


async def _provisions(uow: UnitOfWork, period_end: date) -> dict[str, Any]:
    """A provision run, with the job result it has always recorded."""
    return provisions.run_details(await provisions.run_provisions(uow, period_end))


WORK = (
    runs(job.REVIEW_CREDIT_FILES, lambda uow, a: reviews.review_credit_files(uow, a.as_of)),
    runs(job.DAILY_COLLECTIONS, lambda uow, a: collections.daily_run(uow, a.as_of)),
    runs(job.AGING_SNAPSHOT, lambda uow, a: snapshots.take_snapshot(uow, a.as_of)),
    runs(job.WARNING_RULES, lambda uow, a: warning_rules.run_rules(uow, a.as_of)),
    runs(
        job.WARNING_RULES_NOW,
        lambda uow, a: warning_rules.run_rules(uow, a.as_of, only=[a.customer_id]),
    ),
    runs(job.RUN_PROVISIONS, lambda uow, a: _provisions(uow, a.period_end)),
    runs(job.MONTHLY_STATEMENTS, lambda uow, a: statements.generate(uow, a.period)),
    runs(job.RENDER_STATEMENT, lambda uow, a: statements.render(uow, a.statement_id, a.lang)),
    runs(job.INSURANCE_SWEEP, lambda uow, a: insurance_clock.sweep(uow, a.as_of)),
    runs(job.FACTORING_DAILY, lambda uow, a: factoring_ledger.daily(uow, a.as_of)),
    runs(job.INSURANCE_DECLARATIONS, lambda uow, a: insurance_declarations.declare(uow, a.period)),
    runs(
        job.RENDER_RISK_DOCUMENT,
        lambda uow, a: risk_documents.render(uow, a.document_id, a.lang),
    ),
    runs(job.GUARANTEE_SWEEP, lambda uow, a: guarantee_sweep.sweep(uow, a.as_of)),
    runs(job.RESCORE_CHANGED, lambda uow, a: scoring.rescore_changed(uow, a.as_of)),
    runs(job.CREDIT_SWEEP, lambda uow, a: sweeps.daily_sweep(uow, a.as_of)),
    runs(job.RECLASSIFY, lambda uow, a: scoring.rescore_all(uow, a.period, apply=True)),
    runs(job.SEND_STATEMENT, lambda uow, a: sending.send_new_statement(uow, a.statement_id)),
    runs(job.DELIVER_DOCUMENT, lambda uow, a: outbox.deliver(uow, a.delivery_id)),
)


def _worker_runtime() -> Runtime:
    """One runtime (engine and clock) per worker process, bound to the AsyncIO middleware's
    event loop."""
    global _runtime
    if _runtime is None:
        _runtime = open_runtime(settings_module.load())
    return _runtime


def _actor(work: Work[Any]) -> dramatiq.Actor[[str, str], None]:
    """The actor of one spec: its name, queue and retry policy, running through the runner."""

    async def perform(tenant_id: str, job_id: str) -> None:
        runtime = _worker_runtime()
        await run_job(runtime.engine, work, tenant_id, job_id, runtime.clock)

    perform.__doc__ = f"Run a stored {work.spec.name} job (a finished job is not rerun)."
    declare = dramatiq.actor(
        actor_name=work.spec.name, queue_name=work.spec.queue, **work.spec.retry.actor_options()
    )
    return declare(perform)


ACTORS = {work.spec.name: _actor(work) for work in WORK}
