"""Run a statement that builds a response's JSON in PostgreSQL and hand its bytes back as they
are: the driver's own fetch, without SQLAlchemy's result machinery (a page is one row of one
~80 KB value and its cost), still seen by the statement listeners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import notify_statement


async def fetch_json(conn: AsyncConnection, sql: str, args: Sequence[Any]) -> tuple[bytes, int]:
    """The (UTF-8 JSON bytes, integer) row of a statement built by services/compiled/."""
    raw = (await conn.get_raw_connection()).driver_connection
    notify_statement(sql)
    row = await raw.fetchrow(sql, *args)  # type: ignore[union-attr]
    return bytes(row[0]), int(row[1])
