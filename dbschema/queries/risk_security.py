"""Set-wise reads for the net retained risk and the guarantee clock.

`gross_by_customer` is the portfolio twin of dbschema.queries.credit_exposure's per-customer
sums (open invoices, open orders, live reservations; balances of now), one GROUP BY each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import invoices
from dbschema.risk_security_tables import collateral, guarantee_invoices, guarantees

GROSS_SQL = sa.text("""
SELECT customer_id, currency, sum(open) AS open FROM (
    SELECT customer_id, currency, sum(open_minor) AS open FROM invoices
     WHERE open_minor > 0
       AND (CAST(:ids AS uuid[]) IS NULL OR customer_id = ANY (CAST(:ids AS uuid[])))
     GROUP BY customer_id, currency
    UNION ALL
    SELECT customer_id, currency, sum(amount_minor - invoiced_minor) FROM sales_orders
     WHERE status IN ('OPEN', 'SHIPPED')
       AND (CAST(:ids AS uuid[]) IS NULL OR customer_id = ANY (CAST(:ids AS uuid[])))
     GROUP BY customer_id, currency
    UNION ALL
    SELECT customer_id, currency, sum(amount_minor) FROM credit_reservations
     WHERE status = 'ACTIVE' AND expires_at > now()
       AND (CAST(:ids AS uuid[]) IS NULL OR customer_id = ANY (CAST(:ids AS uuid[])))
     GROUP BY customer_id, currency
) parts GROUP BY customer_id, currency
""")


async def gross_by_customer(
    conn: AsyncConnection, customer_ids: Sequence[UUID] | None
) -> list[sa.Row[Any]]:
    """(customer_id, currency, open) of every customer with exposure (or of those given)."""
    ids = None if customer_ids is None else list(customer_ids)
    return list(await conn.execute(GROSS_SQL, {"ids": ids}))


def _securing(as_of: date) -> sa.ColumnElement[bool]:
    """A guarantee secures on `as_of` while ACTIVE and valid, or once CALLED (claim made)."""
    g = guarantees.c
    active = sa.and_(g.status == "ACTIVE", g.valid_from <= as_of, g.valid_to >= as_of)
    return sa.or_(active, g.status == "CALLED")


async def securing_guarantees(
    conn: AsyncConnection, as_of: date, customer_ids: Sequence[UUID] | None
) -> list[sa.Row[Any]]:
    """Guarantees securing on `as_of`, with the open amount of the invoices a NAMED_INVOICES
    guarantee names (what it can cover at most)."""
    g, gi, i = guarantees.c, guarantee_invoices.c, invoices.c
    named = (
        sa.select(sa.func.coalesce(sa.func.sum(i.open_minor), 0))
        .select_from(guarantee_invoices.join(
            invoices, sa.and_(i.tenant_id == gi.tenant_id, i.id == gi.invoice_id)))
        .where(gi.guarantee_id == g.id, i.currency == g.currency)
        .scalar_subquery()
    )  # fmt: skip
    query = sa.select(
        g.id, g.customer_id, g.reference, g.kind, g.scope, g.amount_minor, g.currency,
        sa.case((g.scope == "NAMED_INVOICES", named), else_=None).label("named_open"),
    ).where(_securing(as_of))  # fmt: skip
    if customer_ids is not None:
        query = query.where(g.customer_id.in_(list(customer_ids)))
    return list(await conn.execute(query.order_by(g.customer_id, g.reference)))


async def securing_collateral(
    conn: AsyncConnection, as_of: date, customer_ids: Sequence[UUID] | None
) -> list[sa.Row[Any]]:
    """Collateral securing on `as_of`: active, inside its validity."""
    c = collateral.c
    query = sa.select(
        c.id, c.customer_id, c.reference, c.form, c.asset_kind, c.appraised_minor, c.currency,
        c.haircut_percent,
    ).where(
        c.status == "ACTIVE", c.valid_from <= as_of,
        sa.or_(c.valid_to.is_(None), c.valid_to >= as_of),
    )  # fmt: skip
    if customer_ids is not None:
        query = query.where(c.customer_id.in_(list(customer_ids)))
    return list(await conn.execute(query.order_by(c.customer_id, c.reference)))
