"""Which payment terms apply: the customer's agreed terms, else its rating class default."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import payment_terms
from domain.terms import DEFAULT_CLASS_TERMS, Instalment, PaymentTerms, TermsKind

#: Customers without a class or agreed terms get the practice's standard class B terms.
FALLBACK_CLASS = "B"


def terms_from_row(row: dict[str, Any]) -> PaymentTerms:
    """A stored template as the domain's value."""
    return PaymentTerms(
        kind=TermsKind(row["kind"]),
        net_days=row["net_days"],
        eom_plus_days=row["eom_plus_days"],
        instalments=tuple(
            Instalment(Decimal(str(i["percent"])), int(i["offsetDays"])) for i in row["instalments"]
        ),
    )


async def terms_for(conn: AsyncConnection, customer: dict[str, Any]) -> PaymentTerms:
    """The customer's terms: explicit template, tenant class default, practice default."""
    code = customer.get("payment_terms_code")
    if code:
        row = (
            await conn.execute(sa.select(payment_terms).where(payment_terms.c.code == code))
        ).first()
        if row is not None:
            return terms_from_row(dict(row._mapping))
    rating = customer.get("rating_class") or FALLBACK_CLASS
    row = (
        await conn.execute(
            sa.select(payment_terms).where(payment_terms.c.code == f"CLASS_{rating}")
        )
    ).first()
    if row is not None:
        return terms_from_row(dict(row._mapping))
    return DEFAULT_CLASS_TERMS[rating]
