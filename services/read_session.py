"""Request-scoped reads: one connection, one read-only transaction, tenant set once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dbschema.engine import end_read, open_transaction

T = TypeVar("T")


class ReadSession:
    """Loaders share one connection per request, serialised by a lock (asyncpg is sequential).

    Reads run in one transaction with the tenant set (RLS), begun and ended with a single
    round trip each (see dbschema.engine.begin_read): a page needs three statements, and the
    transaction plumbing around them was costing as much CPU as two of them.
    """

    def __init__(self, engine: AsyncEngine, tenant_id: UUID) -> None:
        self.engine = engine
        self.tenant_id = tenant_id
        self._conn: AsyncConnection | None = None
        self._raw: Any = None
        self._lock = asyncio.Lock()
        #: values read once per request and shared by its loaders (e.g. the tenant policy)
        self.memo: dict[str, Any] = {}

    async def run(self, fn: Callable[[AsyncConnection], Awaitable[T]], opening: str = "") -> T:
        """Run a query function on the request's connection; `opening` (a statement built
        from constants, such as a SET LOCAL) goes with the BEGIN when this run begins the
        transaction, else on its own before the function."""
        async with self._lock:
            if self._conn is None:
                self._conn, self._raw = await open_transaction(self.engine, self.tenant_id, opening)
            elif opening:
                await self._raw.execute(opening)
            return await fn(self._conn)

    async def close(self) -> None:
        """End the read transaction and give the connection back."""
        async with self._lock:
            if self._conn is not None:
                try:
                    if self._raw is not None and not self._conn.invalidated:
                        await end_read(self._raw)
                except BaseException:
                    await self._conn.invalidate()  # never pool a connection mid-transaction
                    raise
                finally:
                    await self._conn.close()
                    self._conn = None
                    self._raw = None


def rows_as_dicts(rows: list[sa.Row[Any]]) -> list[dict[str, Any]]:
    """Rows as plain dicts; the column names are the same for every row of a result."""
    if not rows:
        return []
    keys = rows[0]._fields
    return [dict(zip(keys, r, strict=True)) for r in rows]


async def fetch_all(conn: AsyncConnection, query: sa.Select[Any]) -> list[sa.Row[Any]]:
    """Every row of a query on the session's connection."""
    return list(await conn.execute(query))


async def by_ids(
    session: ReadSession,
    query: sa.Select[Any],
    key: sa.ColumnElement[Any],
    ids: Sequence[UUID],
    build: Callable[[Any], T],
) -> list[T | None]:
    """The records of a batch of ids (a DataLoader's), in the order asked, None where the
    session's tenant has no such row: one statement, `query` narrowed to `key` IN ids."""
    if not ids:
        return []
    narrowed = query.where(key.in_(set(ids)))
    rows = await session.run(lambda conn: fetch_all(conn, narrowed))
    found = {row._mapping[key]: build(row) for row in rows}
    return [found.get(i) for i in ids]


async def select_dicts(session: ReadSession, query: Any) -> list[dict[str, Any]]:
    """Every row of a query as a dict, on the request's connection."""

    async def run(conn: AsyncConnection) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await conn.execute(query)]

    return await session.run(run)
