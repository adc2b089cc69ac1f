"""Job bookkeeping: a job's effects and its SUCCEEDED mark commit together, so reruns are safe."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.tables import jobs
from services.customers import reviews
from services.uow import Actor, UnitOfWork

Handler = Callable[[UnitOfWork, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _review(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    return asdict(await reviews.review_credit_files(uow, date.fromisoformat(args["asOf"])))


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
        row = (
            await uow.conn.execute(
                sa.select(jobs).where(jobs.c.id == UUID(job_id)).with_for_update()
            )
        ).first()
        if row is None:
            return "MISSING"
        if row.status == "SUCCEEDED":
            return "ALREADY_DONE"
        await uow.conn.execute(
            jobs.update()
            .where(jobs.c.id == row.id)
            .values(status="RUNNING", started_at=sa.func.now(), attempts=jobs.c.attempts + 1)
        )
        await uow.commit()
    try:
        async with UnitOfWork(engine, tenant_id, actor) as uow:
            locked = (
                await uow.conn.execute(
                    sa.select(jobs.c.status).where(jobs.c.id == row.id).with_for_update()
                )
            ).scalar()
            if locked == "SUCCEEDED":  # a concurrent delivery finished first
                return "ALREADY_DONE"
            result = await HANDLERS[row.actor](uow, dict(row.args))
            await uow.conn.execute(
                jobs.update()
                .where(jobs.c.id == row.id)
                .values(status="SUCCEEDED", finished_at=sa.func.now(), result=result, error=None)
            )
            await uow.commit()
            return "SUCCEEDED"
    except Exception:
        async with UnitOfWork(engine, tenant_id, actor) as uow:
            await uow.conn.execute(
                jobs.update()
                .where(jobs.c.id == row.id)
                .values(
                    status="FAILED",
                    finished_at=sa.func.now(),
                    error=traceback.format_exc(limit=5)[-4000:],
                )
            )
            await uow.commit()
        raise
