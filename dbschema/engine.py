"""The app's async engine (asyncpg), connected as the non-owner role RLS applies to."""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import Callable
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver

#: Statement counter hooks (benchmarks and N+1 tests read them).
_statement_listeners: list[Callable[[str], None]] = []


def create_engine(app_url: str, pool_size: int = 16) -> AsyncEngine:
    """One pool per process; statements are counted for the N+1 checks.

    The pool keeps `pool_size` connections and opens at most half as many again (at least 5)
    for a burst.
    Those extra ones are closed as they come back, and a new PostgreSQL backend costs a fork,
    authentication and, for its first statements, cold catalog caches: ~50 ms to plan the
    credit check's read, measured. A pool that is too small churns connections on every
    spike of load, which makes the spike worse.
    """
    engine = create_async_engine(
        with_driver(plain(app_url), "asyncpg"),
        pool_size=pool_size,
        max_overflow=max(pool_size // 2, 5),
        pool_pre_ping=False,
        pool_recycle=1800,
    )

    @sa.event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        for listener in _statement_listeners:
            listener(statement)

    return engine


def add_statement_listener(listener: Callable[[str], None]) -> Callable[[], None]:
    """Observe every SQL statement the app sends; returns a remover."""
    _statement_listeners.append(listener)
    return lambda: _statement_listeners.remove(listener)


def notify_statement(statement: str) -> None:
    """Tell the statement listeners of a statement sent on the driver connection directly."""
    for listener in _statement_listeners:
        listener(statement)


def driver_of(conn: AsyncConnection) -> Any:
    """The driver (asyncpg) connection under a checked-out connection, read as attributes:
    `get_raw_connection()` costs a greenlet hop (~0.1 ms) for the same object."""
    return conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]


def native_sql(statement: str) -> tuple[str, tuple[str, ...]]:
    """A `:name` statement as the driver takes it (`$1`, `$2` …) and the names in order, so a
    hot statement is written once, readably, and sent without SQLAlchemy's compilation."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)  # a string literal, left as written
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    pattern = r"'(?:[^']|'')*'|(?<![:\w]):([a-z_][a-z0-9_]*)"
    return re.sub(pattern, number, statement), tuple(names)


async def fetch_native(conn: AsyncConnection, statement: str, *args: Any) -> list[Any]:
    """Rows of a statement written for the driver ($1, $2 …) as the driver returns them
    (asyncpg records: by position or column name), on the connection's own transaction: for
    a result of thousands of rows, whose conversion into SQLAlchemy rows costs more than the
    statement (an import's allocation plan: ~6,000 rows, ~70 ms)."""
    notify_statement(statement)
    return list(await driver_of(conn).fetch(statement, *args))


async def fetchrow_native(conn: AsyncConnection, statement: str, *args: Any) -> Any:
    """The first row of a driver statement on the connection's own transaction (or None)."""
    notify_statement(statement)
    return await driver_of(conn).fetchrow(statement, *args)


async def send_native(conn: AsyncConnection, statement: str, *args: Any) -> asyncio.Task[Any]:
    """A driver statement ($1, $2 …) sent on the connection's own transaction and left
    running: the server works on it while the caller prepares what follows (on the other
    core). The task gives the rows; await it before anything else uses the connection."""
    notify_statement(statement)
    prepared = await driver_of(conn).prepare(statement)
    task: asyncio.Task[Any] = asyncio.ensure_future(prepared.fetch(*args))
    await asyncio.sleep(0)  # the task writes the statement out, then waits for the answer
    return task


async def begin_read(conn: AsyncConnection, tenant_id: UUID, opening: str = "") -> Any:
    """Start a transaction with the tenant set, in one round trip instead of three.

    The connection must be in AUTOCOMMIT mode (SQLAlchemy then sends no BEGIN of its own);
    BEGIN and the transaction-local tenant go as one simple-protocol message (the tenant is a
    UUID, so it is safe to inline). Returns the driver connection, for end_read. Units of work
    begin the same way (their COMMIT goes on the driver too: commit_work). `opening` is one
    more statement for the same message, built by the caller from constants and UUIDs only.
    """
    setting = f"SELECT set_config('app.tenant_id', '{UUID(str(tenant_id))}', true)"
    if opening:
        setting = f"{setting}; {opening}"
    raw = driver_of(conn)
    for listener in _statement_listeners:
        listener(setting)
    await raw.execute(f"BEGIN; {setting}")
    return raw


#: Each engine's AUTOCOMMIT view (same pool): its connections come out in that mode, without
#: an `execution_options` call (a greenlet hop) per checkout.
_AUTOCOMMIT: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = weakref.WeakKeyDictionary()


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """`engine` with isolation_level AUTOCOMMIT, made once."""
    found = _AUTOCOMMIT.get(engine)
    if found is None:
        found = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return found


async def open_transaction(
    engine: AsyncEngine, tenant_id: UUID, opening: str = ""
) -> tuple[AsyncConnection, Any]:
    """A pooled connection in AUTOCOMMIT mode with a transaction begun by begin_read; on any
    failure the connection is dropped, never pooled half-begun. Returns it and its driver."""
    conn = await autocommit(engine).connect()
    try:
        raw = await begin_read(conn, tenant_id, opening)
    except BaseException:
        await conn.invalidate()
        await conn.close()
        raise
    return conn, raw


async def commit_work(conn: AsyncConnection) -> None:
    """Commit a transaction begun by begin_read, on the driver (through SQLAlchemy it cost
    three times as much CPU; no caller tells commit errors apart by type)."""
    notify_statement("COMMIT")
    await driver_of(conn).execute("COMMIT")


async def end_read(raw: Any) -> None:
    """End a read transaction begun by begin_read: nothing in it is kept."""
    await raw.execute("ROLLBACK")


async def set_tenant(conn: AsyncConnection, tenant_id: str) -> None:
    """Transaction-local tenant for RLS; safe with pooled connections."""
    await conn.execute(
        sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
    )
