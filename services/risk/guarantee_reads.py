"""Guarantors, guarantees, calls and notices as read: typed views, a guarantor's identity
number masked for every role that need not see it in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.risk_security_tables import (
    guarantee_calls,
    guarantee_invoices,
    guarantee_notices,
    guarantees,
    guarantors,
)
from domain.money import Money
from domain.risk.guarantees import mask_identity
from domain.roles import READ_GUARANTOR_IDENTITY
from services.read_session import ReadSession


@dataclass(frozen=True, slots=True)
class GuarantorView:
    """A guarantor and its small credit file."""

    id: UUID
    kind: str
    customer_id: UUID | None
    name: str
    identity_number: str | None  #: masked unless the reader's roles need it in full
    identity_masked: bool
    relationship: str | None
    net_worth: Money | None
    rating: str | None
    documents: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class GuaranteeView:
    """A guarantee as it stands."""

    id: UUID
    reference: str
    guarantor_id: UUID
    customer_id: UUID
    kind: str
    scope: str
    amount: Money
    valid_from: date
    valid_to: date
    period_months: int | None
    status: str
    status_on: date | None
    status_note: str | None
    invoice_ids: tuple[UUID, ...]
    documents: tuple[str, ...]
    version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NoticeView:
    """A warning or record the daily clock wrote about a guarantee (or one covered debt)."""

    id: UUID
    guarantee_id: UUID
    invoice_id: UUID | None
    kind: str
    ends_on: date
    noticed_on: date
    detail: str


@dataclass(frozen=True, slots=True)
class CallView:
    """A call on a guarantee: the demand, when, and its entry in the evidence chain."""

    id: UUID
    guarantee_id: UUID
    called_on: date
    demanded: Money
    activity_id: UUID | None
    created_at: datetime


def guarantor_view(row: Any, roles: frozenset[str]) -> GuarantorView:
    """A guarantor row for a reader with `roles`."""
    full = bool(roles & READ_GUARANTOR_IDENTITY)
    worth = row.net_worth_minor
    return GuarantorView(
        row.id, row.kind, row.customer_id, row.name,
        row.identity_number if full else mask_identity(row.identity_number),
        not full and row.identity_number is not None, row.relationship,
        Money(int(worth), row.net_worth_currency.strip()) if worth is not None else None,
        row.rating, tuple(row.documents or ()), row.created_at,
    )  # fmt: skip


def guarantee_view(row: Any, invoice_ids: tuple[UUID, ...]) -> GuaranteeView:
    """A guarantee row with the invoices it names."""
    return GuaranteeView(
        row.id, row.reference, row.guarantor_id, row.customer_id, row.kind, row.scope,
        Money(int(row.amount_minor), row.currency.strip()), row.valid_from, row.valid_to,
        row.period_months, row.status, row.status_on, row.status_note, invoice_ids,
        tuple(row.documents or ()), row.version, row.created_at,
    )  # fmt: skip


async def guarantor(
    conn: AsyncConnection, guarantor_id: UUID, roles: frozenset[str]
) -> GuarantorView | None:
    """One guarantor (None when not the tenant's)."""
    row = (
        await conn.execute(sa.select(guarantors).where(guarantors.c.id == guarantor_id))
    ).one_or_none()
    return None if row is None else guarantor_view(row, roles)


async def _views(conn: AsyncConnection, where: sa.ColumnElement[bool]) -> list[GuaranteeView]:
    rows = list(await conn.execute(sa.select(guarantees).where(where).order_by(
        guarantees.c.valid_from, guarantees.c.id)))  # fmt: skip
    named: dict[UUID, list[UUID]] = {}
    if rows:
        gi = guarantee_invoices.c
        links = await conn.execute(
            sa.select(gi.guarantee_id, gi.invoice_id)
            .where(gi.guarantee_id.in_([r.id for r in rows]))
            .order_by(gi.invoice_id)
        )
        for link in links:
            named.setdefault(link.guarantee_id, []).append(link.invoice_id)
    return [guarantee_view(r, tuple(named.get(r.id, ()))) for r in rows]


async def guarantee(conn: AsyncConnection, guarantee_id: UUID) -> GuaranteeView | None:
    """One guarantee (None when not the tenant's)."""
    found = await _views(conn, guarantees.c.id == guarantee_id)
    return found[0] if found else None


async def guarantees_by_ids(session: ReadSession, ids: list[UUID]) -> list[GuaranteeView | None]:
    """Guarantees in the order asked (for a DataLoader)."""
    found = {v.id: v for v in await session.run(lambda c: _views(c, guarantees.c.id.in_(ids)))}
    return [found.get(i) for i in ids]


async def guarantors_by_ids(
    session: ReadSession, ids: list[UUID], roles: frozenset[str]
) -> list[GuarantorView | None]:
    """Guarantors in the order asked (for a DataLoader)."""
    query = sa.select(guarantors).where(guarantors.c.id.in_(ids))
    rows = await session.run(lambda c: c.execute(query))
    found = {r.id: guarantor_view(r, roles) for r in rows}
    return [found.get(i) for i in ids]


async def guarantees_of(
    session: ReadSession, customer_id: UUID, statuses: tuple[str, ...] | None = None
) -> list[GuaranteeView]:
    """A customer's guarantees, oldest validity first (optionally only some statuses)."""
    where = guarantees.c.customer_id == customer_id
    if statuses:
        where = sa.and_(where, guarantees.c.status.in_(statuses))
    return await session.run(lambda c: _views(c, where))


async def notices_of(session: ReadSession, guarantee_id: UUID, limit: int) -> list[NoticeView]:
    """A guarantee's notices, newest first."""
    n = guarantee_notices.c
    query = (
        sa.select(guarantee_notices)
        .where(n.guarantee_id == guarantee_id)
        .order_by(n.noticed_on.desc(), n.ends_on, n.id)
        .limit(limit)
    )
    rows = await session.run(lambda c: c.execute(query))
    return [
        NoticeView(r.id, r.guarantee_id, r.invoice_id, r.kind, r.ends_on, r.noticed_on, r.detail)
        for r in rows
    ]


async def call_of(session: ReadSession, guarantee_id: UUID) -> CallView | None:
    """The call on a guarantee, if it was called."""
    query = sa.select(guarantee_calls).where(guarantee_calls.c.guarantee_id == guarantee_id)
    row = (await session.run(lambda c: c.execute(query))).one_or_none()
    if row is None:
        return None
    return CallView(
        row.id, row.guarantee_id, row.called_on,
        Money(int(row.demanded_minor), row.currency.strip()), row.activity_id, row.created_at,
    )  # fmt: skip
