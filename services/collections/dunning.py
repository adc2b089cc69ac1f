"""Dunning letters: overdue items with interest to date; sending one is an activity."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import invoices
from dbschema.tables import customers, tenants
from documents.models import DunningLetter, LetterCurrency, LetterItem
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.collections.activities import ActivityIn, ActivityRecorded, record_activity
from services.ledger.interest import interest_for
from services.read_session import ReadSession
from services.uow import UnitOfWork

KINDS = ("REMINDER", "DEMAND", "LAWYER")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise DomainError("INVALID_KIND", f"kind is one of {KINDS}", "kind")


async def _overdue(
    conn: AsyncConnection, customer_id: UUID, as_of: date
) -> tuple[Any, str, list[Any]] | None:
    """The customer, the tenant's name and the undisputed overdue items; None if no customer."""
    customer = (
        await conn.execute(
            sa.select(customers.c.code, customers.c.legal_name).where(customers.c.id == customer_id)
        )
    ).first()
    if customer is None:
        return None
    rows = (
        await conn.execute(
            sa.select(invoices)
            .where(
                invoices.c.customer_id == customer_id,
                invoices.c.open_minor > invoices.c.disputed_minor,
                invoices.c.due_date < as_of,
            )
            .order_by(invoices.c.currency, invoices.c.due_date)
        )
    ).all()
    tenant_name = await conn.scalar(sa.select(tenants.c.name))
    return customer, str(tenant_name), list(rows)


async def letter_data(
    session: ReadSession, customer_id: UUID, kind: str, as_of: date
) -> DunningLetter | None:
    """What a letter shows; None when the customer is not the tenant's."""
    _check_kind(kind)
    found = await session.run(lambda conn: _overdue(conn, customer_id, as_of))
    if found is None:
        return None
    customer, tenant_name, rows = found
    ids = [r.id for r in rows]
    interest = await interest_for(session, ids, as_of)
    by_currency: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_currency[row.currency.strip()].append(row)
    blocks = []
    for currency, items in by_currency.items():
        owed = {r.id: r.open_minor - r.disputed_minor for r in items}
        blocks.append(
            LetterCurrency(
                currency=currency,
                items=[
                    LetterItem(
                        number=r.number,
                        due=r.due_date,
                        days=(as_of - r.due_date).days,
                        open=Money(owed[r.id], currency).to_decimal_string(),
                        interest=Money(interest[r.id], currency).to_decimal_string(),
                    )
                    for r in items
                ],
                open=Money(sum(owed.values()), currency).to_decimal_string(),
                interest=Money(sum(interest[r.id] for r in items), currency).to_decimal_string(),
            )
        )
    return DunningLetter(kind, tenant_name, customer.code, customer.legal_name, as_of, blocks)


async def render_letter(letter: DunningLetter, lang: str) -> bytes:
    """The letter as a PDF (rendered off the event loop, with no connection held)."""
    from documents.dunning import render_dunning_pdf

    return await asyncio.to_thread(render_dunning_pdf, letter, lang)


async def record_sent(
    uow: UnitOfWork, customer_id: UUID, kind: str, channel: str
) -> ActivityRecorded:
    """Record a letter as sent: part of the evidence chain."""
    _check_kind(kind)
    if not channel.strip():
        raise NotFound("channel", "channel")
    note = f"{kind} letter sent by {channel}"
    return await record_activity(
        uow, ActivityIn(customer_id, "DUNNING_LETTER", datetime.now(UTC), kind, note)
    )
