"""Factoring set-wise: eligibility and assignment of thousands of invoices in a few statements,
the mirror of receivables-ledger movements, and the reconciliations.

Pure twins: domain.risk.factoring (`eligibility`, `position`, `open_on`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

#: Every reason each offered invoice (in the order offered) cannot be assigned under
#: :agreement on :on; debtor limits are used by the otherwise eligible invoices in that order.
ELIGIBILITY_SQL = sa.text("""
WITH agreement AS (
    SELECT * FROM factoring_agreements WHERE id = CAST(:agreement AS uuid)
), offered AS (
    SELECT o.id, o.ord FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS o(id, ord)
), cand AS (
    SELECT o.ord, o.id, i.id IS NULL AS missing, i.customer_id, i.open_minor,
           array_remove(ARRAY[
             CASE WHEN i.open_minor <= 0 THEN 'INVOICE_SETTLED' END,
             CASE WHEN i.disputed_minor > 0 THEN 'INVOICE_DISPUTED' END,
             CASE WHEN i.due_date < CAST(:on AS date) THEN 'INVOICE_OVERDUE' END,
             CASE WHEN fa.id IS NOT NULL THEN 'ALREADY_ASSIGNED' END,
             CASE WHEN NOT (i.currency = ANY(a.currencies)) THEN 'CURRENCY_NOT_ALLOWED' END,
             CASE WHEN i.due_date - i.issue_date > a.max_terms_days THEN 'TERMS_TOO_LONG' END,
             CASE WHEN c.rating_class IS NULL OR NOT (c.rating_class = ANY(a.allowed_classes))
                  THEN 'CLASS_NOT_ALLOWED' END,
             CASE WHEN NOT a.recourse AND NOT coalesce(l.approved, false)
                  THEN 'DEBTOR_NOT_APPROVED' END
           ], NULL) AS reasons,
           l.limit_minor
      FROM offered o CROSS JOIN agreement a
      LEFT JOIN invoices i ON i.id = o.id
      LEFT JOIN factored_invoices fa
        ON fa.tenant_id = i.tenant_id AND fa.invoice_id = i.id AND fa.status = 'ACTIVE'
      LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      LEFT JOIN factoring_debtor_limits l
        ON l.agreement_id = a.id AND l.customer_id = i.customer_id
), used AS (
    SELECT f.customer_id, sum(i.open_minor) AS amount
      FROM factored_invoices f JOIN invoices i ON i.tenant_id = f.tenant_id AND i.id = f.invoice_id
     WHERE f.agreement_id = CAST(:agreement AS uuid) AND f.status = 'ACTIVE'
       AND f.customer_id IN (SELECT customer_id FROM cand WHERE limit_minor IS NOT NULL)
     GROUP BY f.customer_id
), running AS (
    SELECT c.ord, c.id, c.missing, c.reasons,
           CASE WHEN c.limit_minor IS NOT NULL AND cardinality(c.reasons) = 0
                 AND coalesce(u.amount, 0) + sum(c.open_minor) OVER (
                       PARTITION BY c.customer_id, cardinality(c.reasons) = 0 ORDER BY c.ord)
                     > c.limit_minor
                THEN ARRAY['DEBTOR_LIMIT_EXCEEDED'] ELSE ARRAY[]::text[] END AS over
      FROM cand c LEFT JOIN used u ON u.customer_id = c.customer_id
)
SELECT ord, id, missing, reasons || over AS reasons FROM running ORDER BY ord
""")

#: Lock the offered invoices in id order (the ledger's global lock order).
LOCK_SQL = sa.text(
    "SELECT id FROM invoices WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE"
)

#: The offered invoices' open amounts per currency.
TOTALS_SQL = sa.text(
    "SELECT trim(currency) AS currency, sum(open_minor) AS amount FROM invoices "
    "WHERE id = ANY(CAST(:ids AS uuid[])) GROUP BY 1 ORDER BY 1"
)

#: The assignments of a batch: the face is the open amount now, net of the allocations already
#: on the invoice (kept, so the mirror takes only later ones).
ASSIGN_SQL = sa.text("""
INSERT INTO factored_invoices (tenant_id, agreement_id, batch_id, invoice_id, customer_id,
                               currency, face_minor, assigned_on, prior_allocations)
SELECT i.tenant_id, CAST(:agreement AS uuid), CAST(:batch AS uuid), i.id, i.customer_id,
       i.currency, i.open_minor, CAST(:on AS date),
       coalesce((SELECT array_agg(a.id) FROM allocations a WHERE a.invoice_id = i.id),
                ARRAY[]::uuid[])
  FROM invoices i WHERE i.id = ANY(CAST(:ids AS uuid[]))
""")

#: Assignment, advance, reserve and commission of every invoice of a batch (advance rounded
#: down, commission half up: domain.risk.factoring.funding).
FUNDING_SQL = sa.text("""
INSERT INTO factoring_entries (tenant_id, agreement_id, assignment_id, invoice_id, kind,
                               currency, amount_minor, effective_on, created_by)
SELECT f.tenant_id, f.agreement_id, f.id, f.invoice_id, k.kind, f.currency, k.amount,
       f.assigned_on, CAST(:actor AS text)
  FROM factored_invoices f
 CROSS JOIN LATERAL (SELECT trunc(f.face_minor * CAST(:advance AS numeric) / 100)::bigint AS adv)
       AS m
 CROSS JOIN LATERAL (VALUES
       (1, 'ASSIGNMENT', f.face_minor),
       (2, 'ADVANCE', m.adv),
       (3, 'RESERVE', f.face_minor - m.adv),
       (4, 'COMMISSION', round(f.face_minor * CAST(:commission AS numeric) / 100)::bigint)
 ) AS k(n, kind, amount)
 WHERE f.batch_id = CAST(:batch AS uuid) AND (k.kind = 'ASSIGNMENT' OR k.amount > 0)
 ORDER BY f.invoice_id, k.n
""")

#: One notice of assignment per debtor of a batch (disclosed factoring), content frozen now.
NOTICES_SQL = sa.text("""
INSERT INTO risk_documents (tenant_id, kind, customer_id, content, created_by)
SELECT f.tenant_id, 'ASSIGNMENT_NOTICE', f.customer_id,
       jsonb_build_object(
         'batchId', CAST(:batch_text AS text), 'assignedOn', min(f.assigned_on),
         'factor', CAST(:factor AS jsonb),
         'debtor', jsonb_build_object('code', min(c.code), 'legalName', min(c.legal_name)),
         'invoices', jsonb_agg(jsonb_build_object(
             'number', i.number, 'issueDate', i.issue_date, 'dueDate', i.due_date,
             'currency', trim(i.currency), 'faceMinor', f.face_minor)
           ORDER BY i.due_date, i.number)),
       CAST(:actor AS text)
  FROM factored_invoices f
  JOIN invoices i ON i.tenant_id = f.tenant_id AND i.id = f.invoice_id
  JOIN customers c ON c.tenant_id = f.tenant_id AND c.id = f.customer_id
 WHERE f.batch_id = CAST(:batch AS uuid)
 GROUP BY f.tenant_id, f.customer_id
RETURNING id, customer_id
""")

#: Mirror every receivables-ledger allocation on an assigned invoice made since its assignment
#: (payments as collections we received, credit notes and write-offs as dilutions; reversals
#: negative), once each.
SYNC_SQL = sa.text("""
INSERT INTO factoring_entries (tenant_id, agreement_id, assignment_id, invoice_id, kind,
                               currency, amount_minor, effective_on, received_by, allocation_id,
                               reverses_seq, created_by)
SELECT f.tenant_id, f.agreement_id, f.id, f.invoice_id,
       CASE WHEN a.kind = 'PAYMENT' THEN 'COLLECTION' ELSE 'DILUTION' END,
       a.currency, a.amount_minor, a.effective_on,
       CASE WHEN a.kind = 'PAYMENT' THEN 'US' END, a.id,
       (SELECT e.seq FROM factoring_entries e WHERE e.allocation_id = a.reverses_id),
       CAST(:actor AS text)
  FROM factored_invoices f
  JOIN allocations a ON a.tenant_id = f.tenant_id AND a.invoice_id = f.invoice_id
 WHERE f.status = 'ACTIVE' AND NOT (a.id = ANY(f.prior_allocations))
   AND NOT EXISTS (SELECT 1 FROM factoring_entries e WHERE e.allocation_id = a.id)
 ORDER BY a.created_at, a.id
ON CONFLICT (tenant_id, allocation_id) WHERE allocation_id IS NOT NULL DO NOTHING
RETURNING assignment_id
""")

#: Per assignment active on :as_of: the receivable the sub-ledger says the factor holds, and
#: the receivables ledger's open amount of the invoice, both at the end of :as_of.
RECONCILE_SQL = sa.text("""
WITH active AS (
    SELECT f.* FROM factored_invoices f
     WHERE f.assigned_on <= CAST(:as_of AS date)
       AND (f.closed_on IS NULL OR f.closed_on > CAST(:as_of AS date))
       AND (CAST(:agreement AS uuid) IS NULL OR f.agreement_id = CAST(:agreement AS uuid))
), ours AS (
    SELECT e.assignment_id,
           sum(CASE WHEN e.kind = 'ASSIGNMENT' THEN e.amount_minor
                    WHEN e.kind IN ('COLLECTION','DILUTION','BUYBACK') THEN -e.amount_minor
                    ELSE 0 END) AS factored
      FROM factoring_entries e
     WHERE e.assignment_id IN (SELECT id FROM active) AND e.effective_on <= CAST(:as_of AS date)
     GROUP BY e.assignment_id
), ledger AS (
    SELECT a.invoice_id, sum(a.amount_minor) AS allocated FROM allocations a
     WHERE a.invoice_id IN (SELECT invoice_id FROM active)
       AND a.effective_on <= CAST(:as_of AS date)
     GROUP BY a.invoice_id
)
SELECT f.id AS assignment_id, f.agreement_id, f.invoice_id, i.number, f.customer_id,
       trim(f.currency) AS currency, coalesce(o.factored, 0) AS factored_minor,
       i.amount_minor - coalesce(l.allocated, 0) AS ledger_minor
  FROM active f
  JOIN invoices i ON i.tenant_id = f.tenant_id AND i.id = f.invoice_id
  LEFT JOIN ours o ON o.assignment_id = f.id
  LEFT JOIN ledger l ON l.invoice_id = f.invoice_id
 ORDER BY i.number
""")

#: Per customer and currency, what factors hold without recourse on :as_of (their risk).
NON_RECOURSE_SQL = sa.text("""
SELECT f.customer_id, trim(f.currency) AS currency,
       sum(CASE WHEN e.kind = 'ASSIGNMENT' THEN e.amount_minor
                WHEN e.kind IN ('COLLECTION','DILUTION','BUYBACK') THEN -e.amount_minor
                ELSE 0 END) AS factored_minor
  FROM factored_invoices f
  JOIN factoring_agreements g ON g.tenant_id = f.tenant_id AND g.id = f.agreement_id
  JOIN factoring_entries e ON e.tenant_id = f.tenant_id AND e.assignment_id = f.id
 WHERE NOT g.recourse AND f.customer_id = ANY(CAST(:customers AS uuid[]))
   AND f.assigned_on <= CAST(:as_of AS date)
   AND (f.closed_on IS NULL OR f.closed_on > CAST(:as_of AS date))
   AND e.effective_on <= CAST(:as_of AS date)
 GROUP BY f.customer_id, f.currency
""")


async def eligibility(
    conn: AsyncConnection, agreement_id: UUID, invoice_ids: list[UUID], on: date
) -> list[sa.Row[Any]]:
    """Every offered invoice with its reasons (none: eligible), in the order offered."""
    params = {"agreement": agreement_id, "ids": invoice_ids, "on": on}
    return list(await conn.execute(ELIGIBILITY_SQL, params))


async def assign(
    conn: AsyncConnection,
    *,
    agreement_id: UUID,
    batch_id: UUID,
    invoice_ids: list[UUID],
    on: date,
    advance_percent: Decimal,
    commission_percent: Decimal,
    actor: str,
) -> None:
    """Assign a batch's invoices and post their funding entries (two statements)."""
    params = {"agreement": agreement_id, "batch": batch_id, "ids": invoice_ids, "on": on}
    await conn.execute(ASSIGN_SQL, params)
    await conn.execute(
        FUNDING_SQL,
        {
            "batch": batch_id,
            "advance": advance_percent,
            "commission": commission_percent,
            "actor": actor,
        },
    )


async def notices(
    conn: AsyncConnection, batch_id: UUID, factor: str, actor: str
) -> list[sa.Row[Any]]:
    """The batch's notices of assignment, one per debtor (factor: its particulars as JSON)."""
    params = {"batch": batch_id, "batch_text": str(batch_id), "factor": factor, "actor": actor}
    return list(await conn.execute(NOTICES_SQL, params))


async def sync(conn: AsyncConnection, actor: str) -> list[UUID]:
    """Mirror new allocations on assigned invoices; the assignments that moved."""
    return [r.assignment_id for r in await conn.execute(SYNC_SQL, {"actor": actor})]


async def reconcile(
    conn: AsyncConnection, agreement_id: UUID | None, as_of: date
) -> list[sa.Row[Any]]:
    """Both sides of every assignment active on a date."""
    return list(await conn.execute(RECONCILE_SQL, {"agreement": agreement_id, "as_of": as_of}))


async def non_recourse(
    conn: AsyncConnection, customer_ids: list[UUID], as_of: date
) -> list[sa.Row[Any]]:
    """What factors hold without recourse, per customer and currency."""
    return list(await conn.execute(NON_RECOURSE_SQL, {"customers": customer_ids, "as_of": as_of}))
