"""Invoice balances as of a day, set-wise: today's balances plus what entries dated after
that day moved (domain.invoices.balances_on), one statement for a batch of invoices."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


def later_cte(filter_sql: str = "", columns: str = "") -> str:
    """The `later` CTE: per invoice, what entries dated after :as_of moved (`amount`, plus any
    extra `columns`). An invoice's open amount on that day is OPEN_ON over it joined as `l`:
    the rule of domain.invoices.balances_on, shared by aging and the as-of invoice figures."""
    return f"""later AS (
    SELECT invoice_id, sum(amount_minor) AS amount{columns}
      FROM allocations
     WHERE effective_on > CAST(:as_of AS date) {filter_sql}
     GROUP BY invoice_id
)"""


#: open at the end of :as_of, for invoices `i` left-joined to the later CTE as `l`
OPEN_ON = "i.open_minor + coalesce(l.amount, 0)"

_LATER = later_cte(
    "AND invoice_id = ANY(CAST(:ids AS uuid[]))",
    ", coalesce(sum(amount_minor) FILTER (WHERE kind = 'WRITE_OFF'), 0) AS written_off",
)
BALANCES_AS_OF_SQL = sa.text(f"""
WITH {_LATER}
SELECT i.id, {OPEN_ON} AS open_minor,
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
