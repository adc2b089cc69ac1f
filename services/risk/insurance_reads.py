"""Credit-insurance reads for the API: policies, covers and their decisions, actions,
notifications, claims with their lines and movements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.risk_claim_tables import claim_lines, claim_movements, insurance_claims
from dbschema.risk_insurance_tables import (
    buyer_covers,
    cover_decisions,
    insurance_policies,
    insurer_actions,
    insurer_notifications,
)
from services.paging import Seek
from services.read_session import ReadSession
from services.risk.insurance import (
    ActionRecord,
    CoverRecord,
    PolicyRecord,
    action_of,
    cover_of,
    policy_of,
)
from services.risk.paging import Page, by_ids, children, page_of


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One decision in a cover's history."""

    seq: int
    status: str
    amount_minor: int
    effective_on: date
    note: str | None
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """An overdue notification sent to the insurer."""

    id: UUID
    policy_id: UUID
    customer_id: UUID
    notified_on: date
    currency: str
    total_minor: int
    document_id: UUID | None


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A claim as it stands."""

    id: UUID
    policy_id: UUID
    customer_id: UUID
    currency: str
    filed_on: date
    status: str
    open_minor: int
    covered_loss_minor: int
    deductible_minor: int
    indemnity_percent: Decimal
    cover_cap_minor: int
    indemnity_minor: int
    capped_by: str | None
    paid_minor: int
    shared_minor: int
    rejection_reason: str | None
    document_id: UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimLineRecord:
    """One invoice of a claim."""

    invoice_id: UUID
    number: str
    open_minor: int
    covered_minor: int


@dataclass(frozen=True, slots=True)
class MovementRecord:
    """The insurer's payment or a recovery on a claim."""

    kind: str
    on: date
    amount_minor: int
    insurer_minor: int
    reference: str | None


def _cover_query() -> sa.Select[Any]:
    return sa.select(buyer_covers, insurance_policies.c.currency).join(
        insurance_policies,
        sa.and_(
            insurance_policies.c.tenant_id == buyer_covers.c.tenant_id,
            insurance_policies.c.id == buyer_covers.c.policy_id,
        ),
    )


def _cover(row: Any) -> CoverRecord:
    return cover_of(row, row.currency)


async def policies_page(session: ReadSession, after: Seek | None, first: int) -> Page[PolicyRecord]:
    """Policies, newest first."""
    return await page_of(session, insurance_policies, [], after, first, policy_of)


async def policies_by_ids(session: ReadSession, ids: list[UUID]) -> list[PolicyRecord | None]:
    """Policies in the order asked."""
    return await by_ids(session, insurance_policies, ids, policy_of)


async def covers_page(
    session: ReadSession,
    policy_id: UUID | None,
    customer_id: UUID | None,
    after: Seek | None,
    first: int,
) -> Page[CoverRecord]:
    """Buyer covers, newest first, of a policy or a customer."""
    c = buyer_covers.c
    conditions = [
        cond
        for cond in (
            c.policy_id == policy_id if policy_id else None,
            c.customer_id == customer_id if customer_id else None,
        )
        if cond is not None
    ]
    page = await page_of(session, buyer_covers, conditions, after, first, lambda r: r)
    currencies = await _currencies(session, {r.policy_id for r in page.items})
    items = [cover_of(r, currencies[r.policy_id]) for r in page.items]
    return Page(items, page.total, page.has_next)


async def _currencies(session: ReadSession, policy_ids: set[UUID]) -> dict[UUID, str]:
    query = sa.select(insurance_policies.c.id, insurance_policies.c.currency).where(
        insurance_policies.c.id.in_(policy_ids)
    )
    return {r.id: r.currency for r in await session.run(lambda conn: conn.execute(query))}


async def covers_by_ids(session: ReadSession, ids: list[UUID]) -> list[CoverRecord | None]:
    """Covers in the order asked."""
    query = _cover_query().where(buyer_covers.c.id.in_(ids))
    found = {r.id: _cover(r) for r in await session.run(lambda conn: conn.execute(query))}
    return [found.get(i) for i in ids]


async def decisions_for(session: ReadSession, cover_ids: list[UUID]) -> list[list[DecisionRecord]]:
    """Each cover's decisions, oldest first."""
    d = cover_decisions.c
    query = sa.select(cover_decisions).where(d.cover_id.in_(cover_ids)).order_by(d.seq)
    return await children(
        session,
        query,
        "cover_id",
        cover_ids,
        lambda r: DecisionRecord(
            r.seq, r.status, r.amount_minor, r.effective_on, r.note, r.created_by, r.created_at
        ),
    )


async def actions_for(session: ReadSession, policy_ids: list[UUID]) -> list[list[ActionRecord]]:
    """Each policy's required actions, by due date."""
    a = insurer_actions.c
    query = sa.select(insurer_actions).where(a.policy_id.in_(policy_ids)).order_by(a.due_on)
    return await children(session, query, "policy_id", policy_ids, action_of)


async def actions_by_ids(session: ReadSession, ids: list[UUID]) -> list[ActionRecord | None]:
    """Required actions in the order asked."""
    return await by_ids(session, insurer_actions, ids, action_of)


def _notification(r: Any) -> NotificationRecord:
    return NotificationRecord(
        r.id,
        r.policy_id,
        r.customer_id,
        r.notified_on,
        r.currency.strip(),
        r.total_minor,
        r.document_id,
    )


async def notifications_for(
    session: ReadSession, policy_ids: list[UUID]
) -> list[list[NotificationRecord]]:
    """Each policy's overdue notifications, newest first."""
    n = insurer_notifications.c
    query = (
        sa.select(insurer_notifications)
        .where(n.policy_id.in_(policy_ids))
        .order_by(n.notified_on.desc(), n.id)
    )
    return await children(session, query, "policy_id", policy_ids, _notification)


async def notifications_by_ids(
    session: ReadSession, ids: list[UUID]
) -> list[NotificationRecord | None]:
    """Notifications in the order asked."""
    return await by_ids(session, insurer_notifications, ids, _notification)


def claim_of(r: Any) -> ClaimRecord:
    """A claim record from its row."""
    return ClaimRecord(
        r.id,
        r.policy_id,
        r.customer_id,
        r.currency.strip(),
        r.filed_on,
        r.status,
        r.open_minor,
        r.covered_loss_minor,
        r.deductible_minor,
        Decimal(r.indemnity_percent),
        r.cover_cap_minor,
        r.indemnity_minor,
        r.capped_by,
        r.paid_minor,
        r.shared_minor,
        r.rejection_reason,
        r.document_id,
        r.created_at,
    )


async def claims_page(
    session: ReadSession,
    policy_id: UUID | None,
    customer_id: UUID | None,
    status: str | None,
    after: Seek | None,
    first: int,
) -> Page[ClaimRecord]:
    """Claims, newest first."""
    c = insurance_claims.c
    conditions = [
        cond
        for cond in (
            c.policy_id == policy_id if policy_id else None,
            c.customer_id == customer_id if customer_id else None,
            c.status == status if status else None,
        )
        if cond is not None
    ]
    return await page_of(session, insurance_claims, conditions, after, first, claim_of)


async def claims_by_ids(session: ReadSession, ids: list[UUID]) -> list[ClaimRecord | None]:
    """Claims in the order asked."""
    return await by_ids(session, insurance_claims, ids, claim_of)


async def claim_lines_for(
    session: ReadSession, claim_ids: list[UUID]
) -> list[list[ClaimLineRecord]]:
    """Each claim's invoices, by number."""
    cl = claim_lines.c
    query = (
        sa.select(cl.claim_id, cl.invoice_id, cl.open_minor, cl.covered_minor, invoices.c.number)
        .join(
            invoices, sa.and_(invoices.c.tenant_id == cl.tenant_id, invoices.c.id == cl.invoice_id)
        )
        .where(cl.claim_id.in_(claim_ids))
        .order_by(invoices.c.number)
    )
    return await children(
        session,
        query,
        "claim_id",
        claim_ids,
        lambda r: ClaimLineRecord(r.invoice_id, r.number, r.open_minor, r.covered_minor),
    )


async def movements_for(session: ReadSession, claim_ids: list[UUID]) -> list[list[MovementRecord]]:
    """Each claim's payments and recoveries, oldest first."""
    m = claim_movements.c
    query = (
        sa.select(claim_movements)
        .where(m.claim_id.in_(claim_ids))
        .order_by(m.on_date, m.created_at)
    )
    return await children(
        session,
        query,
        "claim_id",
        claim_ids,
        lambda r: MovementRecord(r.kind, r.on_date, r.amount_minor, r.insurer_minor, r.reference),
    )
