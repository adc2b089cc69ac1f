"""The runner owns a job's transaction: its effects and its SUCCEEDED mark commit together.

It is the one writer of a job's RUNNING, SUCCEEDED and FAILED status, so a rerun is safe: a
redelivered message finds the job done, and a killed attempt leaves nothing half-written.
"""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.queries import jobs as job_queries
from services.customers import reviews
from services.uow import Actor, UnitOfWork

Handler = Callable[[UnitOfWork, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _review(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    return await reviews.review_credit_files(uow, date.fromisoformat(args["asOf"]))


async def _provisions(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.closing import provisions

    return await provisions.run_provisions(uow, date.fromisoformat(args["periodEnd"]))


async def _collections(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.collections import workflow as collections

    return await collections.daily_run(uow, date.fromisoformat(args["asOf"]))


async def _snapshot(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.kpis import snapshots

    return await snapshots.take_snapshot(uow, date.fromisoformat(args["asOf"]))


async def _statements(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.statements import monthly as statements

    return await statements.generate(uow, date.fromisoformat(args["period"]))


async def _render_statement(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.statements import monthly as statements

    return await statements.render(uow, UUID(args["statementId"]), args["lang"])


HANDLERS: dict[str, Handler] = {
    "monthly_statements": _statements,
    "render_statement": _render_statement,
    "aging_snapshot": _snapshot,
    reviews.JOB_ACTOR: _review,
    "run_provisions": _provisions,
    "daily_collections": _collections,
}


async def run_job(engine: AsyncEngine, tenant_id: str, job_id: str) -> str:
    """Run one job at most once to success; a redelivered message finds it done and stops."""
    actor = Actor(f"job:{job_id}")
    async with UnitOfWork(engine, tenant_id, actor) as uow:
        row = await job_queries.lock(uow.conn, UUID(job_id))
        if row is None:
            return "MISSING"
        if row.done:
            return "ALREADY_DONE"
        await job_queries.mark_running(uow.conn, row.id)
        await uow.commit()
    try:
        async with UnitOfWork(engine, tenant_id, actor) as uow:
            locked = await job_queries.lock(uow.conn, row.id)
            if locked is None or locked.done:  # a concurrent delivery finished first
                return "ALREADY_DONE"
            result = await HANDLERS[row.actor](uow, row.args)
            await job_queries.mark_succeeded(uow.conn, row.id, result)
            await uow.commit()
            return "SUCCEEDED"
    except Exception:
        async with UnitOfWork(engine, tenant_id, actor) as uow:
            await job_queries.mark_failed(uow.conn, row.id, traceback.format_exc(limit=5))
            await uow.commit()
        raise
