"""Invoice balances as of a day, set-wise: today's balances plus what entries dated after
that day moved (domain.invoices.balances_on), one statement for a batch of invoices."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

BALANCES_AS_OF_SQL = sa.text("""
WITH later AS (
    SELECT invoice_id, sum(amount_minor) AS amount,
           coalesce(sum(amount_minor) FILTER (WHERE kind = 'WRITE_OFF'), 0) AS written_off
      FROM allocations
     WHERE invoice_id = ANY(CAST(:ids AS uuid[])) AND effective_on > CAST(:as_of AS date)
     GROUP BY invoice_id
)
SELECT i.id, i.open_minor + coalesce(l.amount, 0) AS open_minor,
       i.written_off_minor - coalesce(l.written_off, 0) AS written_off_minor
  FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
 WHERE i.id = ANY(CAST(:ids AS uuid[]))
""")


async def balances_as_of(
    conn: AsyncConnection, ids: list[UUID], as_of: date
) -> dict[UUID, tuple[int, int]]:
    """(open, written off) minor units at the end of `as_of`, by invoice id."""
    rows = await conn.execute(BALANCES_AS_OF_SQL, {"ids": ids, "as_of": as_of})
    return {r.id: (r.open_minor, r.written_off_minor) for r in rows}
