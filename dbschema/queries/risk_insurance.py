"""The policy clock set-wise: which invoices are insured, their deadlines, what the day says.

One statement body (CLOCK) finds every invoice insured at delivery for the customers asked
(or all), its open amount at the as-of date, its deadlines and whether it still is insured;
the daily sweep, the covered amounts and the twin test all read it. Its pure twin is
domain.risk.insurance_clock (`status`, `sweep_notices`) and insurance_covers (`covered_amounts`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.dates import LATEST

_LAST = f"DATE '{LATEST.isoformat()}'"

#: Every invoice insured at delivery (cover in effect at its issue date under the policy of its
#: currency and period, terms within the maximum credit period) issued by :as_of, with its
#: clock. :customers NULL means every customer.
BASE = f"""
WITH dec AS (
    SELECT d.cover_id, d.effective_on,
           coalesce(lead(d.effective_on) OVER w, DATE '9999-12-31') AS until_on,
           CASE WHEN d.status IN ('GRANTED','REDUCED') THEN d.amount_minor ELSE 0 END AS limit_minor
      FROM cover_decisions d
     WHERE d.status <> 'REQUESTED'
    WINDOW w AS (PARTITION BY d.cover_id ORDER BY d.effective_on, d.seq)
), cov AS (
    SELECT bc.id AS cover_id, bc.customer_id, p.id AS policy_id, p.currency, p.starts_on,
           p.ends_on, p.max_credit_days, p.notification_days, p.max_extension_days,
           p.claim_filing_days
      FROM buyer_covers bc JOIN insurance_policies p ON p.id = bc.policy_id
     WHERE CAST(:customers AS uuid[]) IS NULL OR bc.customer_id = ANY(CAST(:customers AS uuid[]))
), base AS (
    SELECT i.id, i.customer_id, i.number, i.currency, i.issue_date, i.due_date, i.open_minor,
           c.policy_id, d.limit_minor,
           least(i.due_date + c.notification_days, {_LAST}) AS notify_on,
           least(i.due_date + c.max_extension_days, {_LAST}) AS stop_on,
           least(i.due_date + c.claim_filing_days, {_LAST}) AS claim_by
      FROM cov c
      JOIN invoices i ON i.customer_id = c.customer_id AND i.currency = c.currency
       AND i.issue_date BETWEEN c.starts_on AND c.ends_on
      JOIN dec d ON d.cover_id = c.cover_id
       AND i.issue_date >= d.effective_on AND i.issue_date < d.until_on
     WHERE d.limit_minor > 0 AND i.due_date - i.issue_date <= c.max_credit_days
       AND i.issue_date <= CAST(:as_of AS date)
)"""

#: BASE, open at :as_of, and whether each invoice still is insured (reason).
CLOCK = (
    BASE
    + """, later AS (
    SELECT a.invoice_id, sum(a.amount_minor) AS amount FROM allocations a
     WHERE a.effective_on > CAST(:as_of AS date) GROUP BY a.invoice_id
), opened AS (
    SELECT b.*, b.open_minor + coalesce(l.amount, 0) AS open_at
      FROM base b LEFT JOIN later l ON l.invoice_id = b.id
), open_stops AS (
    -- an invoice still unpaid blocks every delivery after its stop point: the first matters
    SELECT o.customer_id, o.policy_id, min(o.stop_on) AS first_stop
      FROM opened o WHERE o.open_at > 0 AND o.stop_on < CAST(:as_of AS date)
     GROUP BY o.customer_id, o.policy_id
), paid_stops AS (
    -- a paid one blocked the deliveries between its stop point and its payment
    SELECT p.customer_id, p.policy_id, p.stop_on, p.paid_off_on FROM (
        SELECT o.customer_id, o.policy_id, o.stop_on,
               (SELECT max(a.effective_on) FROM allocations a
                 WHERE a.invoice_id = o.id AND a.effective_on <= CAST(:as_of AS date))
               AS paid_off_on
          FROM opened o WHERE o.open_at <= 0 AND o.stop_on < CAST(:as_of AS date)) p
     WHERE p.paid_off_on > p.stop_on
), blocked AS (
    SELECT o.id FROM opened o
      JOIN open_stops s ON s.customer_id = o.customer_id AND s.policy_id = o.policy_id
     WHERE o.open_at > 0 AND s.first_stop < o.issue_date
    UNION
    SELECT o.id FROM opened o
      JOIN paid_stops s ON s.customer_id = o.customer_id AND s.policy_id = o.policy_id
     WHERE o.open_at > 0 AND s.stop_on < o.issue_date AND s.paid_off_on > o.issue_date
), told AS (
    SELECT l.invoice_id, min(n.notified_on) AS notified_on
      FROM insurer_notification_lines l
      JOIN insurer_notifications n ON n.tenant_id = l.tenant_id AND n.id = l.notification_id
     WHERE n.notified_on <= CAST(:as_of AS date) GROUP BY l.invoice_id
), claimed AS (
    SELECT l.invoice_id, min(c.filed_on) AS claimed_on
      FROM claim_lines l JOIN insurance_claims c ON c.tenant_id = l.tenant_id AND c.id = l.claim_id
     WHERE NOT l.released AND c.filed_on <= CAST(:as_of AS date) GROUP BY l.invoice_id
), clocked AS (
    SELECT o.*, t.notified_on, k.claimed_on, b.id IS NOT NULL AS after_stop
      FROM opened o
      LEFT JOIN told t ON t.invoice_id = o.id
      LEFT JOIN claimed k ON k.invoice_id = o.id
      LEFT JOIN blocked b ON b.id = o.id
     WHERE o.open_at > 0
), reasoned AS (
    SELECT c.*, CASE
        WHEN c.after_stop THEN 'DELIVERED_AFTER_STOP'
        WHEN CAST(:as_of AS date) > c.notify_on
             AND (c.notified_on IS NULL OR c.notified_on > c.notify_on) THEN 'NOTIFICATION_MISSED'
        WHEN CAST(:as_of AS date) > c.claim_by
             AND (c.claimed_on IS NULL OR c.claimed_on > c.claim_by) THEN 'CLAIM_DEADLINE_MISSED'
        ELSE 'INSURED' END AS reason
      FROM clocked c
)"""
)

#: The month's insured turnover per policy (:start to :as_of), the premium rate beside it.
TURNOVER_SQL = sa.text(
    BASE
    + """ SELECT b.policy_id, p.currency, p.premium_rate_percent, count(*) AS invoices,
                 coalesce(sum(i.amount_minor), 0) AS turnover
            FROM base b JOIN invoices i ON i.id = b.id
            JOIN insurance_policies p ON p.id = b.policy_id
           WHERE b.issue_date >= CAST(:start AS date)
           GROUP BY b.policy_id, p.currency, p.premium_rate_percent"""
)


#: What the clock says on :as_of per invoice and deadline (the sweep's notices, before the
#: insert-once filter): a delivery past a stop point, else each unmet deadline WARNED within
#: :warn days before it or MISSED after it (only the lapse once the notification is missed).
#: The daily sweep leaves out invoices whose lapse it recorded already (`live`): nothing about
#: them can change any more, so a day's work is the invoices still insured.
def _notices(live: bool) -> str:
    skip = (
        """ AND NOT EXISTS (SELECT 1 FROM insurance_notices n
                          WHERE n.invoice_id = r.id AND n.stage = 'MISSED'
                            AND n.deadline IN ('NOTIFICATION','CLAIM','DELIVERY'))"""
        if live
        else ""
    )
    return (
        CLOCK
        + f""", deadlines AS (
    SELECT r.id AS invoice_id, r.number, r.customer_id, r.policy_id, k.deadline, k.due_on,
           CASE WHEN CAST(:as_of AS date) > k.due_on THEN 'MISSED' ELSE 'WARNED' END AS stage,
           r.notify_on < CAST(:as_of AS date)
             AND (r.notified_on IS NULL OR r.notified_on > r.notify_on) AS notify_missed
      FROM reasoned r
     CROSS JOIN LATERAL (VALUES ('NOTIFICATION', r.notify_on, r.notified_on),
                                ('STOP_DELIVERY', r.stop_on, NULL::date),
                                ('CLAIM', r.claim_by, r.claimed_on)) k(deadline, due_on, done_on)
     WHERE NOT r.after_stop{skip}
       AND (k.done_on IS NULL OR k.done_on > k.due_on)
       AND k.due_on - CAST(:as_of AS date) <= :warn
), notices AS (
    SELECT invoice_id, number, customer_id, policy_id, deadline, stage, due_on FROM deadlines
     WHERE NOT (deadline <> 'NOTIFICATION' AND notify_missed)
    UNION ALL
    SELECT r.id, r.number, r.customer_id, r.policy_id, 'DELIVERY', 'MISSED', r.issue_date
      FROM reasoned r
     WHERE r.after_stop{skip}
)"""
    )


NOTICES = _notices(live=False)

SWEEP_SQL = sa.text(
    _notices(live=True)
    + """, fresh AS MATERIALIZED (
    SELECT n.* FROM notices n
     WHERE NOT EXISTS (SELECT 1 FROM insurance_notices x WHERE x.invoice_id = n.invoice_id
                          AND x.deadline = n.deadline AND x.stage = n.stage)
), recorded AS (
    INSERT INTO insurance_notices (tenant_id, invoice_id, deadline, stage, policy_id,
                                   customer_id, due_on, recorded_on)
    SELECT CAST(:tenant AS uuid), invoice_id, deadline, stage, policy_id, customer_id, due_on,
           CAST(:as_of AS date)
      FROM fresh
    ON CONFLICT DO NOTHING
)
SELECT customer_id, deadline, stage, due_on, policy_id, number FROM fresh"""
)

NOTICES_SQL = sa.text(
    NOTICES + " SELECT invoice_id, deadline, stage, due_on FROM notices ORDER BY 1, 2, 3"
)

STATUS_SQL = sa.text(
    CLOCK
    + """ SELECT id, customer_id, policy_id, currency, issue_date, due_date, open_at,
                 limit_minor, reason, notify_on, stop_on, claim_by FROM reasoned"""
)

#: Covered open amounts per customer, policy and currency: each invoice still insured, in delivery
#: order, takes what its limit at delivery leaves after the earlier ones' open amounts.
COVERED_SQL = sa.text(
    CLOCK
    + """, ordered AS (
    SELECT customer_id, policy_id, currency, open_at, limit_minor,
           coalesce(sum(open_at) OVER (PARTITION BY customer_id, policy_id ORDER BY issue_date, id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM reasoned WHERE reason = 'INSURED'
)
SELECT customer_id, policy_id, currency,
       sum(greatest(0, least(open_at, limit_minor - before))) AS covered_minor
  FROM ordered GROUP BY customer_id, policy_id, currency"""
)


def _params(as_of: date, customers: list[UUID] | None) -> dict[str, Any]:
    return {"as_of": as_of, "customers": customers}


#: The sweep is set-wise from end to end: its estimates over CTEs and freshly filled tables are
#: rough, and a nested loop chosen on a wrong estimate costs minutes, a hash join seconds.
SET_WISE = sa.text("SET LOCAL enable_nestloop = off")


async def sweep(
    conn: AsyncConnection, tenant_id: UUID, as_of: date, warn_days: int
) -> list[sa.Row[Any]]:
    """Record the day's new notices (insert-once) and return them with invoice numbers."""
    await conn.execute(SET_WISE)
    params = {**_params(as_of, None), "tenant": tenant_id, "warn": warn_days}
    return list(await conn.execute(SWEEP_SQL, params))


async def notices_on(
    conn: AsyncConnection, as_of: date, warn_days: int, customers: list[UUID] | None = None
) -> list[sa.Row[Any]]:
    """What the clock says on a day, whatever was recorded before (for reads and the twin)."""
    params = {**_params(as_of, customers), "warn": warn_days}
    return list(await conn.execute(NOTICES_SQL, params))


async def statuses(
    conn: AsyncConnection, as_of: date, customers: list[UUID] | None
) -> list[sa.Row[Any]]:
    """Open invoices insured at delivery, with their clock and whether still insured."""
    return list(await conn.execute(STATUS_SQL, _params(as_of, customers)))


async def turnover(conn: AsyncConnection, start: date, end: date) -> list[sa.Row[Any]]:
    """Invoices insured at delivery issued in a period, and their total, per policy."""
    params = {**_params(end, None), "start": start}
    return list(await conn.execute(TURNOVER_SQL, params))


async def covered(
    conn: AsyncConnection, as_of: date, customers: list[UUID] | None
) -> list[sa.Row[Any]]:
    """Covered open amounts per customer, policy and currency."""
    return list(await conn.execute(COVERED_SQL, _params(as_of, customers)))
