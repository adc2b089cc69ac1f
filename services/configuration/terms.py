"""Which payment terms apply: the customer's agreed terms, else its rating class default."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import payment_terms
from domain.terms import (
    FALLBACK_CLASS,
    Instalment,
    PaymentTerms,
    TermsKind,
    applicable_terms,
    class_code,
)
from services.uow import UnitOfWork


def terms_from_row(row: Mapping[Any, Any]) -> PaymentTerms:
    """A stored template as the domain's value."""
    return PaymentTerms(
        kind=TermsKind(row["kind"]),
        net_days=row["net_days"],
        eom_plus_days=row["eom_plus_days"],
        instalments=tuple(
            Instalment(Decimal(str(i["percent"])), int(i["offsetDays"])) for i in row["instalments"]
        ),
    )


async def terms_for(
    uow: UnitOfWork, terms_code: str | None, rating_class: str | None
) -> PaymentTerms:
    """A customer's terms (domain.terms.applicable_terms), from the templates that can apply."""
    return await terms_on(uow.conn, terms_code, rating_class)


async def terms_on(
    conn: AsyncConnection, terms_code: str | None, rating_class: str | None
) -> PaymentTerms:
    """The same, on a connection a read session or unit of work already holds."""
    codes = [class_code(rating_class or FALLBACK_CLASS), *([terms_code] if terms_code else [])]
    templates = {
        r.code: terms_from_row(r._mapping)
        for r in await conn.execute(sa.select(payment_terms).where(payment_terms.c.code.in_(codes)))
    }
    return applicable_terms(templates, terms_code, rating_class)
