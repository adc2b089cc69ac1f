"""Daily aging snapshots: history for trends such as a customer's days-to-pay lengthening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from domain.dates import check_date
from services.uow import UnitOfWork

SNAPSHOT_SQL = sa.text("""
WITH items AS (
    SELECT i.customer_id, i.currency, i.due_date, i.open_minor AS amt,
           CAST(:as_of AS date) - i.due_date AS d FROM invoices i
     WHERE i.is_open AND i.issue_date <= CAST(:as_of AS date)
)
INSERT INTO aging_snapshots (tenant_id, as_of, customer_id, currency, open_minor, overdue_minor,
                             buckets, weighted_days_past_due)
SELECT :tenant, CAST(:as_of AS date), customer_id, currency, sum(amt),
       coalesce(sum(amt) FILTER (WHERE d > 0), 0),
       jsonb_build_object(
         'CURRENT', coalesce(sum(amt) FILTER (WHERE d <= 0), 0),
         '1-30', coalesce(sum(amt) FILTER (WHERE d BETWEEN 1 AND 30), 0),
         '31-60', coalesce(sum(amt) FILTER (WHERE d BETWEEN 31 AND 60), 0),
         '61-90', coalesce(sum(amt) FILTER (WHERE d BETWEEN 61 AND 90), 0),
         '90+', coalesce(sum(amt) FILTER (WHERE d > 90), 0)),
       round(sum(CAST(amt AS numeric) * GREATEST(d, 0)) / NULLIF(sum(amt), 0), 2)
  FROM items GROUP BY customer_id, currency
ON CONFLICT DO NOTHING
""")


@dataclass(frozen=True)
class Snapshot:
    """A day's snapshot: how many customer and currency rows it added (0 when taken already)."""

    as_of: date
    rows: int


async def take_snapshot(uow: UnitOfWork, as_of: date) -> Snapshot:
    """Snapshot today's open items per customer; a second run for the date adds nothing."""
    check_date(as_of, "asOf")
    result = await uow.conn.execute(SNAPSHOT_SQL, {"as_of": as_of, "tenant": uow.tenant_id})
    return Snapshot(as_of, int(result.rowcount))
