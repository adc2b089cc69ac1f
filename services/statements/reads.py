"""Statement reads for the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import statements
from domain.money import Money
from services.collections.reads import LIST_LIMIT
from services.read_session import ReadSession, fetch_all


@dataclass(frozen=True)
class StatementRecord:
    """A monthly statement as stored: balances, the printed content, the customer's answer."""

    id: UUID
    customer_id: UUID
    period: date
    opening: Money
    closing: Money
    content: dict[str, Any]
    status: str
    status_by: str | None
    status_at: datetime | None
    status_note: str | None


async def statements_list(
    session: ReadSession, customer_id: UUID | None, period: date | None
) -> list[StatementRecord]:
    """Statements, newest period first."""
    s = statements.c
    query = (
        sa.select(
            s.id,
            s.customer_id,
            s.period,
            s.currency,
            s.opening_minor,
            s.closing_minor,
            s.content,
            s.status,
            s.status_by,
            s.status_at,
            s.status_note,
        )
        .order_by(s.period.desc(), s.customer_id)
        .limit(LIST_LIMIT)
    )
    if customer_id is not None:
        query = query.where(s.customer_id == customer_id)
    if period is not None:
        query = query.where(s.period == period.replace(day=1))
    rows = await session.run(lambda conn: fetch_all(conn, query))
    return [
        StatementRecord(
            id=r.id,
            customer_id=r.customer_id,
            period=r.period,
            opening=Money(r.opening_minor, r.currency.strip()),
            closing=Money(r.closing_minor, r.currency.strip()),
            content=r.content,
            status=r.status,
            status_by=r.status_by,
            status_at=r.status_at,
            status_note=r.status_note,
        )
        for r in rows
    ]
