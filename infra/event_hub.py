"""Fan committed events out to subscribers: LISTEN wakes it, the events table is the truth.

Each tenant's events are numbered in commit order, so a subscriber that resumes from a cursor
gets the backlog from the table and then live events, exactly once and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.queries.events import events_after, last_seq
from services.uow import UnitOfWork

log = logging.getLogger("credit.events")
CHANNEL = "credit_events"
QUEUE_LIMIT = 10_000  #: a subscriber this far behind is cut off rather than slowing the hub


@dataclass(frozen=True)
class Event:
    """One committed event: its per-tenant sequence number is the resume cursor."""

    seq: int
    topic: str
    payload: dict[str, Any]
    created_at: datetime | None = None
    #: Per-event memo: subscribers share one converted view instead of building 500.
    views: dict[str, Any] = field(default_factory=dict, compare=False)


class SubscriberOverflow(Exception):
    """The subscriber fell too far behind; it should reconnect with its last cursor."""


@dataclass(eq=False)
class _Subscriber:
    topics: frozenset[str]
    queue: asyncio.Queue[Event | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))
    overflowed: bool = False


class EventHub:
    """One LISTEN connection per process; per-tenant pumps read new events once for everyone."""

    def __init__(self, engine: AsyncEngine, dsn: str) -> None:
        self.engine = engine
        self.dsn = dsn
        self._subs: dict[UUID, set[_Subscriber]] = {}
        self._last: dict[UUID, int] = {}
        self._locks: dict[UUID, asyncio.Lock] = {}
        self._conn: asyncpg.Connection | None = None
        self._closing = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._wanted: set[UUID] = set()

    async def start(self) -> None:
        """Connect and LISTEN; reconnects by itself if the connection drops."""
        await self._connect()

    async def _connect(self) -> None:
        self._conn = await asyncpg.connect(self.dsn)
        await self._conn.add_listener(CHANNEL, self._on_notify)
        self._conn.add_termination_listener(self._on_lost)

    def _on_lost(self, _conn: asyncpg.Connection) -> None:
        if not self._closing:
            self._spawn(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.2
        while not self._closing:
            try:
                await self._connect()
                for tenant in list(self._subs):  # catch up on anything missed while away
                    self._spawn(self._pump(tenant))
                return
            except (OSError, asyncpg.PostgresError):
                log.warning("event hub reconnect failed; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        tenant = UUID(payload.split(":", 1)[0])
        if tenant in self._subs:
            self._spawn(self._pump(tenant))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _lock(self, tenant: UUID) -> asyncio.Lock:
        return self._locks.setdefault(tenant, asyncio.Lock())

    async def _pump(self, tenant: UUID) -> None:
        """Read the tenant's new events once and hand them to every subscriber."""
        if tenant in self._wanted:
            return  # a pump is queued already; it will read everything new
        self._wanted.add(tenant)
        async with self._lock(tenant):
            self._wanted.discard(tenant)
            subs = self._subs.get(tenant)
            if not subs:
                return
            topics = tuple({t for s in subs for t in s.topics})
            async with UnitOfWork(self.engine, tenant) as uow:
                rows = await events_after(uow.conn, self._last.get(tenant, 0), topics)
            for row in rows:
                event = Event(row.seq, row.topic, row.payload, row.created_at)
                self._last[tenant] = row.seq
                for sub in list(subs):
                    if event.topic in sub.topics:
                        self._offer(sub, event)
            if len(rows) == 1000:  # more than one batch waiting
                self._spawn(self._pump(tenant))

    @staticmethod
    def _offer(sub: _Subscriber, event: Event | None) -> None:
        try:
            sub.queue.put_nowait(event)
        except asyncio.QueueFull:
            sub.overflowed = True

    async def subscribe(
        self, tenant: UUID, topics: tuple[str, ...], after: int | None
    ) -> AsyncIterator[Event]:
        """Events of a tenant after a cursor (or from now), backlog first, then live."""
        sub = _Subscriber(frozenset(topics))
        async with self._lock(tenant):
            if tenant not in self._last:
                async with UnitOfWork(self.engine, tenant) as uow:
                    self._last[tenant] = await last_seq(uow.conn)
            self._subs.setdefault(tenant, set()).add(sub)
            cursor = self._last[tenant] if after is None else after
        try:
            while after is not None:
                async with UnitOfWork(self.engine, tenant) as uow:
                    backlog = await events_after(uow.conn, cursor, topics)
                for row in backlog:
                    cursor = row.seq
                    yield Event(row.seq, row.topic, row.payload, row.created_at)
                if len(backlog) < 1000:
                    break
            while True:
                event = await sub.queue.get()
                if sub.overflowed:
                    raise SubscriberOverflow("subscriber fell behind; resume from its cursor")
                if event is None:
                    return
                if event.seq <= cursor:
                    continue
                cursor = event.seq
                yield event
        finally:
            subs = self._subs.get(tenant)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[tenant]
                    self._last.pop(tenant, None)

    @property
    def subscriber_count(self) -> int:
        """How many live subscriptions this process holds."""
        return sum(len(s) for s in self._subs.values())

    async def close(self) -> None:
        """Stop listening and end every subscription."""
        self._closing = True
        for subs in self._subs.values():
            for sub in subs:
                self._offer(sub, None)
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
        for task in list(self._tasks):
            task.cancel()
