"""Warning reads and writes: at most one open warning per customer and kind."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import keyset
from dbschema.tables import customers, warnings


async def raise_open(
    conn: AsyncConnection,
    *,
    tenant_id: UUID,
    customer_id: UUID,
    kind: str,
    level: str,
    evidence: dict[str, Any],
) -> sa.Row[Any] | None:
    """Raise unless an open warning of the kind exists (partial unique index): the new row
    with its customer's code and name (which the raised event carries), or None."""
    raised = (
        insert(warnings)
        .values(
            tenant_id=tenant_id, customer_id=customer_id, kind=kind, level=level, evidence=evidence
        )
        .on_conflict_do_nothing(
            index_elements=["tenant_id", "customer_id", "kind", "rule_key"],
            index_where=sa.text("status = 'OPEN'"),
        )
        .returning(warnings)
        .cte("raised")
    )
    query = sa.select(
        raised,
        customers.c.code.label("customer_code"),
        customers.c.legal_name.label("customer_name"),
    ).join_from(
        raised,
        customers,
        sa.and_(
            customers.c.tenant_id == raised.c.tenant_id, customers.c.id == raised.c.customer_id
        ),
    )
    return (await conn.execute(query)).first()


async def raise_open_many(
    conn: AsyncConnection, tenant_id: UUID, signals: list[tuple[UUID, str, str, dict[str, Any]]]
) -> list[sa.Row[Any]]:
    """Raise many (customer, kind, level, evidence) at once, each unless an open warning of its
    kind exists: the new rows with their customers' codes and names, in one statement."""
    if not signals:
        return []
    query = sa.text(
        """WITH raised AS (
               INSERT INTO warnings (tenant_id, customer_id, kind, level, evidence)
               SELECT CAST(:tenant AS uuid), s.customer_id, s.kind, s.level, s.evidence
                 FROM unnest(CAST(:customers AS uuid[]), CAST(:kinds AS text[]),
                             CAST(:levels AS text[]), CAST(CAST(:evidence AS text[]) AS jsonb[]))
                      AS s(customer_id, kind, level, evidence)
               ON CONFLICT (tenant_id, customer_id, kind, rule_key) WHERE status = 'OPEN'
               DO NOTHING
               RETURNING *)
           SELECT raised.*, c.code AS customer_code, c.legal_name AS customer_name
             FROM raised JOIN customers c
               ON c.tenant_id = raised.tenant_id AND c.id = raised.customer_id"""
    )
    params = {
        "tenant": tenant_id,
        "customers": [s[0] for s in signals],
        "kinds": [s[1] for s in signals],
        "levels": [s[2] for s in signals],
        "evidence": [json.dumps(s[3]) for s in signals],
    }
    return list(await conn.execute(query, params))


async def for_update(conn: AsyncConnection, warning_id: UUID) -> sa.Row[Any] | None:
    """Lock a warning for a read-modify-write."""
    query = sa.select(warnings).where(warnings.c.id == warning_id).with_for_update()
    return (await conn.execute(query)).first()


async def acknowledge(
    conn: AsyncConnection, warning_id: UUID, by: str, note: str | None
) -> sa.Row[Any]:
    """Mark a warning acknowledged and return it as stored."""
    result = await conn.execute(
        warnings.update()
        .where(warnings.c.id == warning_id)
        .values(
            status="ACKNOWLEDGED",
            acknowledged_by=by,
            acknowledged_at=sa.func.now(),
            acknowledge_note=note,
        )
        .returning(warnings)
    )
    row: sa.Row[Any] = result.one()
    return row


async def acknowledge_open(
    conn: AsyncConnection, customer_id: UUID, kind: str, by: str, note: str
) -> int:
    """Acknowledge the customer's open warning of a kind, if any; how many were."""
    result = await conn.execute(
        warnings.update()
        .where(
            warnings.c.customer_id == customer_id,
            warnings.c.kind == kind,
            warnings.c.status == "OPEN",
        )
        .values(
            status="ACKNOWLEDGED",
            acknowledged_by=by,
            acknowledged_at=sa.func.now(),
            acknowledge_note=note,
        )
    )
    return int(result.rowcount)


async def page(
    conn: AsyncConnection,
    *,
    status: str | None,
    levels: tuple[str, ...] | None,
    customer_id: UUID | None,
    kind: str | None,
    after: UUID | None,
    first: int,
    backward: bool = False,
) -> list[sa.Row[Any]]:
    """Warnings newest first beyond a keyset cursor (a warning's id; `backward`: before it,
    in reverse order), one more than asked to tell whether more lie beyond, each row carrying
    the filtered total."""
    conds: list[sa.ColumnElement[bool]] = []
    if status:
        conds.append(warnings.c.status == status)
    if levels:
        conds.append(warnings.c.level.in_(levels))
    if customer_id:
        conds.append(warnings.c.customer_id == customer_id)
    if kind:
        conds.append(warnings.c.kind == kind)
    counted = (
        sa.select(warnings, sa.func.count().over().label("total_count")).where(*conds).subquery()
    )
    keys = (warnings.c.raised_at, warnings.c.id)
    query = keyset.paged_counted(counted, keys, after, first, True, backward)
    return list(await conn.execute(query))


async def by_ids(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """Warnings of the current tenant among the ids (others are silently absent)."""
    return list(await conn.execute(sa.select(warnings).where(warnings.c.id.in_(ids))))


async def open_for_customer(conn: AsyncConnection, customer_id: UUID) -> list[sa.Row[Any]]:
    """A customer's open warnings, newest first."""
    query = (
        sa.select(warnings)
        .where(warnings.c.customer_id == customer_id, warnings.c.status == "OPEN")
        .order_by(warnings.c.raised_at.desc())
    )
    return list(await conn.execute(query))


async def set_status(
    conn: AsyncConnection, warning_id: UUID, values: dict[str, Any]
) -> sa.Row[Any]:
    """Write a warning's lifecycle columns and return it as stored."""
    result = await conn.execute(
        warnings.update().where(warnings.c.id == warning_id).values(**values).returning(warnings)
    )
    row: sa.Row[Any] = result.one()
    return row


async def rule_counts(conn: AsyncConnection) -> list[sa.Row[Any]]:
    """Per kind: warnings raised, confirmed true alarms, dismissed as false alarms."""
    query = sa.select(
        warnings.c.kind,
        sa.func.count().label("fired"),
        sa.func.count().filter(warnings.c.feedback == "TRUE_ALARM").label("confirmed"),
        sa.func.count()
        .filter(warnings.c.feedback == "FALSE_ALARM", warnings.c.status == "DISMISSED")
        .label("false_alarms"),
    ).group_by(warnings.c.kind)
    return list(await conn.execute(query))


async def first_fired_before_write_off(conn: AsyncConnection) -> list[sa.Row[Any]]:
    """For customers in the bad-debt case library: their first write-off date, and per kind
    the first day a warning was raised on them."""
    return list(
        await conn.execute(
            sa.text(
                "WITH lost AS (SELECT customer_id, min(created_at::date) AS written_off_on "
                "FROM bad_debt_cases GROUP BY customer_id) "
                "SELECT lost.customer_id, lost.written_off_on, w.kind, "
                "min(w.raised_at::date) AS first_on FROM lost "
                "LEFT JOIN warnings w ON w.customer_id = lost.customer_id "
                "GROUP BY lost.customer_id, lost.written_off_on, w.kind"
            )
        )
    )
