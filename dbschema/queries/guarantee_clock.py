"""The daily guarantee clock, set-wise: each statement inserts the day's new notices once
(ON CONFLICT DO NOTHING on guarantee, invoice, kind and deadline) and returns only those new.

PostgreSQL's `date + make_interval(months => n)` clamps to the month's end exactly as
domain.risk.guarantees.months_after does; tests compare the sweep with period_notices.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

#: Covered open debts of ACTIVE guarantees (not instruments, whose deadline is their expiry)
#: whose guarantee period lapses within the warning days, or has lapsed.
PERIOD_SQL = sa.text("""
WITH covered AS (
    SELECT g.id AS guarantee_id, g.customer_id, i.id AS invoice_id, i.number,
           CAST(i.due_date + make_interval(
                months => coalesce(g.period_months, CAST(:statutory AS int))) AS date) AS ends_on
      FROM guarantees g
      JOIN invoices i ON i.tenant_id = g.tenant_id AND i.customer_id = g.customer_id
     WHERE g.status = 'ACTIVE' AND g.kind IN ('GENERAL', 'JOINT_AND_SEVERAL')
       AND g.scope <> 'NAMED_INVOICES' AND i.is_open AND i.issue_date <= g.valid_to
       AND (g.scope = 'ALL_DEBTS' OR i.issue_date >= g.valid_from)
    UNION ALL
    SELECT g.id, g.customer_id, i.id, i.number,
           CAST(i.due_date + make_interval(
                months => coalesce(g.period_months, CAST(:statutory AS int))) AS date)
      FROM guarantees g
      JOIN guarantee_invoices gi ON gi.tenant_id = g.tenant_id AND gi.guarantee_id = g.id
      JOIN invoices i ON i.tenant_id = gi.tenant_id AND i.id = gi.invoice_id
     WHERE g.status = 'ACTIVE' AND g.kind IN ('GENERAL', 'JOINT_AND_SEVERAL')
       AND g.scope = 'NAMED_INVOICES' AND i.is_open
), due AS (
    SELECT *, CASE WHEN ends_on < :as_of THEN 'PERIOD_LAPSED' ELSE 'PERIOD_LAPSING' END AS kind
      FROM covered WHERE ends_on <= CAST(:as_of AS date) + CAST(:warning_days AS int)
)
INSERT INTO guarantee_notices (tenant_id, guarantee_id, invoice_id, kind, ends_on, noticed_on,
                               detail)
SELECT CAST(current_setting('app.tenant_id', true) AS uuid), guarantee_id, invoice_id, kind,
       ends_on, :as_of,
       CASE kind WHEN 'PERIOD_LAPSED' THEN 'guarantee period of invoice ' || number
                 || ' lapsed on ' || ends_on || ': no claim on the guarantor for it'
            ELSE 'guarantee period of invoice ' || number || ' lapses on ' || ends_on
                 || ': claim before then' END
  FROM due
ON CONFLICT DO NOTHING
RETURNING guarantee_id, invoice_id, kind, ends_on
""")

#: Guarantees expiring within the warning days, or expired (these become EXPIRED).
EXPIRY_SQL = sa.text("""
INSERT INTO guarantee_notices (tenant_id, guarantee_id, invoice_id, kind, ends_on, noticed_on,
                               detail)
SELECT g.tenant_id, g.id, NULL,
       CASE WHEN g.valid_to < :as_of THEN 'EXPIRED' ELSE 'EXPIRING' END, g.valid_to, :as_of,
       CASE WHEN g.valid_to < :as_of THEN 'guarantee ' || g.reference || ' expired on '
                 || g.valid_to
            ELSE 'guarantee ' || g.reference || ' expires on ' || g.valid_to END
  FROM guarantees g
 WHERE g.status = 'ACTIVE' AND g.valid_to <= CAST(:as_of AS date) + CAST(:warning_days AS int)
ON CONFLICT DO NOTHING
RETURNING guarantee_id, kind, ends_on
""")

EXPIRE_SQL = sa.text("""
UPDATE guarantees SET status = 'EXPIRED', status_on = :as_of, version = version + 1
 WHERE status = 'ACTIVE' AND valid_to < :as_of
RETURNING id, customer_id
""")

#: A proposal to call: the customer's open collection case has reached litigation.
PROPOSE_CALL_SQL = sa.text("""
INSERT INTO guarantee_notices (tenant_id, guarantee_id, invoice_id, kind, ends_on, noticed_on,
                               detail)
SELECT g.tenant_id, g.id, NULL, 'PROPOSE_CALL', g.valid_to, :as_of,
       'the collection case reached litigation: call guarantee ' || g.reference
  FROM guarantees g
  JOIN collection_cases c ON c.tenant_id = g.tenant_id AND c.customer_id = g.customer_id
 WHERE g.status = 'ACTIVE' AND c.status = 'OPEN' AND c.stage = 'LITIGATION'
ON CONFLICT DO NOTHING
RETURNING guarantee_id, kind, ends_on
""")

#: Candidates for release: ACTIVE guarantees of customers in the classes, with the most days
#: any debt ran late inside the window (open and late now, or settled late inside it).
RESTORED_SQL = sa.text("""
SELECT g.id, g.reference, g.valid_to, c.rating_class,
       greatest(
         (SELECT max(CAST(:as_of AS date) - i.due_date) FROM invoices i
           WHERE i.tenant_id = g.tenant_id AND i.customer_id = g.customer_id
             AND i.is_open AND i.due_date < :as_of),
         (SELECT max(a.effective_on - i.due_date) FROM allocations a
            JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
           WHERE i.tenant_id = g.tenant_id AND i.customer_id = g.customer_id
             AND a.effective_on >= :window_start AND a.effective_on <= :as_of),
         0) AS max_days
  FROM guarantees g
  JOIN customers c ON c.tenant_id = g.tenant_id AND c.id = g.customer_id
 WHERE g.status = 'ACTIVE' AND c.rating_class = ANY (CAST(:classes AS text[]))
""")

PROPOSE_RELEASE_SQL = sa.text("""
INSERT INTO guarantee_notices (tenant_id, guarantee_id, invoice_id, kind, ends_on, noticed_on,
                               detail)
SELECT CAST(current_setting('app.tenant_id', true) AS uuid), g.id, NULL, 'PROPOSE_RELEASE',
       g.valid_to, :as_of, 'the customer''s credit is restored: release guarantee ' || g.reference
  FROM guarantees g WHERE g.id = ANY (CAST(:ids AS uuid[]))
ON CONFLICT DO NOTHING
RETURNING guarantee_id, kind, ends_on
""")

#: Collateral whose re-appraisal falls due within the warning days, or is overdue.
REAPPRAISAL_SQL = sa.text("""
WITH due AS (
    SELECT c.tenant_id, c.id, c.reference,
           CAST(c.appraised_on + make_interval(months => m.months) AS date) AS due_on
      FROM collateral c
      JOIN (SELECT * FROM jsonb_each_text(CAST(:months AS jsonb))) AS m0(kind, months_text)
        ON m0.kind = c.asset_kind
      CROSS JOIN LATERAL (SELECT CAST(m0.months_text AS int) AS months) m
     WHERE c.status = 'ACTIVE'
)
INSERT INTO collateral_notices (tenant_id, collateral_id, kind, due_on, noticed_on)
SELECT tenant_id, id,
       CASE WHEN due_on < :as_of THEN 'REAPPRAISAL_OVERDUE' ELSE 'REAPPRAISAL_DUE' END,
       due_on, :as_of
  FROM due WHERE due_on <= CAST(:as_of AS date) + CAST(:warning_days AS int)
ON CONFLICT DO NOTHING
RETURNING collateral_id, kind, due_on
""")


async def run(conn: AsyncConnection, statement: sa.TextClause, **params: Any) -> list[Any]:
    """Run one of the clock's statements and return the rows it reports."""
    return list(await conn.execute(statement, params))
