"""Exchange rates finance maintains by date; the rate book a computation converts with.

Rates are append-only: a correction is a new entry for the same pair and date, and the
newest entry wins from then on, while every decision keeps the entry it used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import exchange_rates
from dbschema.queries.credit_exposure import latest_rates
from domain.audit import AuditAction
from domain.credit.rates import ExchangeRate, RateBook, plain, validate_rate
from services.credit.trail import audited, newest_first
from services.paging import Seek
from services.read_session import ReadSession, by_ids
from services.uow import UnitOfWork


@dataclass(frozen=True)
class StoredRate:
    """A rate as finance entered it, with who and when."""

    id: UUID
    seq: int
    base: str
    quote: str
    rate: Decimal
    effective_on: date
    created_by: str
    created_at: datetime


def _stored(row: Any) -> StoredRate:
    return StoredRate(
        row.id,
        int(row.seq),
        row.base.strip(),
        row.quote.strip(),
        plain(row.rate),
        row.effective_on,
        row.created_by,
        row.created_at,
    )


async def set_rate(
    uow: UnitOfWork, base: str, quote: str, rate: str, effective_on: date
) -> StoredRate:
    """Record a rate (1 base = rate quote from the date on); audited."""
    code_base, code_quote = base.strip().upper(), quote.strip().upper()
    value = validate_rate(code_base, code_quote, rate, effective_on)
    row = (
        await uow.conn.execute(
            exchange_rates.insert()
            .values(
                tenant_id=uow.tenant_id,
                base=code_base,
                quote=code_quote,
                rate=value,
                effective_on=effective_on,
                created_by=uow.actor.subject,
            )
            .returning(exchange_rates)
        )
    ).one()
    await audited(
        uow,
        "ExchangeRate",
        row.id,
        None,
        AuditAction.SET_EXCHANGE_RATE,
        {
            "rate": {
                "before": None,
                "after": {
                    "pair": f"{code_base}/{code_quote}",
                    "rate": str(value),
                    "effectiveOn": effective_on.isoformat(),
                },
            }
        },
    )
    return _stored(row)


async def book_for(
    conn: AsyncConnection, currencies: Iterable[str], as_of: date, base: str | None = None
) -> RateBook:
    """A rate book over every pair among the currencies (empty when only one currency); with
    the tenant's `base`, over the pairs with it too, and crossing through it where no direct
    pair converts (RateBook.route)."""
    codes = sorted({c.strip() for c in currencies} | ({base.strip()} if base else set()))
    if len(codes) < 2:
        return RateBook(as_of, base=base.strip() if base else None)
    rows = await latest_rates(conn, codes, as_of)
    return RateBook.of(
        as_of,
        [stored_rate(r.id, r.base, r.quote, r.rate, r.effective_on) for r in rows],
        base.strip() if base else None,
    )


def stored_rate(id_: Any, base: str, quote: str, rate: Decimal, effective_on: date) -> ExchangeRate:
    """A rate as stored (CHAR(3) codes, NUMERIC(28,12) rate) as the rate book holds it."""
    return ExchangeRate(str(id_), base.strip(), quote.strip(), plain(rate), effective_on)


async def rates_page(
    session: ReadSession,
    *,
    base: str | None,
    quote: str | None,
    after: Seek | None,
    first: int,
) -> tuple[list[StoredRate], bool]:
    """Rates, newest entry first, optionally for one pair; and whether more follow."""
    t = exchange_rates
    query = sa.select(t)
    if base:
        query = query.where(t.c.base == base.strip().upper())
    if quote:
        query = query.where(t.c.quote == quote.strip().upper())
    rows, more = await newest_first(session, query, [t.c.seq, t.c.id], after, first)
    return [_stored(r) for r in rows], more


async def conversion_rate(
    session: ReadSession, source: str, target: str, as_of: date
) -> tuple[ExchangeRate, bool] | None:
    """The direct rate a conversion source -> target would use on `as_of` (and if inverted);
    None when only a cross through the base would convert."""

    async def run(conn: AsyncConnection) -> RateBook:
        return await book_for(conn, (source.strip().upper(), target.strip().upper()), as_of)

    book = await session.run(run)
    return book.find(source.strip().upper(), target.strip().upper())


async def rates_by_ids(session: ReadSession, ids: list[UUID]) -> list[StoredRate | None]:
    """Rate entries in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(exchange_rates), exchange_rates.c.id, ids, _stored)
