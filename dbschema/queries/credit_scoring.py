"""Set-wise writes of class changes and scores: one statement per table for a whole batch.

A monthly reclassification can move thousands of customers; each change still writes its
customer row, its history row, its audit row and its event, but as arrays, not row by row.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

SEP = "\x1f"  #: separates codes inside one text value (codes are [A-Z0-9_])

CLASS_UPDATE_SQL = sa.text("""
UPDATE customers c SET rating_class = u.to_class, version = c.version + 1, updated_at = now()
  FROM unnest(CAST(:ids AS uuid[]), CAST(:to_class AS bpchar[])) AS u(id, to_class)
 WHERE c.id = u.id
""")

HISTORY_SQL = sa.text("""
INSERT INTO credit_class_history (tenant_id, customer_id, from_class, to_class, direction,
    source, reason, score_id, override_id, proposed_terms, created_by)
SELECT :tenant, u.customer_id, u.from_class, u.to_class, u.direction, u.source, u.reason,
       u.score_id, u.override_id, CAST(u.terms AS jsonb), :actor
  FROM unnest(CAST(:customer_id AS uuid[]), CAST(:from_class AS bpchar[]),
              CAST(:to_class AS bpchar[]), CAST(:direction AS text[]), CAST(:source AS text[]),
              CAST(:reason AS text[]), CAST(:score_id AS uuid[]), CAST(:override_id AS uuid[]),
              CAST(:terms AS text[]))
       AS u(customer_id, from_class, to_class, direction, source, reason, score_id,
            override_id, terms)
RETURNING id, customer_id
""")

AUDIT_SQL = sa.text("""
INSERT INTO audit_log (tenant_id, entity_type, entity_id, customer_id, action, actor,
    request_id, changes)
SELECT :tenant, 'Customer', u.customer_id, u.customer_id, :verb, :actor, :request_id,
       CAST(u.changes AS jsonb)
  FROM unnest(CAST(:customer_id AS uuid[]), CAST(:changes AS text[])) AS u(customer_id, changes)
""")

SCORES_SQL = sa.text("""
INSERT INTO credit_scores (tenant_id, customer_id, version_id, as_of, score, score_class,
    rating_class, inputs, factors, reason_codes, knock_outs, missing_inputs, inputs_hash,
    trigger, created_by)
SELECT :tenant, u.customer_id, :version, :as_of, u.score, u.score_class, u.rating_class,
       CAST(u.inputs AS jsonb), CAST(u.factors AS jsonb),
       string_to_array(u.reasons, E'\\x1f'), string_to_array(u.knock_outs, E'\\x1f'),
       string_to_array(u.missing, E'\\x1f'), u.inputs_hash, :trigger, :actor
  FROM unnest(CAST(:customer_id AS uuid[]), CAST(:score AS numeric[]),
              CAST(:score_class AS bpchar[]), CAST(:rating_class AS bpchar[]),
              CAST(:inputs AS text[]), CAST(:factors AS text[]), CAST(:reasons AS text[]),
              CAST(:knock_outs AS text[]), CAST(:missing AS text[]),
              CAST(:inputs_hash AS text[]))
       AS u(customer_id, score, score_class, rating_class, inputs, factors, reasons,
            knock_outs, missing, inputs_hash)
RETURNING id, customer_id
""")


async def update_classes(conn: AsyncConnection, ids: list[UUID], to_class: list[str]) -> None:
    """Set each customer's class (the rows are locked by the caller)."""
    await conn.execute(CLASS_UPDATE_SQL, {"ids": ids, "to_class": to_class})


async def insert_history(
    conn: AsyncConnection, tenant_id: UUID, actor: str, rows: list[dict[str, Any]]
) -> dict[UUID, UUID]:
    """History rows; returns each customer's new history id."""
    params: dict[str, Any] = {
        k: [r[k] for r in rows]
        for k in (
            "customer_id",
            "from_class",
            "to_class",
            "direction",
            "source",
            "reason",
            "score_id",
            "override_id",
        )
    }
    params["terms"] = [json.dumps(r["proposed_terms"]) for r in rows]
    result = await conn.execute(HISTORY_SQL, {**params, "tenant": tenant_id, "actor": actor})
    return {r.customer_id: r.id for r in result}


async def insert_audit(
    conn: AsyncConnection,
    tenant_id: UUID,
    actor: str,
    request_id: str | None,
    verb: str,
    changes: dict[UUID, dict[str, Any]],
) -> None:
    """One audit row per customer, entity Customer."""
    await conn.execute(
        AUDIT_SQL,
        {
            "tenant": tenant_id,
            "verb": verb,
            "actor": actor,
            "request_id": request_id,
            "customer_id": list(changes),
            "changes": [json.dumps(c) for c in changes.values()],
        },
    )


async def insert_scores(
    conn: AsyncConnection,
    *,
    tenant_id: UUID,
    version_id: UUID,
    as_of: Any,
    trigger: str,
    actor: str,
    rows: list[dict[str, Any]],
) -> dict[UUID, UUID]:
    """Score rows (codes joined by SEP); returns each customer's new score id."""
    if not rows:
        return {}
    keys = (
        "customer_id",
        "score",
        "score_class",
        "rating_class",
        "inputs",
        "factors",
        "reasons",
        "knock_outs",
        "missing",
        "inputs_hash",
    )
    params: dict[str, Any] = {k: [r[k] for r in rows] for k in keys}
    params.update(tenant=tenant_id, version=version_id, as_of=as_of, trigger=trigger, actor=actor)
    result = await conn.execute(SCORES_SQL, params)
    return {r.customer_id: r.id for r in result}
