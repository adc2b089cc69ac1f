"""Set-wise reads for the net retained risk and the guarantee clock.

`gross_by_customer` is the portfolio twin of dbschema.queries.credit_exposure's per-customer
sums (open invoices, open orders, live reservations; balances of now), one GROUP BY each.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import invoices
from dbschema.risk_security_tables import collateral, guarantee_invoices, guarantees

GROSS_SQL = sa.text("""
SELECT customer_id, currency, sum(open) AS open FROM (
    SELECT customer_id, currency, sum(open_minor) AS open FROM invoices
     WHERE is_open
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


#: One customer's settings, securing guarantees and collateral in one round trip (the same
#: conditions as securing_guarantees and securing_collateral, for the one-customer waterfall).
COVERS_SQL = sa.text("""
SELECT (SELECT to_jsonb(s) FROM risk_security_settings s) AS settings,
  (SELECT jsonb_agg(jsonb_build_object(
       'id', g.id, 'customer_id', g.customer_id, 'reference', g.reference, 'kind', g.kind,
       'scope', g.scope, 'amount_minor', g.amount_minor, 'currency', g.currency,
       'named_open', CASE WHEN g.scope = 'NAMED_INVOICES' THEN (
           SELECT coalesce(sum(i.open_minor), 0) FROM guarantee_invoices gi
             JOIN invoices i ON i.tenant_id = gi.tenant_id AND i.id = gi.invoice_id
            WHERE gi.guarantee_id = g.id AND i.currency = g.currency) END)
       ORDER BY g.reference)
     FROM guarantees g
    WHERE g.customer_id = :customer
      AND ((g.status = 'ACTIVE' AND g.valid_from <= :as_of AND g.valid_to >= :as_of)
           OR g.status = 'CALLED')) AS guarantees,
  (SELECT jsonb_agg(jsonb_build_object(
       'id', c.id, 'customer_id', c.customer_id, 'reference', c.reference, 'form', c.form,
       'asset_kind', c.asset_kind, 'appraised_minor', c.appraised_minor,
       'currency', c.currency, 'haircut_percent', c.haircut_percent) ORDER BY c.reference)
     FROM collateral c
    WHERE c.customer_id = :customer AND c.status = 'ACTIVE' AND c.valid_from <= :as_of
      AND (c.valid_to IS NULL OR c.valid_to >= :as_of)) AS collateral
""")


def _records(raw: Any) -> list[Any]:
    items = json.loads(raw, parse_float=Decimal) if isinstance(raw, str) else raw or []
    out = []
    for item in items:
        item["id"], item["customer_id"] = UUID(item["id"]), UUID(item["customer_id"])
        if "haircut_percent" in item:
            item["haircut_percent"] = Decimal(str(item["haircut_percent"]))
        out.append(SimpleNamespace(**item))
    return out


async def customer_covers(
    conn: AsyncConnection, customer_id: UUID, as_of: date
) -> tuple[Any | None, list[Any], list[Any]]:
    """(settings row or None, securing guarantees, securing collateral) of one customer."""
    row = (await conn.execute(COVERS_SQL, {"customer": customer_id, "as_of": as_of})).one()
    raw = row.settings
    settings = json.loads(raw) if isinstance(raw, str) else raw
    return (
        SimpleNamespace(**settings) if settings else None,
        _records(row.guarantees),
        _records(row.collateral),
    )
