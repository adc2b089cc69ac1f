"""Dunning letters: overdue items with interest to date; sending one is an activity."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.ledger_tables import invoices
from dbschema.tables import customers, tenants
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.collections.workflow import record_activity
from services.ledger.interest import interest_for
from services.read_session import ReadSession
from services.uow import UnitOfWork

KINDS = ("REMINDER", "DEMAND", "LAWYER")


async def letter_data(
    session: ReadSession, customer_id: UUID, kind: str, as_of: date
) -> dict[str, Any] | None:
    """What a letter shows; None when the customer is not the tenant's."""

    async def load(conn: Any) -> tuple[Any, list[dict[str, Any]], str | None] | None:
        customer = (
            await conn.execute(sa.select(customers).where(customers.c.id == customer_id))
        ).first()
        if customer is None:
            return None
        rows = [
            dict(r._mapping)
            for r in await conn.execute(
                sa.select(invoices)
                .where(
                    invoices.c.customer_id == customer_id,
                    invoices.c.open_minor > invoices.c.disputed_minor,
                    invoices.c.due_date < as_of,
                )
                .order_by(invoices.c.currency, invoices.c.due_date)
            )
        ]
        return customer, rows, await conn.scalar(sa.select(tenants.c.name))

    loaded = await session.run(load)
    if loaded is None:
        return None
    customer, rows, tenant_name = loaded
    interest = await interest_for(session, [r["id"] for r in rows], as_of)
    blocks: dict[str, dict[str, Any]] = {}
    for row in rows:
        currency = row["currency"].strip()
        block = blocks.setdefault(
            currency, {"currency": currency, "items": [], "open_minor": 0, "interest_minor": 0}
        )
        owed = row["open_minor"] - row["disputed_minor"]
        block["items"].append(
            {
                "number": row["number"],
                "due": row["due_date"].isoformat(),
                "days": (as_of - row["due_date"]).days,
                "open": Money(owed, currency).to_decimal_string(),
                "interest": Money(interest[row["id"]], currency).to_decimal_string(),
            }
        )
        block["open_minor"] += owed
        block["interest_minor"] += interest[row["id"]]
    for block in blocks.values():
        block["open"] = Money(block.pop("open_minor"), block["currency"]).to_decimal_string()
        block["interest"] = Money(
            block.pop("interest_minor"), block["currency"]
        ).to_decimal_string()
    return {
        "kind": kind,
        "tenant_name": tenant_name,
        "code": customer.code,
        "legal_name": customer.legal_name,
        "as_of": as_of.isoformat(),
        "currencies": list(blocks.values()),
    }


async def letter_pdf(
    engine: AsyncEngine, tenant_id: UUID, customer_id: UUID, kind: str, lang: str, as_of: date
) -> bytes | None:
    """The rendered letter, or None when not found."""
    from documents.dunning import render_dunning_pdf

    if kind not in KINDS:
        raise DomainError("INVALID_KIND", f"kind is one of {KINDS}", "kind")
    session = ReadSession(engine, tenant_id)
    try:
        data = await letter_data(session, customer_id, kind, as_of)
    finally:
        await session.close()
    if data is None:
        return None
    return await asyncio.to_thread(render_dunning_pdf, data, lang)


async def record_sent(
    uow: UnitOfWork, customer_id: UUID, kind: str, channel: str
) -> dict[str, Any]:
    """Record a letter as sent: part of the evidence chain."""
    if kind not in KINDS:
        raise DomainError("INVALID_KIND", f"kind is one of {KINDS}", "kind")
    if not channel.strip():
        raise NotFound("channel", "channel")
    return await record_activity(
        uow,
        customer_id,
        "DUNNING_LETTER",
        datetime.now(UTC),
        kind,
        f"{kind} letter sent by {channel}",
        None,
    )
