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


_S = statements.c
_COLUMNS = (
    _S.id,
    _S.customer_id,
    _S.period,
    _S.currency,
    _S.opening_minor,
    _S.closing_minor,
    _S.content,
    _S.status,
    _S.status_by,
    _S.status_at,
    _S.status_note,
)


def _record(r: Any) -> StatementRecord:
    return StatementRecord(
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


async def statements_list(
    session: ReadSession, customer_id: UUID | None, period: date | None
) -> list[StatementRecord]:
    """Statements, newest period first."""
    query = sa.select(*_COLUMNS).order_by(_S.period.desc(), _S.customer_id).limit(LIST_LIMIT)
    if customer_id is not None:
        query = query.where(_S.customer_id == customer_id)
    if period is not None:
        query = query.where(_S.period == period.replace(day=1))
    rows = await session.run(lambda conn: fetch_all(conn, query))
    return [_record(r) for r in rows]


async def statements_by_ids(session: ReadSession, ids: list[UUID]) -> list[StatementRecord | None]:
    """Statements by id, in the order asked, None where not found (for `node`)."""
    query = sa.select(*_COLUMNS).where(_S.id.in_(ids))
    found = {r.id: _record(r) for r in await session.run(lambda conn: fetch_all(conn, query))}
    return [found.get(i) for i in ids]
