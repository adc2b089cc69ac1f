"""Job bookkeeping: a job's effects and its SUCCEEDED mark commit together, so reruns are safe."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.tables import jobs
from services.customers import reviews
from services.uow import Actor, UnitOfWork

Handler = Callable[[UnitOfWork, dict[str, Any]], Awaitable[dict[str, Any]]]


def _json(value: Any) -> Any:
    """A service's typed result as JSON: dataclass fields under camelCase keys."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name.split("_")[0] + "".join(p.title() for p in f.name.split("_")[1:]): _json(
                getattr(value, f.name)
            )
            for f in dataclasses.fields(value)
        }
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _stored(result: object) -> dict[str, Any]:
    """A job's typed result as its stored JSON object."""
    stored = _json(result)
    assert isinstance(stored, dict)
    return stored


async def _review(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    return await reviews.review_credit_files(uow, date.fromisoformat(args["asOf"]))


async def _provisions(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.closing import provisions

    return await provisions.run_provisions(uow, date.fromisoformat(args["periodEnd"]))


async def _collections(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.collections import workflow as collections

    return _stored(await collections.daily_run(uow, date.fromisoformat(args["asOf"])))


async def _snapshot(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.kpis import snapshots

    return await snapshots.take_snapshot(uow, date.fromisoformat(args["asOf"]))


async def _statements(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.statements import monthly as statements

    return _stored(await statements.generate(uow, date.fromisoformat(args["period"])))


async def _render_statement(uow: UnitOfWork, args: dict[str, Any]) -> dict[str, Any]:
    from services.statements import monthly as statements

    return _stored(await statements.render(uow, UUID(args["statementId"]), args["lang"]))


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
