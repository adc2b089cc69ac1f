"""Reads of financial analysis: statements page by page, ratios, trends and Z'' per customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_analysis_tables import credit_external_records, financial_statements
from domain.credit.ratios import Ratio, RatioValue, Trend, latest, ratios, trends
from services.credit.external_data import StoredRecord, stored_record
from services.credit.financial_statements import StoredStatement, stored
from services.credit.paging import Page, keyset
from services.paging import Seek
from services.read_session import ReadSession, by_ids

#: An analysis reads at most this many statements of a customer (ten years, two a year).
ANALYSIS_STATEMENTS = 20


@dataclass(frozen=True)
class AnalysedStatement:
    """A statement with its ratios (Z'' is stored on the statement itself)."""

    stored: StoredStatement
    ratios: dict[Ratio, RatioValue]


@dataclass(frozen=True)
class FinancialAnalysis:
    """A customer's statements newest first, the one analysis relies on, and the trends."""

    statements: list[AnalysedStatement]
    latest_id: UUID | None
    trends: list[Trend]


async def statements_page(
    session: ReadSession, customer_id: UUID, first: int, after: Seek | None
) -> Page[StoredStatement]:
    """A customer's statements, latest period first."""
    t = financial_statements
    query = sa.select(t).where(t.c.customer_id == customer_id)
    return await keyset(session, query, t.c.period_end, t.c.id, first, after, stored)


async def statement_rows(session: ReadSession, customer_id: UUID) -> list[StoredStatement]:
    """A customer's newest statements (at most ANALYSIS_STATEMENTS)."""
    t = financial_statements
    query = (
        sa.select(t)
        .where(t.c.customer_id == customer_id)
        .order_by(t.c.period_end.desc(), t.c.id)
        .limit(ANALYSIS_STATEMENTS)
    )

    async def run(conn: AsyncConnection) -> list[StoredStatement]:
        return [stored(dict(r._mapping)) for r in await conn.execute(query)]

    return await session.run(run)


async def financial_analysis(
    session: ReadSession, customer_id: UUID, as_of: date
) -> FinancialAnalysis:
    """Ratios of every statement, the trends over up to five periods, and which statement the
    scorecard reads on `as_of` (domain.credit.ratios.latest, the rule scoring applies too)."""
    rows = await statement_rows(session, customer_id)
    domain_statements = [r.statement for r in rows]
    chosen = latest(domain_statements, as_of)
    latest_id = next((r.id for r in rows if r.statement is chosen), None)
    return FinancialAnalysis(
        statements=[AnalysedStatement(r, ratios(r.statement)) for r in rows],
        latest_id=latest_id,
        trends=trends(domain_statements, as_of),
    )


async def external_records_page(
    session: ReadSession,
    customer_id: UUID,
    kind: str | None,
    first: int,
    after: Seek | None,
) -> Page[StoredRecord]:
    """A customer's external credit records, newest first, of one kind or all."""
    t = credit_external_records
    query = sa.select(t).where(t.c.customer_id == customer_id)
    if kind is not None:
        query = query.where(t.c.kind == kind)
    return await keyset(session, query, t.c.recorded_on, t.c.id, first, after, stored_record)


async def statement_by_id(session: ReadSession, statement_id: UUID) -> StoredStatement | None:
    """One statement of the tenant."""
    t = financial_statements

    async def run(conn: AsyncConnection) -> StoredStatement | None:
        row = (await conn.execute(sa.select(t).where(t.c.id == statement_id))).first()
        return stored(dict(row._mapping)) if row else None

    return await session.run(run)


async def external_record_by_id(session: ReadSession, record_id: UUID) -> StoredRecord | None:
    """One external record of the tenant."""
    t = credit_external_records

    async def run(conn: AsyncConnection) -> StoredRecord | None:
        row = (await conn.execute(sa.select(t).where(t.c.id == record_id))).first()
        return stored_record(dict(row._mapping)) if row else None

    return await session.run(run)


async def statements_by_ids(session: ReadSession, ids: list[UUID]) -> list[StoredStatement | None]:
    """Statements in the order asked (for `node`), None where the tenant has none."""
    t = financial_statements
    return await by_ids(session, sa.select(t), t.c.id, ids, lambda r: stored(dict(r._mapping)))


async def external_records_by_ids(
    session: ReadSession, ids: list[UUID]
) -> list[StoredRecord | None]:
    """External records in the order asked (for `node`), None where the tenant has none."""
    t = credit_external_records
    return await by_ids(
        session, sa.select(t), t.c.id, ids, lambda r: stored_record(dict(r._mapping))
    )
