"""Set-wise writes of the warning rules engine: raise, raise in level, respond, escalate.

One statement raises a whole run's findings: a finding whose (customer, rule, key) has an
active warning raises that warning's level when higher and is otherwise dropped; one whose
window already holds a closed warning at its level or above is dropped too (a dismissed
false alarm stays quiet for the window); the rest are inserted.

The lookups into `warnings` all run before the first row is inserted (a one-time filter on
the insert reads `f` whole first). Otherwise a night's first chunk, planned on an empty
table, scans `warnings` per finding while the same statement fills it: 20,000 findings took
13 s that way, quadratic in the chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import fetch_native
from dbschema.queries.json_text import json_text

RANK = "array_position(ARRAY['LIGHT','MEDIUM','SEVERE'], {})"
ACTIVE = "('OPEN','ACKNOWLEDGED','INVESTIGATING')"

RAISE = f"""
WITH f AS MATERIALIZED (
  SELECT f.*, act.id AS act_id, act.level AS act_level,
         EXISTS (SELECT 1 FROM warnings c
                  WHERE c.customer_id = f.customer_id AND c.kind = f.kind
                    AND c.window_key = f.window_key AND c.status NOT IN {ACTIVE}
                    AND {RANK.format("c.level")} >= {RANK.format("f.level")}) AS closed
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS f(
           customer_id uuid, kind text, level text, rule_key text, window_key text,
           evidence jsonb, owner_role text, sla_hours int)
    LEFT JOIN LATERAL (
      SELECT w.id, w.level FROM warnings w
       WHERE w.customer_id = f.customer_id AND w.kind = f.kind AND w.rule_key = f.rule_key
         AND w.status IN {ACTIVE}
       ORDER BY w.raised_at DESC LIMIT 1) act ON true),
up AS (
  UPDATE warnings w
     SET level = f.level, evidence = f.evidence || jsonb_build_object('previousLevel', f.act_level),
         level_raised_at = now(), window_key = f.window_key,
         sla_due_at = CASE WHEN w.status = 'OPEN'
                      THEN now() + make_interval(hours => f.sla_hours) ELSE w.sla_due_at END
    FROM f
   WHERE w.id = f.act_id AND {RANK.format("f.level")} > {RANK.format("f.act_level")}
  RETURNING w.id, w.customer_id, w.kind, w.level, w.status, w.rule_key, w.raised_at,
            f.act_level AS previous_level),
ins AS (
  INSERT INTO warnings (tenant_id, customer_id, kind, level, evidence, rule_key, window_key,
                        owner_role, sla_due_at)
  SELECT :tenant, f.customer_id, f.kind, f.level, f.evidence, f.rule_key, f.window_key,
         f.owner_role, now() + make_interval(hours => f.sla_hours)
    FROM f
   WHERE f.act_id IS NULL AND NOT f.closed
     AND (SELECT count(*) FROM f) >= 0  -- f is read whole before the first insert: see above
  ON CONFLICT (tenant_id, customer_id, kind, rule_key) WHERE status = 'OPEN' DO NOTHING
  RETURNING id, customer_id, kind, level, status, rule_key, raised_at,
            NULL::text AS previous_level),
done AS (SELECT * FROM up UNION ALL SELECT * FROM ins)
SELECT done.*, done.previous_level IS NOT NULL AS level_raised, c.code AS customer_code,
       c.legal_name AS customer_name, c.salesperson, c.payment_terms_code, c.last_reviewed_on
  FROM done JOIN customers c ON c.id = done.customer_id
"""


async def raise_findings(
    conn: AsyncConnection, tenant_id: UUID, rows: Sequence[dict[str, Any]]
) -> list[sa.Row[Any]]:
    """Raise (or raise in level) a run's findings in one statement: the rows changed."""
    if not rows:
        return []
    result = await conn.execute(sa.text(RAISE), {"tenant": tenant_id, "rows": json_text(rows)})
    return list(result)


RESPOND = """
INSERT INTO warning_responses (tenant_id, warning_id, customer_id, action, level, role,
                               status, due_on, details)
SELECT :tenant, r.warning_id, r.customer_id, r.action, r.level, r.role, r.status, r.due_on,
       r.details
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
    warning_id uuid, customer_id uuid, action text, level text, role text, status text,
    due_on date, details jsonb)
ON CONFLICT (tenant_id, warning_id, action) DO NOTHING
RETURNING id, warning_id, customer_id, action
"""


async def add_responses(
    conn: AsyncConnection, tenant_id: UUID, rows: Sequence[dict[str, Any]]
) -> list[sa.Row[Any]]:
    """Record responses (one per warning and action; a repeat is ignored): those added."""
    if not rows:
        return []
    return list(
        await conn.execute(sa.text(RESPOND), {"tenant": tenant_id, "rows": json_text(rows)})
    )


HOLD = """
WITH want AS (SELECT DISTINCT unnest(CAST(:customers AS uuid[])) AS customer_id),
cur AS (SELECT DISTINCT ON (h.customer_id) h.customer_id, h.held FROM credit_holds h
          JOIN want USING (customer_id) ORDER BY h.customer_id, h.seq DESC),
ins AS (
  INSERT INTO credit_holds (tenant_id, customer_id, held, reason, source, created_by)
  SELECT :tenant, want.customer_id, true, :reason, 'WARNING', :actor FROM want
    LEFT JOIN cur USING (customer_id) WHERE cur.held IS NOT TRUE
  RETURNING customer_id)
SELECT customer_id FROM ins
"""


async def hold(
    conn: AsyncConnection, tenant_id: UUID, customers: Sequence[UUID], reason: str, actor: str
) -> list[UUID]:
    """Put customers not already held on a WARNING credit hold: those newly held."""
    if not customers:
        return []
    rows = await conn.execute(
        sa.text(HOLD),
        {"tenant": tenant_id, "customers": list(customers), "reason": reason, "actor": actor},
    )
    return [r.customer_id for r in rows]


async def audit_many(
    conn: AsyncConnection, tenant_id: UUID, entries: Sequence[dict[str, Any]], actor: str
) -> None:
    """Audit entries in one statement (entity, customer, action, changes per entry)."""
    if not entries:
        return
    await conn.execute(
        sa.text(
            "INSERT INTO audit_log (tenant_id, entity_type, entity_id, customer_id, action, "
            "actor, changes) SELECT :tenant, e.entity_type, e.entity_id, e.customer_id, "
            "e.action, :actor, e.changes FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS e("
            "entity_type text, entity_id uuid, customer_id uuid, action text, changes jsonb)"
        ),
        {"tenant": tenant_id, "rows": json_text(entries), "actor": actor},
    )


async def severe_customers(conn: AsyncConnection, kinds_excluded: Sequence[str]) -> list[Any]:
    """Customers with an active severe warning, and its rules (contagion's sources)."""
    return list(
        await conn.execute(
            sa.text(
                "SELECT customer_id, array_agg(DISTINCT kind) AS kinds FROM warnings "
                f"WHERE level = 'SEVERE' AND status IN {ACTIVE} "
                "AND NOT kind = ANY(:excluded) GROUP BY customer_id"
            ),
            {"excluded": list(kinds_excluded)},
        )
    )


async def breached(conn: AsyncConnection, now: datetime) -> list[sa.Row[Any]]:
    """Open warnings past their SLA, locked for the escalation."""
    return list(
        await conn.execute(
            sa.text(
                "SELECT id, customer_id, level, status, owner_role, sla_due_at FROM warnings "
                "WHERE status = 'OPEN' AND sla_due_at < :now FOR UPDATE"
            ),
            {"now": now},
        )
    )


async def escalate(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """New owners and deadlines of breached warnings, in one statement."""
    if not rows:
        return
    await conn.execute(
        sa.text(
            "UPDATE warnings w SET owner_role = e.role, sla_due_at = e.due, escalated_at = now() "
            "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS e(id uuid, role text, "
            "due timestamptz) WHERE w.id = e.id"
        ),
        {"rows": json_text(rows)},
    )


async def active_levels(conn: AsyncConnection) -> dict[tuple[str, str, str], str]:
    """(customer, kind, key) -> level of every active warning: findings at or below it need
    not reach the raise statement (which remains the authority)."""
    rows = await fetch_native(
        conn,
        f"SELECT customer_id::text, kind, rule_key, level FROM warnings WHERE status IN {ACTIVE}",
    )  # a night's hundreds of thousands of rows: driver records, not SQLAlchemy rows
    return {(c, kind, key): level for c, kind, key, level in rows}
