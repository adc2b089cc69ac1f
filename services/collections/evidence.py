"""The evidence chain export: a customer's collection activities as CSV."""

from __future__ import annotations

import csv
import io
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.ledger_tables import activities
from dbschema.tables import customers
from services.uow import SYSTEM, UnitOfWork


async def activities_csv(engine: AsyncEngine, tenant_id: UUID, customer_id: UUID) -> str | None:
    """The customer's activities as CSV (the evidence chain a court would ask for)."""
    async with UnitOfWork(engine, tenant_id, SYSTEM) as uow:
        code = await uow.conn.scalar(
            sa.select(customers.c.code).where(customers.c.id == customer_id)
        )
        if code is None:
            return None
        rows = (
            await uow.conn.execute(
                sa.select(activities)
                .where(activities.c.customer_id == customer_id)
                .order_by(activities.c.occurred_at, activities.c.created_at)
            )
        ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "customer",
            "occurred_at",
            "kind",
            "outcome",
            "notes",
            "document_ref",
            "recorded_by",
            "recorded_at",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                code,
                r.occurred_at.isoformat(),
                r.kind,
                r.outcome or "",
                r.notes or "",
                r.document_ref or "",
                r.created_by,
                r.created_at.isoformat(),
            ]
        )
    return out.getvalue()
