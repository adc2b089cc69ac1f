"""Reads for provisions, write-offs and the bad-debt case library."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import (
    bad_debt_cases,
    provision_customer_lines,
    provision_runs,
    write_off_proposals,
)
from services.read_session import ReadSession

LIST_LIMIT = 100  #: lists here are short; newest first, capped


async def _rows(session: ReadSession, query: Any) -> list[dict[str, Any]]:
    async def run(conn: AsyncConnection) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await conn.execute(query)]

    return await session.run(run)


async def provision_runs_list(
    session: ReadSession, period_end: date | None
) -> list[dict[str, Any]]:
    """Runs newest first, or the run of one period."""
    query = sa.select(provision_runs).order_by(provision_runs.c.period_end.desc()).limit(LIST_LIMIT)
    if period_end is not None:
        query = query.where(provision_runs.c.period_end == period_end)
    return await _rows(session, query)


async def proposals(session: ReadSession, status: str | None) -> list[dict[str, Any]]:
    """Write-off proposals newest first."""
    query = (
        sa.select(write_off_proposals)
        .order_by(write_off_proposals.c.created_at.desc())
        .limit(LIST_LIMIT)
    )
    if status:
        query = query.where(write_off_proposals.c.status == status)
    return await _rows(session, query)


async def proposal(session: ReadSession, proposal_id: Any) -> dict[str, Any] | None:
    """One proposal."""
    rows = await _rows(
        session, sa.select(write_off_proposals).where(write_off_proposals.c.id == proposal_id)
    )
    return rows[0] if rows else None


async def cases(session: ReadSession) -> list[dict[str, Any]]:
    """The bad-debt case library, newest first."""
    return await _rows(
        session,
        sa.select(bad_debt_cases).order_by(bad_debt_cases.c.created_at.desc()).limit(LIST_LIMIT),
    )


async def provision_customer_page(
    session: ReadSession,
    run_id: UUID,
    customer_id: UUID | None,
    after: tuple[int, str, str] | None,
    first: int,
) -> list[dict[str, Any]]:
    """Customer lines of a run, largest provision first (keyset paging), one more than asked."""
    table = provision_customer_lines
    query = sa.select(table).where(table.c.run_id == run_id)
    if customer_id is not None:
        query = query.where(table.c.customer_id == customer_id)
    if after is not None:
        provision, customer, currency = after
        query = query.where(
            sa.or_(
                table.c.provision_minor < provision,
                sa.and_(
                    table.c.provision_minor == provision,
                    sa.tuple_(table.c.customer_id, table.c.currency)
                    > sa.tuple_(sa.cast(customer, table.c.customer_id.type), currency),
                ),
            )
        )
    query = query.order_by(
        table.c.provision_minor.desc(), table.c.customer_id, table.c.currency
    ).limit(first + 1)
    return await _rows(session, query)
