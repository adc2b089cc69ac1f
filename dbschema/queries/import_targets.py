"""Queries for payments imported with an invoice reference: find the named invoices, and lock
the batch's open invoices as the oldest-first plan does, reading back only the named ones."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

#: The named invoices by number or id, one statement for the batch.
FIND_SQL = sa.text("""
SELECT i.id, i.number, i.customer_id, i.currency
  FROM invoices i
 WHERE i.number = ANY(CAST(:numbers AS text[])) OR i.id = ANY(CAST(:ids AS uuid[]))
""")

#: The same lock, in the same (id) order, as PLAN_OLDEST_FIRST_SQL takes, so the plan that
#: follows re-locks nothing new and two imports never lock in different orders.
LOCK_SQL = sa.text("""
WITH locked AS MATERIALIZED (
    SELECT i.id, i.open_minor
      FROM invoices i
     WHERE i.customer_id = ANY(CAST(:customer_set AS uuid[])) AND i.is_open
     ORDER BY i.id
       FOR UPDATE
)
SELECT id, open_minor FROM locked WHERE id = ANY(CAST(:named AS uuid[]))
""")


async def find_invoices(conn: AsyncConnection, numbers: list[str], ids: list[UUID]) -> list[Any]:
    """Invoices whose number or id is among these: (id, number, customer_id, currency)."""
    if not numbers and not ids:
        return []
    return list(await conn.execute(FIND_SQL, {"numbers": numbers, "ids": ids}))


async def lock_named_open(
    conn: AsyncConnection, customer_set: list[UUID], named: list[UUID]
) -> dict[UUID, int]:
    """Lock the customers' open invoices (id order); the named ones' open amounts."""
    rows = await conn.execute(LOCK_SQL, {"customer_set": sorted(set(customer_set)), "named": named})
    return {r.id: r.open_minor for r in rows}
