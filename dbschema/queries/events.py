"""The outbox: subscriber events, written in the caller's transaction (jobs: queries/jobs.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.json_text import json_text
from dbschema.tables import events


async def record_event(
    conn: AsyncConnection, tenant_id: UUID, topic: str, payload: dict[str, Any]
) -> int:
    """Append an event; the trigger numbers it per tenant and NOTIFYs at commit."""
    seq = await conn.scalar(
        events.insert()
        .values(tenant_id=tenant_id, seq=0, topic=topic, payload=payload)
        .returning(events.c.seq)
    )
    return int(seq or 0)


async def events_after(
    conn: AsyncConnection, after_seq: int, topics: tuple[str, ...], limit: int = 1000
) -> list[Any]:
    """Events of the current tenant after a cursor, oldest first."""
    rows = await conn.execute(
        sa.select(events.c.seq, events.c.topic, events.c.payload, events.c.created_at)
        .where(events.c.seq > after_seq, events.c.topic.in_(topics))
        .order_by(events.c.seq)
        .limit(limit)
    )
    return list(rows.all())


async def last_seq(conn: AsyncConnection) -> int:
    """The newest event number of the current tenant (0 when none)."""
    return int(await conn.scalar(sa.select(sa.func.coalesce(sa.func.max(events.c.seq), 0))) or 0)


#: Many events of one topic from one JSON array, numbered in its order by the trigger.
RECORD_EVENTS_SQL = sa.text(
    "INSERT INTO events (tenant_id, seq, topic, payload) "
    "SELECT :tenant, 0, :topic, p "
    "FROM jsonb_array_elements(CAST(CAST(:payloads AS text) AS jsonb)) "
    "WITH ORDINALITY AS u(p, n) ORDER BY n"
)


def events_body(payloads: list[dict[str, Any]]) -> str:
    """Payloads as record_events_body takes them: one JSON array."""
    return json_text(payloads)


async def record_events_body(conn: AsyncConnection, tenant_id: UUID, topic: str, body: str) -> None:
    """Append the events of one topic whose payloads `body` holds (events_body), in order."""
    await conn.execute(RECORD_EVENTS_SQL, {"tenant": tenant_id, "topic": topic, "payloads": body})


async def record_events(
    conn: AsyncConnection, tenant_id: UUID, topic: str, payloads: list[dict[str, Any]]
) -> None:
    """Append many events of one topic in one statement (numbered in order by the trigger)."""
    if payloads:
        await record_events_body(conn, tenant_id, topic, json_text(payloads))
