"""The monthly insured-turnover declaration (投保申报) and its premium, one per policy and month.

Insured turnover is the amount of the invoices delivered in the month that were insured at
delivery (a cover in effect, terms within the maximum credit period); the premium is the
policy's rate on it. A declaration, once made, is kept: running the month again adds nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.queries import risk_insurance as q
from dbschema.risk_insurance_tables import insurance_declarations, insurance_policies
from domain.dates import check_date
from domain.risk.transfer import share_half_up
from services.read_session import ReadSession
from services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Declaration:
    """One policy's declaration for one month."""

    id: UUID
    policy_id: UUID
    period: date
    currency: str
    invoice_count: int
    insured_turnover_minor: int
    premium_rate_percent: Decimal
    premium_minor: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeclarationRun:
    """What a month's run did."""

    period: date
    declared: int  #: declarations made now (policies already declared are kept)


def month(period: date) -> tuple[date, date]:
    """First and last day of the period's month."""
    start = period.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


async def declare(uow: UnitOfWork, period: date) -> DeclarationRun:
    """Declare the month for every policy whose period overlaps it (idempotent per month)."""
    start, end = month(check_date(period, "period") or period)
    found = {r.policy_id: r for r in await q.turnover(uow.conn, start, end)}
    p = insurance_policies.c
    policies = await uow.conn.execute(
        sa.select(p.id, p.currency, p.premium_rate_percent).where(
            p.starts_on <= end, p.ends_on >= start
        )
    )
    declared = 0
    for policy in policies:
        row = found.get(policy.id)
        turnover = int(row.turnover) if row else 0
        rate = Decimal(policy.premium_rate_percent)
        made = await uow.conn.scalar(
            insert(insurance_declarations)
            .values(
                tenant_id=uow.tenant_id,
                policy_id=policy.id,
                period=start,
                currency=policy.currency,
                invoice_count=int(row.invoices) if row else 0,
                insured_turnover_minor=turnover,
                premium_rate_percent=rate,
                premium_minor=share_half_up(turnover, rate),
                created_by=uow.actor.subject,
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "policy_id", "period"])
            .returning(insurance_declarations.c.id)
        )
        declared += made is not None
    return DeclarationRun(start, declared)


def declaration_of(row: Any) -> Declaration:
    """A declaration from its row."""
    return Declaration(
        row.id,
        row.policy_id,
        row.period,
        row.currency.strip(),
        row.invoice_count,
        row.insured_turnover_minor,
        Decimal(row.premium_rate_percent),
        row.premium_minor,
        row.created_at,
    )


async def declarations_for(session: ReadSession, policy_ids: list[UUID]) -> list[list[Declaration]]:
    """Each policy's declarations, newest month first."""
    d = insurance_declarations.c
    query = (
        sa.select(insurance_declarations)
        .where(d.policy_id.in_(policy_ids))
        .order_by(d.period.desc())
    )
    rows = await session.run(lambda conn: conn.execute(query))
    by_policy: dict[UUID, list[Declaration]] = {i: [] for i in policy_ids}
    for row in rows:
        by_policy[row.policy_id].append(declaration_of(row))
    return [by_policy[i] for i in policy_ids]
